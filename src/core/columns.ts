// Typed columns (a table's rows by field) whose memory goes back to the system when they
// grow or are let go.
//
// Why not plain typed arrays: a column grown by copying frees its old array, and glibc, once
// it has freed a block it had mapped for itself (any above 128 KB), serves every later block
// up to that size from its heap, where freed memory stays resident until the process ends.
// Peak RSS then follows the largest column ever freed, not what is open: 184 → 161 MB at
// 200 MB of older nova logs with glibc's threshold fixed (MALLOC_MMAP_THRESHOLD_). A
// resizable ArrayBuffer is V8's own: its address space is reserved, its pages committed as
// it grows (in place, no copy) and unmapped when it is collected, never malloc's.

type Column = Uint8Array | Uint16Array | Int32Array | Uint32Array | Float64Array;

interface ColumnType<T extends Column> {
  new (length: number): T;
  new (buffer: ArrayBuffer): T;
  readonly BYTES_PER_ELEMENT: number;
}

/** ES2024's resizable ArrayBuffer (Node ≥ 20), which this project's ES2023 types do not name. */
interface ResizableBuffer extends ArrayBuffer {
  readonly resizable: boolean;
  readonly maxByteLength: number;
  resize(byteLength: number): void;
}
const Resizable = ArrayBuffer as unknown as new (
  byteLength: number,
  options: { maxByteLength: number },
) => ResizableBuffer;

/** Below this, malloc's own small blocks serve (never mapped, reused at once): a plain array. */
const SMALL_BYTES = 64 * 1024;
/** Address space a growing column reserves (not memory: pages are committed as they are used). */
const RESERVED_BYTES = 2 ** 30;
/** The most a resizable ArrayBuffer may reserve in Node 20's V8. */
const MOST_BYTES = 2 ** 32;

/**
 * A zero-filled column of `length` elements that can grow in place (`grownColumn`). A length-
 * tracking view: its `length` is what the buffer holds now.
 */
export function column<T extends Column>(type: ColumnType<T>, length: number, reserve = RESERVED_BYTES): T {
  const bytes = length * type.BYTES_PER_ELEMENT;
  if (bytes < SMALL_BYTES) return new type(length);
  try {
    return new type(new Resizable(bytes, { maxByteLength: Math.min(MOST_BYTES, Math.max(bytes, reserve)) }));
  } catch {
    // no address space to reserve (a `ulimit -v`): an ordinary array does the same job
    return new type(length);
  }
}

/**
 * `old` with room for at least `length` elements, its elements kept and the new ones zero: the
 * same array grown in place when it can, else a bigger copy.
 */
export function grownColumn<T extends Column>(old: T, length: number): T {
  if (length <= old.length) return old;
  const buffer = old.buffer as ResizableBuffer;
  const bytes = length * old.BYTES_PER_ELEMENT;
  if (buffer.resizable && bytes <= buffer.maxByteLength && old.byteOffset === 0) {
    try {
      buffer.resize(bytes);
      return old;
    } catch {
      // the system would not commit the pages in place: a copy, as a plain array grows
    }
  }
  const type = old.constructor as ColumnType<T>;
  const bigger = column(type, length, Math.max(RESERVED_BYTES, 2 * bytes));
  bigger.set(old);
  return bigger;
}

/**
 * `length` bytes, not zeroed: a Buffer whose memory is V8's when it is large (see above), for a
 * buffer grown by replacing it (a batch of rows being written or read back).
 */
export function byteBuffer(length: number): Buffer {
  if (length < SMALL_BYTES) return Buffer.allocUnsafe(length);
  try {
    return Buffer.from(new Resizable(length, { maxByteLength: length }), 0, length);
  } catch {
    return Buffer.allocUnsafe(length);
  }
}

/**
 * `numbers` with `value` at `at`: the same column, or a copy 4 bytes wide once a value is past
 * 2 bytes (a column of a few inputs' or services' numbers starts at 2 bytes a row).
 */
export function setWidening(numbers: Uint16Array | Uint32Array, at: number, value: number): Uint16Array | Uint32Array {
  if (value > 0xffff && numbers instanceof Uint16Array) {
    const wide = column(Uint32Array, numbers.length);
    wide.set(numbers);
    numbers = wide;
  }
  numbers[at] = value;
  return numbers;
}

/**
 * An empty column in place of `old`, whose memory goes back at once when it is a resizable
 * buffer (else at the next collection that finds it unreferenced): for a table let go while
 * the stage that dropped it goes on allocating.
 */
export function releasedColumn<T extends Column>(old: T): T {
  const buffer = old.buffer as ResizableBuffer;
  if (buffer.resizable && old.byteOffset === 0) buffer.resize(0);
  return new (old.constructor as ColumnType<T>)(0);
}

/** `old` cut to its first `length` elements: in place when it is a resizable buffer (its pages given back), else a copy. */
export function trimmedColumn<T extends Column>(old: T, length: number): T {
  if (length >= old.length) return old;
  const buffer = old.buffer as ResizableBuffer;
  if (buffer.resizable && old.byteOffset === 0) {
    buffer.resize(length * old.BYTES_PER_ELEMENT);
    return old;
  }
  return old.slice(0, length) as T;
}
