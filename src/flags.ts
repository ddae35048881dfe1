// PyBUF_* request flags (Include/pybuffer.h) and _testbuffer's ND_* flags (Modules/_testbuffer.c).

/** Buffer request flags, at CPython's values. */
export const PyBUF = Object.freeze({
  SIMPLE: 0,
  WRITABLE: 0x0001,
  /** Deprecated alias of WRITABLE, kept because CPython keeps it. */
  WRITEABLE: 0x0001,
  FORMAT: 0x0004,
  ND: 0x0008,
  STRIDES: 0x0010 | 0x0008,
  C_CONTIGUOUS: 0x0020 | 0x0010 | 0x0008,
  F_CONTIGUOUS: 0x0040 | 0x0010 | 0x0008,
  ANY_CONTIGUOUS: 0x0080 | 0x0010 | 0x0008,
  INDIRECT: 0x0100 | 0x0010 | 0x0008,
  CONTIG: 0x0008 | 0x0001,
  CONTIG_RO: 0x0008,
  STRIDED: 0x0018 | 0x0001,
  STRIDED_RO: 0x0018,
  RECORDS: 0x0018 | 0x0001 | 0x0004,
  RECORDS_RO: 0x0018 | 0x0004,
  FULL: 0x0118 | 0x0001 | 0x0004,
  FULL_RO: 0x0118 | 0x0004,
  /** Only for the PyMemoryView_* functions: a read-only view. */
  READ: 0x100,
  /** Only for the PyMemoryView_* functions: a writable view. */
  WRITE: 0x200,
  /** PyBUF_MAX_NDIM. */
  MAX_NDIM: 64,
});

/** _testbuffer's ndarray flags, at _testbuffer's values. */
export const ND = Object.freeze({
  DEFAULT: 0x000,
  VAREXPORT: 0x001,
  WRITABLE: 0x002,
  FORTRAN: 0x004,
  SCALAR: 0x008,
  PIL: 0x010,
  REDIRECT: 0x020,
  GETBUF_FAIL: 0x040,
  GETBUF_UNDEFINED: 0x080,
  /** ND_MAX_NDIM: the most dimensions an NDArray accepts. */
  MAX_NDIM: 128,
});

// The request tests, as the REQ_* macros in Objects/memoryobject.c: multi-bit flags
// are tested for all their bits, WRITABLE and FORMAT for their one bit.
/** flags asks for suboffsets (PyBUF_INDIRECT). */
export const reqIndirect = (flags: number): boolean => (flags & PyBUF.INDIRECT) === PyBUF.INDIRECT;
/** flags asks for a C-contiguous buffer. */
export const reqCContiguous = (flags: number): boolean => (flags & PyBUF.C_CONTIGUOUS) === PyBUF.C_CONTIGUOUS;
/** flags asks for a Fortran-contiguous buffer. */
export const reqFContiguous = (flags: number): boolean => (flags & PyBUF.F_CONTIGUOUS) === PyBUF.F_CONTIGUOUS;
/** flags asks for a contiguous buffer in either order. */
export const reqAnyContiguous = (flags: number): boolean => (flags & PyBUF.ANY_CONTIGUOUS) === PyBUF.ANY_CONTIGUOUS;
/** flags asks for strides. */
export const reqStrides = (flags: number): boolean => (flags & PyBUF.STRIDES) === PyBUF.STRIDES;
/** flags asks for a shape. */
export const reqShape = (flags: number): boolean => (flags & PyBUF.ND) === PyBUF.ND;
/** flags asks for a writable buffer. */
export const reqWritable = (flags: number): boolean => (flags & PyBUF.WRITABLE) !== 0;
/** flags asks for a format string. */
export const reqFormat = (flags: number): boolean => (flags & PyBUF.FORMAT) !== 0;
