// Values kept by a number (an exchange id, a row's place) that are read back one at a
// time, in any order. Past a budget of characters they go, as JSON, to an anonymous
// temporary file (as the spilled rows do) and are read back at the offset kept for each.
import { closeSync, writeSync } from 'node:fs';
import { readRow, spillFileOrNull } from './spill-list.js';
import { grownColumn } from '../core/columns.js';

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

  /** `charsOf`: what a value costs against `budget` while it is held. */
  constructor(
    private readonly charsOf: (value: T) => number,
    private readonly budget = defaultBudget(),
  ) {}

  get size(): number {
    return this.count;
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
    if (held !== undefined || this.fd === null || key >= this.lengths.length) return held;
    const json = this.jsonAt(key);
    return json === undefined ? undefined : (JSON.parse(json) as T);
  }

  /** The value as `JSON.stringify` writes it. */
  json(key: number): string | undefined {
    const held = this.held.get(key);
    if (held !== undefined || this.fd === null || key >= this.lengths.length)
      return held === undefined ? undefined : JSON.stringify(held);
    return this.jsonAt(key);
  }

  /** Close the file early (it is freed at exit anyway). */
  dispose(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    this.held = new Map();
  }

  private jsonAt(key: number): string | undefined {
    const length = this.lengths[key]!;
    if (length === 0) return undefined;
    return readRow(this.fd!, this.offsets[key]!, length);
  }

  private write(key: number, value: T): void {
    const bytes = Buffer.from(JSON.stringify(value), 'utf8');
    let written = 0;
    while (written < bytes.length)
      written += writeSync(this.fd!, bytes, written, bytes.length - written, this.fileBytes + written);
    if (key >= this.lengths.length) this.grow(key);
    this.offsets[key] = this.fileBytes;
    this.lengths[key] = bytes.length;
    this.fileBytes += bytes.length;
  }

  private grow(key: number): void {
    let size = this.lengths.length;
    while (size <= key) size *= 2;
    this.offsets = grownColumn(this.offsets, size);
    this.lengths = grownColumn(this.lengths, size);
  }
}
