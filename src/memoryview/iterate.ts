// A memoryview's iterator (memoryiter_next in Objects/memoryobject.c), apart from the class so
// that src/memoryview.ts stays within its size.
import { unpackItem, type Item } from '../items.js';
import { checkItemOwned, loadOwnedPointer } from '../reach.js';
import { heapView } from '../wasm/heap.js';
import type { ViewDescriptor } from './descriptor.js';

/** What iterateItems needs of a view: its release check and its descriptor, as it is at each step. */
interface IteratedView {
  checkReleased(): void;
  readonly view: ViewDescriptor;
}

/** memoryiter_next: the items of a 1-D view; a release while iterating is a ValueError. */
export function* iterateItems(mv: IteratedView, fmt: string, length: number): IterableIterator<Item> {
  for (let i = 0; i < length; i++) {
    mv.checkReleased();
    const view = mv.view;
    let ptr = view.buf + view.strides[0] * i;
    // between items the caller's code may rewrite a pointer table: each one is checked as read
    if (view.suboffsets !== null && view.suboffsets[0] >= 0) {
      ptr = loadOwnedPointer(ptr) + view.suboffsets[0];
      checkItemOwned(ptr, view.itemsize);
    }
    yield unpackItem(heapView(), ptr, fmt);
  }
}
