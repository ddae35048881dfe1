// Import cycles among the modules under src/: a cycle makes evaluation order decide which
// module sees the other's bindings still uninitialised, and keeps the layers from reading
// bottom-up. Type-only imports (`import type`, or braces holding only `type` names) are
// erased by the compiler and do not count. Prints each cycle and exits 1 if there is one.
// Usage: node scripts/check-cycles.mjs [dir]   (default: src)
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const dir = resolve(root, process.argv[2] ?? 'src');

function sources(d) {
  return readdirSync(d).flatMap((name) => {
    const path = join(d, name);
    if (statSync(path).isDirectory()) return sources(path);
    return path.endsWith('.ts') && !path.endsWith('.d.ts') ? [path] : [];
  });
}

// import/export statements with a module specifier, across lines: `import x from '...'`,
// `import { a, type B } from '...'`, `export * from '...'`, `import '...'`
const STATEMENT = /(?:^|\n)\s*(import|export)\s+(type\s+)?([^'";]*?)\s*(?:from\s*)?['"]([^'"]+)['"]/g;

/** The relative modules `file` imports at run time. */
function runtimeImports(file) {
  const text = readFileSync(file, 'utf8');
  const out = [];
  for (const m of text.matchAll(STATEMENT)) {
    const [, , typeOnly, clause, spec] = m;
    if (typeOnly || !spec.startsWith('.')) continue;
    if (m[1] === 'export' && !/^(\*|\{)/.test(clause)) continue; // not a re-export
    const braces = /\{([^}]*)\}/.exec(clause);
    const outside = braces === null ? clause : clause.replace(braces[0], '').replace(/[\s,]/g, '');
    if (braces !== null && outside === '') {
      const names = braces[1]
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
      if (names.length > 0 && names.every((s) => s.startsWith('type '))) continue;
    }
    out.push(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
  }
  return out;
}

const files = sources(dir);
const graph = new Map(files.map((f) => [f, runtimeImports(f).filter((g) => files.includes(g))]));

// Tarjan's strongly connected components: every component of more than one module (or a module
// importing itself) holds a cycle.
let index = 0;
const stack = [];
const state = new Map();
const components = [];
function connect(v) {
  const s = { index, low: index, onStack: true };
  index++;
  state.set(v, s);
  stack.push(v);
  for (const w of graph.get(v)) {
    const t = state.get(w);
    if (t === undefined) {
      connect(w);
      s.low = Math.min(s.low, state.get(w).low);
    } else if (t.onStack) {
      s.low = Math.min(s.low, t.index);
    }
  }
  if (s.low === s.index) {
    const component = [];
    let w;
    do {
      w = stack.pop();
      state.get(w).onStack = false;
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || graph.get(v).includes(v)) components.push(component);
  }
}
for (const f of files) if (!state.has(f)) connect(f);

const name = (f) => relative(root, f);
if (components.length === 0) {
  console.log(`check-cycles: no import cycles among ${files.length} modules in ${name(dir)}`);
} else {
  for (const component of components) {
    const members = new Set(component);
    console.log(`check-cycles: a cycle through ${component.map(name).sort().join(', ')}`);
    for (const f of [...component].sort()) {
      for (const g of graph.get(f)) if (members.has(g)) console.log(`  ${name(f)} -> ${name(g)}`);
    }
  }
  process.exitCode = 1;
}
