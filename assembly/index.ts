export { malloc, free, heapLiveBlocks, heapLiveBytes } from "./memory";
export { isContiguous } from "./contiguity";
export { copy } from "./copy";
export { copyPlanned, copyIndirect } from "./plan";
export { moveBytes as copyBytes } from "./strided";
