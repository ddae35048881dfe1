export { malloc, free, heapLiveBlocks, heapLiveBytes } from "./memory";
export { isContiguous } from "./contiguity";
export { copy } from "./copy";
export { copyPlanned, copyIndirect, copyBytes } from "./plan";
