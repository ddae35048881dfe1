// The classes a small view makes on every call (and the items made by the thousand) end V8's
// in-object slack tracking when their modules load, with every field inline (src/object-shape.ts).
// Left to V8, tracking ended in some later collection, sized by whichever objects were alive
// then: after a run of large copies the harness's small view found descriptors, views and
// managed buffers with every field out of line, and took 1.6x as long. V8's own view of the
// objects (%DebugPrint, in a child process with --allow-natives-syntax) is the only witness.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { LIBRARY, nodeScript } from './helpers/node-script.js';

/** What %DebugPrint says of one object: its own fields' locations and its map's tracking state. */
interface Shape {
  name: string;
  fields: number;
  outOfLine: number;
  constructionCounter: number;
}

const NAMES = ['MemoryView', 'ManagedBuffer', 'Py_buffer', 'master', 'Complex', 'PySlice'];

function shapesAfterFirstUse(): Shape[] {
  const script = nodeScript('shape', [
    `import { init, Bytes, MemoryView, PyBUF, Complex, slice } from ${LIBRARY};`,
    'await init();',
    // a test's own probe, not library code: V8's natives syntax only parses inside Function
    "const debugPrint = new Function('x', '%DebugPrint(x)');",
    'const m = MemoryView.fromObject(new Bytes(new Uint8Array(64)));',
    "const g = MemoryView.getContiguous(m, PyBUF.READ, 'C');",
    'const objects = { MemoryView: g, ManagedBuffer: g.mbuf, Py_buffer: g.view, master: g.mbuf.master,',
    '  Complex: new Complex(1.5, -2), PySlice: slice(1, null, 2) };',
    // in this order: V8 prints from C, unordered with console.log's writes
    'for (const object of Object.values(objects)) debugPrint(object);',
  ]);
  const out = execFileSync('node', ['--allow-natives-syntax', script], { encoding: 'utf8', timeout: 60_000 });
  return out
    .split('DebugPrint: ')
    .slice(1)
    .map((part, i) => {
      const name = NAMES[i] ?? `object ${i}`;
      const counter = /construction counter: (\d+)/.exec(part);
      return {
        name,
        fields: (part.match(/location: /g) ?? []).length,
        outOfLine: (part.match(/location: properties\[/g) ?? []).length,
        constructionCounter: counter === null ? -1 : Number(counter[1]),
      };
    });
}

describe('the objects made on the hot paths', () => {
  it('keep every field inline: V8 slack tracking of them is over once the library is loaded', () => {
    const shapes = shapesAfterFirstUse();
    expect(shapes.map((s) => s.name)).toEqual([
      'MemoryView',
      'ManagedBuffer',
      'Py_buffer',
      'master',
      'Complex',
      'PySlice',
    ]);
    for (const shape of shapes) {
      // fields counted: the probe saw the object's own properties at all
      expect(shape.fields, shape.name).toBeGreaterThanOrEqual(2);
      expect({ name: shape.name, outOfLine: shape.outOfLine, counter: shape.constructionCounter }).toEqual({
        name: shape.name,
        outOfLine: 0,
        counter: 0,
      });
    }
  });
});
