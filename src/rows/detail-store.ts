// The headers and bodies of every exchange, for the reports that show them (HTML's
// details, HAR). Most bytes of a debug log are bodies: a long run's would not fit in
// memory, so past a budget they go to an anonymous temporary file (as the spilled rows
// do) and are read back one at a time, by exchange id, at the offset kept for it.
import { readSync, writeSync } from 'node:fs';
import type { DetailLookup, ExchangeDetail } from '../core/analysis.js';
import { spillFileOrNull } from './spill-list.js';

/** Characters of headers and bodies held as objects before they are written out; `OSTRACE_SPILL_AFTER` sets it too (tests). */
function defaultBudget(): number {
  const env = Number(process.env.OSTRACE_SPILL_AFTER);
  return Number.isInteger(env) && env > 0 ? env : 8 << 20;
}

export class DetailStore implements DetailLookup {
  private held = new Map<number, ExchangeDetail>();
  private heldChars = 0;
  private fd: number | null = null;
  private fileBytes = 0;
  /** By exchange id: where its detail's JSON starts in the file, and its length in bytes (0: none). */
  private offsets = new Float64Array(1024);
  private lengths = new Int32Array(1024);
  private count = 0;

  /** `budget`: characters held before the store goes to disk (tests set it low). */
  constructor(private readonly budget = defaultBudget()) {}

  get size(): number {
    return this.count;
  }

  set(id: number, detail: ExchangeDetail): void {
    this.count++;
    if (this.fd === null) {
      this.held.set(id, detail);
      this.heldChars += charsOf(detail);
      if (this.heldChars <= this.budget) return;
      this.fd = spillFileOrNull();
      if (this.fd === null) {
        this.heldChars = -Infinity; // no file: hold everything, do not ask again
        return;
      }
      for (const [heldId, d] of this.held) this.write(heldId, d);
      this.held = new Map();
      return;
    }
    this.write(id, detail);
  }

  get(id: number): ExchangeDetail | undefined {
    const held = this.held.get(id);
    if (held !== undefined || this.fd === null || id >= this.lengths.length) return held;
    const length = this.lengths[id]!;
    if (length === 0) return undefined;
    const bytes = Buffer.allocUnsafe(length);
    readSync(this.fd, bytes, 0, length, this.offsets[id]!);
    return JSON.parse(bytes.toString('utf8')) as ExchangeDetail;
  }

  private write(id: number, detail: ExchangeDetail): void {
    const bytes = Buffer.from(JSON.stringify(detail), 'utf8');
    let written = 0;
    while (written < bytes.length)
      written += writeSync(this.fd!, bytes, written, bytes.length - written, this.fileBytes + written);
    if (id >= this.lengths.length) this.grow(id);
    this.offsets[id] = this.fileBytes;
    this.lengths[id] = bytes.length;
    this.fileBytes += bytes.length;
  }

  private grow(id: number): void {
    let size = this.lengths.length;
    while (size <= id) size *= 2;
    const offsets = new Float64Array(size);
    offsets.set(this.offsets);
    const lengths = new Int32Array(size);
    lengths.set(this.lengths);
    this.offsets = offsets;
    this.lengths = lengths;
  }
}

function charsOf(d: ExchangeDetail): number {
  let n = (d.requestBody?.length ?? 0) + (d.responseBody?.length ?? 0);
  for (const [name, value] of d.requestHeaders) n += name.length + value.length;
  for (const [name, value] of d.responseHeaders ?? []) n += name.length + value.length;
  return n;
}
