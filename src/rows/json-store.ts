// Values kept by a number (an exchange id, a row's place) that are read back one at a
// time, in any order. Past a budget of characters they go, as JSON, to an anonymous
// temporary file (as the spilled rows do) and are read back at the offset kept for each.
import { closeSync, readSync, writeSync } from 'node:fs';
import { spillFileOrNull } from './spill-list.js';
import { byteBuffer, grownColumn } from '../core/columns.js';

/**
 * Bytes written and read at a time: values are small (a few hundred bytes), and a syscall per
 * value cost more than its JSON. Values are mostly read back in about the order they were written.
 */
const BLOCK = 64 * 1024;

/** Characters held as objects before the store goes to disk; `OSTRACE_SPILL_AFTER` sets it too (tests). */
export function defaultBudget(): number {
  const env = Number(process.env.OSTRACE_SPILL_AFTER);
  return Number.isInteger(env) && env > 0 ? env : 8 << 20;
}

export class JsonStore<T> {
  private held = new Map<number, T>();
  private heldChars = 0;
  private fd: number | null = null;
  private fileBytes = 0;
  /** By key: where its JSON starts in the file, and its length in bytes (0: none). */
  private offsets = new Float64Array(1024);
  private lengths = new Int32Array(1024);
  private count = 0;
  /** Values written but not yet in the file: the bytes from `fileBytes` on. */
  private pending = byteBuffer(0);
  private pendingBytes = 0;
  /** The last block read from the file, and where it starts in it. */
  private window = byteBuffer(0);
  private windowStart = 0;
  private windowBytes = 0;

  /** `charsOf`: what a value costs against `budget` while it is held. */
  constructor(
    private readonly charsOf: (value: T) => number,
    private readonly budget = defaultBudget(),
  ) {}

  get size(): number {
    return this.count;
  }

  /** Values held as objects (none once the store went to disk). */
  get inMemory(): number {
    return this.held.size;
  }

  set(key: number, value: T): void {
    this.count++;
    if (this.fd === null) {
      this.held.set(key, value);
      this.heldChars += this.charsOf(value);
      if (this.heldChars <= this.budget) return;
      this.fd = spillFileOrNull();
      if (this.fd === null) {
        this.heldChars = -Infinity; // no file: hold everything, do not ask again
        return;
      }
      for (const [heldKey, v] of this.held) this.write(heldKey, v);
      this.held = new Map();
      return;
    }
    this.write(key, value);
  }

  get(key: number): T | undefined {
    const held = this.held.get(key);
    // A key never stored (past the end, or negative: `ids.at(-1) ?? -1` of an empty list) has no value.
    if (held !== undefined || this.fd === null || key < 0 || key >= this.lengths.length) return held;
    const json = this.jsonAt(key);
    return json === undefined ? undefined : (JSON.parse(json) as T);
  }

  /** The value as `JSON.stringify` writes it. */
  json(key: number): string | undefined {
    const held = this.held.get(key);
    if (held !== undefined || this.fd === null || key < 0 || key >= this.lengths.length)
      return held === undefined ? undefined : JSON.stringify(held);
    return this.jsonAt(key);
  }

  /** Close the file early (it is freed at exit anyway). */
  dispose(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    this.held = new Map();
    this.pending = byteBuffer(0);
    this.window = byteBuffer(0);
  }

  private jsonAt(key: number): string | undefined {
    const length = this.lengths[key]!;
    if (length === 0) return undefined;
    const offset = this.offsets[key]!;
    // Not written out yet: still in the pending block.
    if (offset >= this.fileBytes) {
      const at = offset - this.fileBytes;
      return this.pending.toString('utf8', at, at + length);
    }
    if (offset < this.windowStart || offset + length > this.windowStart + this.windowBytes)
      this.readWindow(offset, length);
    const at = offset - this.windowStart;
    return this.window.toString('utf8', at, at + length);
  }

  /** The block of the file from `offset`: the value there and, usually, the next ones read. */
  private readWindow(offset: number, length: number): void {
    const size = Math.max(BLOCK, length);
    if (this.window.length < size) this.window = byteBuffer(size);
    const wanted = Math.min(size, this.fileBytes - offset);
    let read = 0;
    while (read < wanted) {
      const n = readSync(this.fd!, this.window, read, wanted - read, offset + read);
      if (n <= 0) throw new Error('ostrace: a temporary file ended before the value');
      read += n;
    }
    this.windowStart = offset;
    this.windowBytes = read;
  }

  private write(key: number, value: T): void {
    const json = JSON.stringify(value);
    const most = Buffer.byteLength(json, 'utf8');
    if (this.pendingBytes + most > this.pending.length) {
      this.flush();
      if (most > this.pending.length) this.pending = byteBuffer(Math.max(BLOCK, most));
    }
    const length = this.pending.write(json, this.pendingBytes, 'utf8');
    if (key >= this.lengths.length) this.grow(key);
    this.offsets[key] = this.fileBytes + this.pendingBytes;
    this.lengths[key] = length;
    this.pendingBytes += length;
  }

  /** The pending block to the file. */
  private flush(): void {
    let written = 0;
    while (written < this.pendingBytes)
      written += writeSync(this.fd!, this.pending, written, this.pendingBytes - written, this.fileBytes + written);
    this.fileBytes += this.pendingBytes;
    this.pendingBytes = 0;
  }

  private grow(key: number): void {
    let size = this.lengths.length;
    while (size <= key) size *= 2;
    this.offsets = grownColumn(this.offsets, size);
    this.lengths = grownColumn(this.lengths, size);
  }
}
