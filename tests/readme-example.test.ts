// The README's example, verbatim, so the README stays true.
import { expect, it } from 'vitest';
import { init, NDArray, ND, MemoryView, capi, PyBUF } from '../src/index.js';

it('the README example prints what the README says', async () => {
  await init();
  const a = new NDArray([...Array(12).keys()], { shape: [3, 4], format: 'f', flags: ND.FORTRAN | ND.WRITABLE });
  {
    using m = MemoryView.fromObject(a);
    expect([m.shape, m.strides, m.f_contiguous]).toEqual([[3, 4], [4, 12], true]);
    expect(m.tolist()).toEqual([[0, 3, 6, 9], [1, 4, 7, 10], [2, 5, 8, 11]]);
    using c = capi.PyMemoryView_GetContiguous(a, PyBUF.READ, 'C');
    expect([c.strides, c.readonly]).toEqual([[16, 4], true]);
    expect(m.tobytes('C').length).toBe(48);
    m.set([0, 1], 42);
    const rows = a.tolist() as number[][];
    expect([m.get([0, 1]), rows[0]?.[1]]).toEqual([42, 42]);
  }
  a.release();
});
