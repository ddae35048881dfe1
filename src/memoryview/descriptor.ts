// A memoryview's own descriptor (mv->view in Objects/memoryobject.c).
import { Py_buffer } from '../buffer.js';

/**
 * The descriptor a memoryview owns: a Py_buffer whose format, shape and strides are always
 * there, since mbuf_add_view rebuilds whatever the exporter left out (init_shared_values: format
 * 'B'; init_shape_strides: a 1-dim shape of len / itemsize, C strides). Each array has ndim
 * entries and belongs to this view alone, so slicing may edit it in place. A 0-dim view has
 * empty shape and strides, as its Python attributes are (); CPython leaves them NULL, and
 * memory_getbuf exports them as null. Descriptors an exporter fills stay plain Py_buffers,
 * with CPython's nullable fields.
 */
export class ViewDescriptor extends Py_buffer {
  declare format: string;
  declare shape: number[];
  declare strides: number[];

  constructor(format: string, shape: number[], strides: number[]) {
    super();
    this.format = format;
    this.shape = shape;
    this.strides = strides;
  }
}
