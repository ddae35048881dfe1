// Index helpers shared by the tile kernels (tile.ts, tile3.ts).

// @ts-ignore: decorator
@inline export function minI32(a: i32, b: i32): i32 {
  return a < b ? a : b;
}

// The start of a strip [lo, hi) of a tile's axis widened back to at least `m` items where the
// axis (from 0) allows: the items it takes in again are rewritten with the same values.
// @ts-ignore: decorator
@inline export function widened(lo: i32, hi: i32, m: i32): i32 {
  return hi - lo >= m ? lo : (hi >= m ? hi - m : 0);
}
