#!/usr/bin/env node
// Runs a Python script in CPython 3.14 for wasm32 (the pinned `pyodide` devDependency): the
// project's reference platform, so fixture generators need no native Python.
//
//   node scripts/run-in-pyodide.mjs [--out FILE] SCRIPT.py [ARGS...]
//
// --out FILE writes the script's stdout to FILE (for the generators that print their JSON).
// The repository is mounted at its own absolute path (NODEFS), so the script's __file__, its
// relative paths and the files it writes are the same as under a native interpreter. The
// interpreter starts with PYTHONHASHSEED=0 (fixtures must not depend on the per-process hash
// key; Pyodide randomises it otherwise). Output goes to this process's stdout and stderr
// unchanged; an uncaught Python exception prints its traceback and exits with status 1.
import { loadPyodide } from 'pyodide';
import { createWriteStream, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let argv = process.argv.slice(2);
let out = process.stdout;
if (argv[0] === '--out' && argv.length > 1) {
  out = createWriteStream(argv[1]);
  argv = argv.slice(2);
}
const [script, ...args] = argv;
if (!script) {
  console.error('usage: node scripts/run-in-pyodide.mjs [--out FILE] SCRIPT.py [ARGS...]');
  process.exit(2);
}
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const file = path.resolve(script);

// A trap inside the interpreter (a RuntimeError) may surface outside the try below; Node would
// print the one-line, megabyte-long source of pyodide.asm.mjs with it.
process.on('uncaughtException', (e) => {
  process.stderr.write(`${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}\n`);
  process.exit(1);
});

const py = await loadPyodide({ env: { PYTHONHASHSEED: '0' } });
// Raw byte sinks: the generators write JSON through sys.stdout.write without line buffering.
// Pyodide reuses `buf` for the next write while the stream may still hold it: copy.
const sink = (stream) => ({
  write: (buf) => {
    stream.write(Buffer.from(buf));
    return buf.length;
  },
});
py.setStdout(sink(out));
py.setStderr(sink(process.stderr));
py.FS.mkdirTree(repo);
py.FS.mount(py.FS.filesystems.NODEFS, { root: repo }, repo);
py.FS.chdir(process.cwd().startsWith(repo) ? process.cwd() : repo);

const globals = py.toPy({ __name__: '__main__', __file__: file });
try {
  py.runPython(`import sys; sys.argv = ${JSON.stringify([file, ...args])}`);
  py.runPython(readFileSync(file, 'utf8'), { globals, filename: file });
} catch (e) {
  // A PythonError's message is the traceback; the Emscripten frames after it say nothing.
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
  if (!(e instanceof Error) || e.name !== 'PythonError') process.exit(1);
} finally {
  // Python's own buffers are flushed at exit by a native interpreter; here, explicitly.
  py.runPython('import sys; sys.stdout.flush(); sys.stderr.flush()');
  globals.destroy();
  if (out !== process.stdout) out.end();
}
