export { malloc, free, heapLiveBlocks, heapLiveBytes } from "./memory";
export { isContiguous } from "./contiguity";
export { copy } from "./copy";
