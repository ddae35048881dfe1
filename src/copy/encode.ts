// The Wasm side of a copy: plans encoded as the words the kernels read (their layout is declared
// once, in scripts/gen-wasm-abi.mjs: PLAN_*, INDIRECT_*, REFERENCE_* in src/wasm/abi.generated.ts)
// in the runtime's scratch area, and the calls that run them, on this thread or split across the
// runtime's copy workers (src/wasm/threads.ts, through the hooks of src/wasm/parallel.ts).
import {
  INDIRECT_DST,
  INDIRECT_HEADER,
  INDIRECT_NDIM,
  INDIRECT_SRC,
  INDIRECT_TAIL,
  KIND_BYTES,
  KIND_ROWS,
  KIND_TILE,
  PLAN_BLOCK,
  PLAN_DST,
  PLAN_HEADER,
  PLAN_ITEMSIZE,
  PLAN_KIND,
  PLAN_NDIM,
  PLAN_OPTIONS,
  PLAN_SRC,
  PLAN_STAGE,
  REFERENCE_DST,
  REFERENCE_HEADER,
  REFERENCE_ITEMSIZE,
  REFERENCE_NDIM,
  REFERENCE_SRC,
  STAGE_ALIGN,
  STAGE_BYTES,
  TILE_GROUPED,
  TILE_ROWS_FIRST,
  TILE_TOUCH,
} from '../wasm/abi.generated.js';
import { heapI32 } from '../wasm/heap.js';
import { runtimeInfo, wasm } from '../wasm/instance.js';
import { parallelHooks, type PlanExecutor } from '../wasm/parallel.js';
import { scratch, scratchAvailable } from '../wasm/scratch.js';
import { bytesPlan, type CopyPlan, type StridedOperand } from './plan.js';

// the staging area of 1-byte tiles, aligned, after the plan in the scratch area
const STAGE_WORDS = (STAGE_BYTES + STAGE_ALIGN) / 4;

/** Writes `plan` (PLAN_* words) at word index `w` of linear memory. */
function writePlan(words: Int32Array, w: number, plan: CopyPlan, stage: number): void {
  const ndim = plan.shape.length;
  words[w + PLAN_KIND] = plan.kind === 'bytes' ? KIND_BYTES : plan.kind === 'rows' ? KIND_ROWS : KIND_TILE;
  words[w + PLAN_NDIM] = ndim;
  words[w + PLAN_ITEMSIZE] = plan.itemsize;
  words[w + PLAN_DST] = plan.dst;
  words[w + PLAN_SRC] = plan.src;
  words[w + PLAN_BLOCK] = plan.block;
  words[w + PLAN_OPTIONS] =
    (plan.rowsFirst ? TILE_ROWS_FIRST : 0) | (plan.grouped ? TILE_GROUPED : 0) | (plan.touch ? TILE_TOUCH : 0);
  words[w + PLAN_STAGE] = stage;
  const base = w + PLAN_HEADER;
  for (let i = 0; i < ndim; i++) {
    words[base + i] = plan.shape[i];
    words[base + ndim + i] = plan.dstStrides[i];
    words[base + 2 * ndim + i] = plan.srcStrides[i];
  }
}

/** The 32-bit words a plan takes in linear memory. */
function planWords(plan: CopyPlan): number {
  return PLAN_HEADER + 3 * plan.shape.length;
}

/**
 * The scratch words a staged plan needs after the `used` words before it: 0 when it is not staged,
 * the build has no SIMD (no staged kernel) or an attached realm's scratch block is too small (the
 * kernel then runs unstaged).
 */
function stageWords(plan: CopyPlan, used: number): number {
  if (!plan.staged || !runtimeInfo().simd) return 0;
  return scratchAvailable(used + STAGE_WORDS) ? STAGE_WORDS : 0;
}

/** The staging area's address in a scratch area at `ptr` whose first `used` words hold plans; 0: none. */
function stageAddress(plan: CopyPlan, ptr: number, used: number): number {
  if (stageWords(plan, used) === 0) return 0;
  return (ptr + 4 * used + (STAGE_ALIGN - 1)) & -STAGE_ALIGN;
}

/** Runs a plan through the Wasm executor; split across the runtime's threads when it is large (src/wasm/threads.ts). */
export function runCopyPlan(plan: CopyPlan): void {
  const hooks = parallelHooks();
  if (hooks !== null && hooks.runParallel(plan, EXECUTOR)) return;
  runCopyPlanHere(plan);
}

/**
 * Copies `n` contiguous bytes from `src` to `dst` (memmove): a 'bytes' plan split across the
 * runtime's threads when it is large, copyBytes otherwise: runCopyPlan's steps, but with no plan
 * written for a copy on this thread (the C API's small contiguous copies). Not
 * TypedArray.copyWithin: that is one memmove (slower past the L2, assembly/strided.ts
 * moveBytes), and on a shared heap an element-wise copy, 1.3-3.5x slower from 64 KiB on.
 */
export function copyContiguous(dst: number, src: number, n: number): void {
  const hooks = parallelHooks();
  if (hooks !== null && hooks.runParallel(bytesPlan(dst, src, n), EXECUTOR)) return;
  wasm().copyBytes(dst, src, n);
}

/** Runs a plan through this thread's Wasm executor ('bytes' plans too: it moves them in pieces, assembly/strided.ts moveBytes). */
function runCopyPlanHere(plan: CopyPlan): void {
  const words = planWords(plan);
  const ptr = scratch(words + stageWords(plan, words));
  writePlan(heapI32(), ptr >>> 2, plan, stageAddress(plan, ptr, words));
  wasm().copyPlanned(ptr);
}

/** Writes `plan` (any kind) at `ptr` for another thread's executor, with `stage` as its staging area's address. */
function writePlanAt(plan: CopyPlan, ptr: number, stage: number): void {
  writePlan(heapI32(), ptr >>> 2, plan, stage);
}

/** How the thread machinery runs this module's plans (handed over with each plan: src/wasm/parallel.ts). */
const EXECUTOR: PlanExecutor = { planWords, runHere: runCopyPlanHere, writeAt: writePlanAt };

/** Runs the reference scalar kernel (assembly/copy.ts): CPython's visiting order, no planning. */
export function copyStridedReference(
  ndim: number,
  itemsize: number,
  shape: readonly number[],
  dst: StridedOperand,
  src: StridedOperand,
): void {
  const plan = scratch(REFERENCE_HEADER + 5 * ndim);
  const words = heapI32();
  const w = plan >>> 2;
  words[w + REFERENCE_NDIM] = ndim;
  words[w + REFERENCE_ITEMSIZE] = itemsize;
  words[w + REFERENCE_DST] = dst.buf;
  words[w + REFERENCE_SRC] = src.buf;
  writeDims(words, w + REFERENCE_HEADER, ndim, shape, dst, src);
  wasm().copy(plan);
}

/**
 * Runs the suboffset walk (assembly/plan.ts copyIndirect): dims [0, prefix) through the pointers,
 * then `tail` (the plan of the dims after them, planned with base 0 on both sides: its dst and src
 * are offsets from each row the walk reaches).
 */
export function runIndirect(
  prefix: number,
  shape: readonly number[],
  dst: StridedOperand,
  src: StridedOperand,
  tail: CopyPlan,
): void {
  const head = INDIRECT_HEADER + 5 * prefix;
  const used = head + planWords(tail);
  const ptr = scratch(used + stageWords(tail, used));
  const words = heapI32();
  const w = ptr >>> 2;
  words[w + INDIRECT_NDIM] = prefix;
  words[w + INDIRECT_TAIL] = ptr + 4 * head;
  words[w + INDIRECT_DST] = dst.buf;
  words[w + INDIRECT_SRC] = src.buf;
  writeDims(words, w + INDIRECT_HEADER, prefix, shape, dst, src);
  writePlan(words, w + head, tail, stageAddress(tail, ptr, used));
  wasm().copyIndirect(ptr);
}

/**
 * Writes the per-dimension arrays both the reference kernel and the suboffset walk read:
 * shape[n], dst strides[n], src strides[n], dst suboffsets[n], src suboffsets[n] (-1: none).
 */
function writeDims(
  words: Int32Array,
  at: number,
  n: number,
  shape: readonly number[],
  dst: StridedOperand,
  src: StridedOperand,
): void {
  for (let i = 0; i < n; i++) {
    words[at + i] = shape[i];
    words[at + n + i] = dst.strides[i];
    words[at + 2 * n + i] = src.strides[i];
    words[at + 3 * n + i] = dst.suboffsets === null ? -1 : dst.suboffsets[i];
    words[at + 4 * n + i] = src.suboffsets === null ? -1 : src.suboffsets[i];
  }
}
