// A list that keeps its newest items in memory and writes older ones, as JSON
// lines, to an anonymous temporary file (created, then unlinked while open, so
// nothing is left behind even if the process is killed). Memory stays bounded by
// `keep` items however long the log; reading streams the file back in chunks.
// Items must be plain JSON data. The newest `keep` items stay live objects, so a
// stage may still complete an item shortly after pushing it (the `--timing` table
// that follows its command).
import { isAscii } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Rows, UnreadValues } from './rows.js';
import { byteBuffer, grownColumn } from '../core/columns.js';

/** Items kept in memory before the oldest are written out; `OSTRACE_SPILL_AFTER` overrides it (tests). */
export const DEFAULT_KEEP = 500;
const READ_CHUNK = 1 << 20;
const NEWLINE = 0x0a;
/** Read buffers of READ_CHUNK bytes no read holds, for the next (a few at most: reads may nest). */
const freeReadBuffers: Buffer[] = [];
const KEPT_READ_BUFFERS = 4;
/** Bytes read at a time by `jsonJoined`: each read is one piece of text. */
const JOINED_CHUNK = 1 << 15;

/** Items a list keeps in memory when not told: DEFAULT_KEEP, or `OSTRACE_SPILL_AFTER`. */
export function defaultKeep(): number {
  const env = Number(process.env.OSTRACE_SPILL_AFTER);
  return Number.isInteger(env) && env > 0 ? env : DEFAULT_KEEP;
}

/** Where a batch of rows is encoded before it is written (one for the process, grown to the largest batch). */
const SPILL_BUFFER = 1 << 20;
const MAX_KEPT_SPILL_BUFFER = 16 << 20;
let spillBuffer = byteBuffer(0);
/** Where `jsonJoined` puts a read's rows and separators before decoding them. */
let joinBuffer = byteBuffer(0);

let spillFiles = 0;
/** Set when no temporary file can be made (a read-only or missing TMPDIR): lists then stay in memory. */
let spillUnavailable = false;
/** Files the system would not unlink while open (not Linux): removed when the process exits. */
const leftovers: string[] = [];

/** One file per list, unlinked at once: nothing is left behind, even if the process is killed. */
function openSpillFile(): number {
  const path = join(tmpdir(), `ostrace-rows-${process.pid}-${++spillFiles}-${randomBytes(4).toString('hex')}.jsonl`);
  const fd = openSync(path, 'wx+', 0o600);
  try {
    unlinkSync(path);
  } catch {
    if (leftovers.length === 0)
      process.once('exit', () => {
        for (const f of leftovers) rmSync(f, { force: true });
      });
    leftovers.push(path);
  }
  return fd;
}

/**
 * A new spill file, or null when none can be written (then once a one-line warning): the
 * caller keeps what it would have written in memory. Degrade, do not fail: the run is still
 * right, only larger in memory.
 */
export function spillFileOrNull(): number | null {
  if (spillUnavailable) return null;
  try {
    return openSpillFile();
  } catch (e) {
    spillUnavailable = true;
    process.stderr.write(
      `ostrace: cannot write temporary files in ${tmpdir()} (${(e as Error).message}); keeping the whole run in memory\n`,
    );
    return null;
  }
}

/**
 * Where a row read alone (`at`, JsonStore) lands: one buffer, reused. A buffer per row read back
 * is memory outside the heap that V8 frees late: tens of thousands of them raised the peak by
 * more than the rows themselves.
 */
let rowBuffer = byteBuffer(64 << 10);

/** The text of `length` bytes at `position` of a spill file (a row, or a JsonStore value). */
export function readRow(fd: number, position: number, length: number): string {
  if (length > rowBuffer.length) {
    // a row past the largest one kept is read into a buffer of its own
    if (length > MAX_KEPT_SPILL_BUFFER) return readInto(byteBuffer(length), fd, position, length);
    rowBuffer = byteBuffer(length);
  }
  return readInto(rowBuffer, fd, position, length);
}

function readInto(bytes: Buffer, fd: number, position: number, length: number): string {
  for (let read = 0; read < length;) {
    const n = readSync(fd, bytes, read, length - read, position + read);
    if (n <= 0) throw new Error('ostrace: a temporary file ended before the row');
    read += n;
  }
  return bytes.toString('utf8', 0, length);
}

const LATIN1_LINE_LIMIT = 1 << 19;

/**
 * Bytes of a JSON line as a string: ASCII (the usual) as latin1, the same string without UTF-8's
 * checks. Not a line of half a megabyte or more: node would make that an external string,
 * outside the heap until collected.
 */
function decodeLine(bytes: Buffer, start: number, end: number, ascii: boolean): string {
  const latin1 = end - start < LATIN1_LINE_LIMIT && (ascii || isAscii(bytes.subarray(start, end)));
  return bytes.toString(latin1 ? 'latin1' : 'utf8', start, end);
}

/** Where a line is copied without the values its reader does not read (one for the process). */
let readBuffer = byteBuffer(0);
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const NULL = Buffer.from('null', 'latin1');

/** `UnreadValues` as the bytes searched for: the key with its string value's opening quote. */
interface UnreadNeedles {
  keyQuote: Buffer;
  from: Buffer;
  to: Buffer;
}

function unreadNeedles(unread: UnreadValues): UnreadNeedles {
  return {
    keyQuote: Buffer.from(`${unread.key}"`, 'utf8'),
    from: Buffer.from(unread.from, 'utf8'),
    to: Buffer.from(unread.to, 'utf8'),
  };
}

/**
 * A JSON line decoded with the string values of `key` between the first `from` and the first
 * `to` after it made null. A key's raw `"` cannot be inside a string value (it would be `\"`),
 * so every `key` found is a key; a value ends at the first quote after an even run of backslashes.
 */
function decodeRead(bytes: Buffer, start: number, end: number, ascii: boolean, unread: UnreadNeedles): string {
  const line = bytes.subarray(start, end);
  // Most rows hold no string value of the key (a complete flow's messages are null): one search.
  let at = line.indexOf(unread.keyQuote);
  if (at < 0) return decodeLine(bytes, start, end, ascii);
  const from = line.indexOf(unread.from);
  const to = from < 0 ? -1 : line.indexOf(unread.to, from + unread.from.length);
  if (at < from) at = to < 0 ? -1 : line.indexOf(unread.keyQuote, from);
  if (to < 0 || at < 0 || at > to) return decodeLine(bytes, start, end, ascii);
  if (readBuffer.length < line.length) readBuffer = byteBuffer(Math.max(line.length, 1 << 16));
  let size = 0;
  let copied = 0;
  while (at >= 0 && at < to) {
    // The value's opening quote.
    const value = at + unread.keyQuote.length - 1;
    let close = line.indexOf(QUOTE, value + 1);
    for (;;) {
      let slashes = 0;
      while (close - 1 - slashes > value && line[close - 1 - slashes] === BACKSLASH) slashes++;
      if (close < 0 || slashes % 2 === 0) break;
      close = line.indexOf(QUOTE, close + 1);
    }
    if (close < 0 || close > to) break;
    size += line.copy(readBuffer, size, copied, value);
    size += NULL.copy(readBuffer, size);
    copied = close + 1;
    at = line.indexOf(unread.keyQuote, copied);
  }
  // No string value to drop: the line as it is.
  if (copied === 0) return decodeLine(bytes, start, end, ascii);
  size += line.copy(readBuffer, size, copied);
  // Large buffers are not kept (a row far longer than most). Less of an ASCII line is ASCII too.
  const text = decodeLine(readBuffer, 0, size, ascii);
  if (readBuffer.length > MAX_KEPT_SPILL_BUFFER) readBuffer = byteBuffer(0);
  return text;
}

/**
 * A SpillList handed to another thread of the process (`toData`, `SpillList.fromData`): its file
 * descriptor is the process's, so the rows stay where they were written.
 */
export interface SpillListData<T> {
  fd: number | null;
  fileBytes: number;
  spilled: number;
  /** Rows never written (no temporary file could be made). */
  mem: T[];
  keep: number;
  readChunk: number;
}

export class SpillList<T> implements Rows<T> {
  private mem: T[] = [];
  /** How many items are in the file (all older than mem[0]). */
  private spilled = 0;
  private fd: number | null = null;
  private fileBytes = 0;
  private readonly patches: Array<(item: T) => void> = [];
  private readonly keep: number;
  private readonly readChunk: number;
  /** Reads under way (iterators not run to their end or closed): the list is not sealed under them. */
  private readers = 0;
  /** With `indexed`: where each spilled row starts in the file, and after the last, the file's end. */
  private rowStarts: Float64Array | null;

  /**
   * `readChunk`: bytes read from the file at a time (a list read back many times at once, one by
   * one, wants less). `indexed`: `at` reads a spilled row alone (8 bytes kept per row).
   */
  constructor(options: { keep?: number; readChunk?: number; indexed?: boolean } = {}) {
    this.keep = Math.max(1, options.keep ?? defaultKeep());
    this.readChunk = Math.max(1024, options.readChunk ?? READ_CHUNK);
    this.rowStarts = options.indexed ? new Float64Array(1024) : null;
  }

  get length(): number {
    return this.spilled + this.mem.length;
  }

  /** True once some items live only in the file. */
  get hasSpilled(): boolean {
    return this.spilled > 0;
  }

  /** Items currently held as objects (at most 2 × keep). */
  get inMemory(): number {
    return this.mem.length;
  }

  push(item: T): void {
    this.mem.push(item);
    if (this.mem.length >= 2 * this.keep) this.spill(this.keep);
  }

  /**
   * Change every item as it is read, now and later (e.g. a time learned at the end
   * of the run). Must be idempotent: it may see the same object more than once.
   */
  patch(fn: (item: T) => void): void {
    this.patches.push(fn);
  }

  /** Close the file early (it is freed at exit anyway). */
  dispose(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    this.mem = [];
    this.spilled = 0;
    this.fileBytes = 0;
  }

  /**
   * No item changes from now on but through `patch`: a list that has written items out writes
   * the rest too, so that each later read takes every row from the file as it was written
   * (a rule's scan for a marker no longer makes the JSON of the newest items again). A list
   * that never spilled keeps its items; so does one being read (it is left as it is).
   */
  seal(): void {
    if (this.fd === null || this.readers > 0 || this.mem.length === 0) return;
    this.spill(this.mem.length);
  }

  /**
   * Its rows as data for another thread, every row written out first: the list is not used here
   * again (the file is now the other thread's to read and close).
   */
  toData(): SpillListData<T> {
    if (this.patches.length > 0 || this.readers > 0 || this.rowStarts !== null)
      throw new Error('ostrace: a patched, indexed or open list cannot be handed on');
    if (this.mem.length > 0) this.spill(this.mem.length);
    const data = {
      fd: this.fd,
      fileBytes: this.fileBytes,
      spilled: this.spilled,
      mem: this.mem,
      keep: this.keep,
      readChunk: this.readChunk,
    };
    this.fd = null;
    this.mem = [];
    this.spilled = 0;
    this.fileBytes = 0;
    return data;
  }

  /** The list `toData` described, taken over. */
  static fromData<T>(data: SpillListData<T>): SpillList<T> {
    const list = new SpillList<T>({ keep: data.keep, readChunk: data.readChunk });
    list.fd = data.fd;
    list.fileBytes = data.fileBytes;
    list.spilled = data.spilled;
    list.mem = data.mem;
    return list;
  }

  *[Symbol.iterator](): Iterator<T> {
    this.readers++;
    try {
      const spilledAtStart = this.spilled;
      for (const line of this.spilledLines()) yield this.patched(JSON.parse(line) as T);
      if (this.spilled !== spilledAtStart)
        throw new Error('SpillList: items were written out while the list was being read');
      const mem = this.mem;
      const count = mem.length;
      for (let i = 0; i < count; i++) {
        yield this.patched(mem[i]!);
        if (this.spilled !== spilledAtStart)
          throw new Error('SpillList: items were written out while the list was being read');
      }
    } finally {
      this.readers--;
    }
  }

  /**
   * Each item as `JSON.stringify` writes it, in order: the lines of the file as they
   * are when no patch changes them (no parse and stringify again), then the items in memory.
   */
  get jsonRowsAsWritten(): boolean {
    return this.patches.length === 0;
  }

  get readsAlone(): boolean {
    return this.rowStarts !== null;
  }

  *jsonRows(unread?: UnreadValues): Generator<string> {
    if (this.patches.length > 0) {
      for (const item of this) yield JSON.stringify(item);
      return;
    }
    this.readers++;
    try {
      const spilledAtStart = this.spilled;
      yield* this.spilledLines(unread);
      for (const item of this.mem.slice()) {
        if (this.spilled !== spilledAtStart)
          throw new Error('SpillList: items were written out while the list was being read');
        yield JSON.stringify(item);
      }
    } finally {
      this.readers--;
    }
  }

  /**
   * Every row's JSON, in order, with `separator` between two rows, in pieces: the rows in the
   * file as the text of one read of 32 KB each (its newlines between rows made the separator
   * in the bytes, then decoded once: no string per row, no joining of them), then those in
   * memory one by one. Pieces stay small: a big one would be a string outside the young
   * generation, held until a full collection.
   */
  *jsonJoined(separator: string): Generator<string> {
    let first = true;
    if (this.patches.length > 0) {
      for (const item of this) {
        yield first ? JSON.stringify(item) : separator + JSON.stringify(item);
        first = false;
      }
      return;
    }
    this.readers++;
    try {
      const spilledAtStart = this.spilled;
      const sep = Buffer.from(separator, 'utf8');
      for (const { buffer, end } of this.spilledChunks(JOINED_CHUNK)) {
        let rows = 1;
        for (let nl = buffer.indexOf(NEWLINE); nl >= 0 && nl < end; nl = buffer.indexOf(NEWLINE, nl + 1)) rows++;
        const need = end + (first ? rows - 1 : rows) * sep.length - (rows - 1);
        // Kept for the next read, unless a row far longer than a read made it large.
        if (joinBuffer.length < need || joinBuffer.length > MAX_KEPT_SPILL_BUFFER)
          joinBuffer = byteBuffer(Math.max(need, JOINED_CHUNK * 2));
        const out = joinBuffer;
        let size = 0;
        let start = 0;
        for (let k = 0; k < rows; k++) {
          if (k > 0 || !first) size += sep.copy(out, size);
          const nl = k < rows - 1 ? buffer.indexOf(NEWLINE, start) : end;
          size += buffer.copy(out, size, start, nl);
          start = nl + 1;
        }
        first = false;
        yield decodeLine(out, 0, size, false);
      }
      for (const item of this.mem.slice()) {
        if (this.spilled !== spilledAtStart)
          throw new Error('SpillList: items were written out while the list was being read');
        yield first ? JSON.stringify(item) : separator + JSON.stringify(item);
        first = false;
      }
    } finally {
      this.readers--;
    }
  }

  /**
   * The JSON lines that contain `marker`, in order. In the file the marker is looked for in
   * the bytes and only the lines holding it are decoded: a rule looking for a rare case
   * reads a long run's rows without making a string of each.
   */
  *jsonRowsWith(marker: string): Generator<string> {
    yield* this.jsonRowsWithAny([marker]);
  }

  /**
   * The JSON lines that contain any of `markers`, in order, each once: like `jsonRowsWith`,
   * every marker looked for in the bytes of the file, the lines that hold one decoded.
   * `without`: a line that holds it too is passed over, undecoded. `unread`: string values the
   * caller never reads, made null in a line from the file before it is decoded (less to
   * decode and parse; a line from memory keeps them).
   */
  *jsonRowsWithAny(markers: readonly string[], without?: string, unread?: UnreadValues): Generator<string> {
    const holds = (json: string) =>
      markers.some((m) => json.includes(m)) && (without === undefined || !json.includes(without));
    if (this.patches.length > 0) {
      for (const item of this) {
        const json = JSON.stringify(item);
        if (holds(json)) yield json;
      }
      return;
    }
    this.readers++;
    try {
      const spilledAtStart = this.spilled;
      // Where each marker is next found in the chunk (-1: not again).
      const next = markers.map(() => -1);
      // As bytes: node searches a Buffer needle as it is, a string one is encoded again per search.
      const needles = markers.map((m) => Buffer.from(m, 'utf8'));
      const withoutNeedle = without === undefined ? undefined : Buffer.from(without, 'utf8');
      const unreadBytes = unread && unreadNeedles(unread);
      for (const { buffer, end } of this.spilledChunks()) {
        const lines = buffer.subarray(0, end);
        const ascii = isAscii(lines);
        for (let k = 0; k < markers.length; k++) next[k] = lines.indexOf(needles[k]!);
        for (;;) {
          let at = -1;
          for (const n of next) if (n >= 0 && (at < 0 || n < at)) at = n;
          if (at < 0) break;
          // JSON lines hold no raw newline: the marker's line is the one around it.
          const lineStart = at === 0 ? 0 : lines.lastIndexOf(NEWLINE, at - 1) + 1;
          const nl = lines.indexOf(NEWLINE, at);
          const lineEnd = nl < 0 ? end : nl;
          if (withoutNeedle === undefined || lines.subarray(lineStart, lineEnd).indexOf(withoutNeedle) < 0)
            yield unreadBytes
              ? decodeRead(lines, lineStart, lineEnd, ascii, unreadBytes)
              : decodeLine(lines, lineStart, lineEnd, ascii);
          // Markers found again in this line are past: each is looked for after it.
          for (let k = 0; k < markers.length; k++)
            if (next[k]! >= 0 && next[k]! <= lineEnd)
              next[k] = lineEnd >= end ? -1 : lines.indexOf(needles[k]!, lineEnd + 1);
        }
      }
      for (const item of this.mem.slice()) {
        if (this.spilled !== spilledAtStart)
          throw new Error('SpillList: items were written out while the list was being read');
        const json = JSON.stringify(item);
        if (holds(json)) yield json;
      }
    } finally {
      this.readers--;
    }
  }

  /**
   * The rows `pick` accepts from their bytes, decoded; one it refuses is never made a string (a
   * pass that wants a few rows of a day's exchanges by their ids decoded every one). The items in
   * memory are written as JSON and picked the same way.
   */
  *jsonRowsPicked(pick: (bytes: Buffer, start: number, end: number) => boolean): Generator<string> {
    const inMemory = function* (items: Iterable<unknown>): Generator<string> {
      for (const item of items) {
        const json = JSON.stringify(item);
        const bytes = Buffer.from(json, 'utf8');
        if (pick(bytes, 0, bytes.length)) yield json;
      }
    };
    if (this.patches.length > 0) {
      yield* inMemory(this);
      return;
    }
    this.readers++;
    try {
      const spilledAtStart = this.spilled;
      for (const { buffer, end } of this.spilledChunks()) {
        const lines = buffer.subarray(0, end);
        const ascii = isAscii(lines);
        let start = 0;
        while (start <= end) {
          const nl = lines.indexOf(NEWLINE, start);
          const lineEnd = nl < 0 ? end : nl;
          if (pick(lines, start, lineEnd)) yield decodeLine(lines, start, lineEnd, ascii);
          if (nl < 0) break;
          start = nl + 1;
        }
      }
      if (this.spilled !== spilledAtStart)
        throw new Error('SpillList: items were written out while the list was being read');
      yield* inMemory(this.mem.slice());
    } finally {
      this.readers--;
    }
  }

  /**
   * The JSON lines of the items in the file, each decoded from the bytes on its own: a string of
   * the whole read (a megabyte) would be one large object per read, all of them garbage that
   * raised the peak memory of every stage that reads a long list.
   */
  private *spilledLines(unread?: UnreadValues): Generator<string> {
    const needles = unread && unreadNeedles(unread);
    for (const { buffer, end } of this.spilledChunks()) {
      const lines = buffer.subarray(0, end);
      const ascii = isAscii(lines);
      let start = 0;
      for (let nl = lines.indexOf(NEWLINE); nl >= 0; nl = lines.indexOf(NEWLINE, start)) {
        yield needles ? decodeRead(lines, start, nl, ascii, needles) : decodeLine(lines, start, nl, ascii);
        start = nl + 1;
      }
      yield needles ? decodeRead(lines, start, end, ascii, needles) : decodeLine(lines, start, end, ascii);
    }
  }

  /**
   * The file in whole lines: `buffer[0, end)` holds complete JSON lines (`end` is a newline,
   * a byte never inside a UTF-8 sequence); the bytes after it move to the front of the
   * buffer for the next read. The buffer is reused: a chunk is valid until the next one.
   */
  private *spilledChunks(readChunk = this.readChunk): Generator<{ buffer: Buffer; end: number }> {
    if (this.fd === null || this.spilled === 0) return;
    const fd = this.fd;
    const fileEnd = this.fileBytes;
    // A buffer another read gave back: a run's many passes over its lists (each rule's scan)
    // do not leave a megabyte each outside the heap until the next collection.
    let buffer = (readChunk === READ_CHUNK ? freeReadBuffers.pop() : undefined) ?? byteBuffer(readChunk);
    try {
      yield* this.chunksOf(fd, fileEnd, buffer, (bigger) => (buffer = bigger));
    } finally {
      if (buffer.length === READ_CHUNK && freeReadBuffers.length < KEPT_READ_BUFFERS) freeReadBuffers.push(buffer);
    }
  }

  private *chunksOf(
    fd: number,
    fileEnd: number,
    start: Buffer,
    grown: (bigger: Buffer) => void,
  ): Generator<{ buffer: Buffer; end: number }> {
    let buffer = start;
    let carry = 0;
    let position = 0;
    while (position < fileEnd) {
      if (carry === buffer.length) {
        const bigger = byteBuffer(buffer.length * 2); // a row longer than a chunk
        buffer.copy(bigger, 0, 0, carry);
        buffer = bigger;
        grown(bigger);
      }
      const n = readSync(fd, buffer, carry, Math.min(buffer.length - carry, fileEnd - position), position);
      if (n <= 0) break;
      position += n;
      const filled = carry + n;
      const last = buffer.lastIndexOf(NEWLINE, filled - 1);
      if (last < 0) {
        carry = filled;
        continue;
      }
      yield { buffer, end: last };
      carry = filled - last - 1;
      buffer.copy(buffer, 0, last + 1, filled);
    }
  }

  map<U>(fn: (value: T, index: number) => U): U[] {
    const out: U[] = [];
    let i = 0;
    for (const v of this) out.push(fn(v, i++));
    return out;
  }

  filter<S extends T>(fn: (value: T, index: number) => value is S): S[];
  filter(fn: (value: T, index: number) => unknown): T[];
  filter(fn: (value: T, index: number) => unknown): T[] {
    const out: T[] = [];
    let i = 0;
    for (const v of this) if (fn(v, i++)) out.push(v);
    return out;
  }

  find<S extends T>(fn: (value: T, index: number) => value is S): S | undefined;
  find(fn: (value: T, index: number) => unknown): T | undefined;
  find(fn: (value: T, index: number) => unknown): T | undefined {
    let i = 0;
    for (const v of this) if (fn(v, i++)) return v;
    return undefined;
  }

  some(fn: (value: T, index: number) => unknown): boolean {
    return this.find(fn) !== undefined;
  }

  every(fn: (value: T, index: number) => unknown): boolean {
    let i = 0;
    for (const v of this) if (!fn(v, i++)) return false;
    return true;
  }

  forEach(fn: (value: T, index: number) => void): void {
    let i = 0;
    for (const v of this) fn(v, i++);
  }

  at(index: number): T | undefined {
    const i = index < 0 ? this.length + index : index;
    if (i < 0 || i >= this.length) return undefined;
    if (i >= this.spilled) return this.patched(this.mem[i - this.spilled]!);
    if (this.rowStarts !== null && this.fd !== null) {
      const start = this.rowStarts[i]!;
      const length = this.rowStarts[i + 1]! - start - 1; // without its newline
      return this.patched(JSON.parse(readRow(this.fd, start, length)) as T);
    }
    let k = 0;
    for (const v of this) if (k++ === i) return v;
    return undefined;
  }

  /** JSON.stringify of an object holding the list writes it as an array. */
  toJSON(): T[] {
    return Array.from(this);
  }

  private patched(item: T): T {
    for (const p of this.patches) p(item);
    return item;
  }

  private spill(count: number): void {
    this.fd ??= spillFileOrNull();
    if (this.fd === null) return;
    // Each row's JSON is encoded into one buffer as it is made: no string of the whole batch,
    // no count of its bytes before the write.
    let bytes = spillBuffer;
    let size = 0;
    const starts = this.indexRoom(this.spilled + count + 1);
    for (let i = 0; i < count; i++) {
      if (starts) starts[this.spilled + i] = this.fileBytes + size;
      const json = JSON.stringify(this.mem[i]);
      // A UTF-16 unit is at most 3 bytes of UTF-8 (a surrogate pair, 2 units, is 4): room for all of it.
      const room = size + json.length * 3 + 1;
      if (room > bytes.length) {
        const bigger = byteBuffer(Math.max(room, bytes.length * 2));
        bytes.copy(bigger, 0, 0, size);
        bytes = bigger;
      }
      size += bytes.write(json, size, 'utf8');
      bytes[size++] = NEWLINE;
    }
    // A short write (rare: a full disk's last bytes) goes on from where it stopped.
    for (let written = 0; written < size;)
      written += writeSync(this.fd, bytes, written, size - written, this.fileBytes + written);
    // The buffer is kept for the next batch, unless one huge batch made it large.
    spillBuffer = bytes.length > MAX_KEPT_SPILL_BUFFER ? byteBuffer(SPILL_BUFFER) : bytes;
    this.fileBytes += size;
    this.spilled += count;
    if (starts) starts[this.spilled] = this.fileBytes;
    this.mem = this.mem.slice(count);
  }

  /** The row index with room for `rows` entries (null when the list keeps none). */
  private indexRoom(rows: number): Float64Array | null {
    if (this.rowStarts === null || rows <= this.rowStarts.length) return this.rowStarts;
    return (this.rowStarts = grownColumn(this.rowStarts, Math.max(rows, this.rowStarts.length * 2)));
  }
}
