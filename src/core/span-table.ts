// The request spans of service logs, kept from the read to the chains stage: hundreds of
// thousands in a long run (a busy nova-api logs a request id per call). An object per span
// with boxed times and an id list cost ~300 bytes each; here they are columns indexed by
// span number: numbers in typed arrays (request ids as numbers of the run's RequestIds, UUID
// lists as numbers of the run's UuidLists, input and service as a log number).
import { column, grownColumn, releasedColumn, setWidening, trimmedColumn } from './columns.js';
import { LogKeys, type LogKeysData } from './log-keys.js';
import { NO_REQUEST_ID, overloaded, RequestIds, type RequestIdsData } from './request-ids.js';
import { UuidLists, type UuidListsData } from './uuid-lists.js';

/** All lines of one local request id in one input (and one service label): one row of a SpanTable. */
export interface RequestSpan {
  source: string;
  /** Order of the input on the command line (merge tie-breaker). */
  inputIndex: number;
  service: string;
  requestId: string;
  globalRequestId: string | null;
  firstLine: number;
  lastLine: number;
  firstMs: number | null;
  lastMs: number | null;
  /**
   * Some of its lines are DEBUG: the service logs its steps around the calls it makes, so its
   * lines enclose them. At INFO a worker may log one line, before or after its calls.
   */
  debug: boolean;
  /** Resource UUIDs seen on its lines: instances, volumes, attachments… (capped). */
  uuids: readonly string[];
  /** A server-side exchange (an API call it answered) belongs to this request. */
  answersCall: boolean;
}

const DEBUG = 1;
const ANSWERS_CALL = 2;

/** The columns of the table that can be given back alone (`releaseColumn`); the flags go with `release`. */
const SPAN_COLUMNS = [
  'requestIds',
  'globalRequestIds',
  'logs',
  'firstLines',
  'lastLines',
  'firstMs',
  'lastMs',
  'uuids',
] as const;
export type SpanColumn = (typeof SPAN_COLUMNS)[number];

/** A SpanTable as plain data, for another thread (`toData`, `SpanTable.fromData`). */
export interface SpanTableData {
  count: number;
  ids: RequestIdsData;
  logKeys: LogKeysData;
  logs: Uint16Array<ArrayBuffer> | Uint32Array<ArrayBuffer>;
  requestIds: Int32Array<ArrayBuffer>;
  /** Null: no span has a global id. */
  globalRequestIds: Int32Array<ArrayBuffer> | null;
  /** The UUID lists' pool (each UUID once: a thread's message copies every string it holds). */
  lists: UuidListsData;
  uuids: Int32Array<ArrayBuffer>;
  firstLines: Uint32Array<ArrayBuffer>;
  lastLines: Uint32Array<ArrayBuffer>;
  firstMs: Float64Array<ArrayBuffer>;
  lastMs: Float64Array<ArrayBuffer>;
  flags: Uint8Array<ArrayBuffer>;
}

export class SpanTable {
  private count = 0;
  /** Request ids by number: the run's, shared by the tables of its inputs (see RequestIds). */
  readonly ids: RequestIds;
  /** UUID lists by number: the run's, shared as the ids are. */
  readonly lists: UuidLists;
  /** Input, its order and service: a few for hundreds of thousands of spans; numbers of `logKeys`, 2 bytes until there are more. */
  private logKeys = new LogKeys();
  private logs: Uint16Array | Uint32Array = new Uint16Array(0);
  /** Numbers of `ids` (NO_REQUEST_ID: none). */
  private requestIds = new Int32Array(0);
  /**
   * Made at the first span with a global id: older clouds log none (a million spans of nova logs
   * without one held 4 MB of NO_REQUEST_ID).
   */
  private globalRequestIds: Int32Array<ArrayBuffer> | null = null;
  /** Numbers of `lists` (UuidLists.EMPTY: none). */
  private uuidLists = new Int32Array(0);
  private firstLines = new Uint32Array(0);
  private lastLines = new Uint32Array(0);
  /** NaN: unknown (the line had no time). */
  private firstMsColumn = new Float64Array(0);
  private lastMsColumn = new Float64Array(0);
  private flags = new Uint8Array(0);

  constructor(ids: RequestIds = new RequestIds(), lists: UuidLists = new UuidLists()) {
    this.ids = ids;
    this.lists = lists;
  }

  static of(rows: Iterable<RequestSpan>): SpanTable {
    const table = new SpanTable();
    for (const row of rows) table.push(row);
    return table;
  }

  get size(): number {
    return this.count;
  }

  /** Adds a span; its number. */
  push(s: RequestSpan): number {
    const at = this.count;
    if (at === this.flags.length) this.grow(at + 1);
    this.count++;
    this.logs = setWidening(this.logs, at, this.logKeys.numberOf(s.source, s.inputIndex, s.service));
    this.requestIds[at] = this.ids.intern(s.requestId);
    this.setGlobalNumber(at, this.numberOfId(s.globalRequestId));
    this.uuidLists[at] = this.lists.listOf(s.uuids);
    this.firstLines[at] = s.firstLine;
    this.lastLines[at] = s.lastLine;
    this.firstMsColumn[at] = s.firstMs ?? Number.NaN;
    this.lastMsColumn[at] = s.lastMs ?? Number.NaN;
    this.flags[at] = (s.debug ? DEBUG : 0) | (s.answersCall ? ANSWERS_CALL : 0);
    return at;
  }

  /**
   * Its spans as data another thread can be handed, the table left empty: its columns cut to
   * their length and given away, moved (`transferables`), not copied. They stay V8's resizable
   * buffers, never malloc's: a plain copy of a long log's column would leave glibc's heap
   * holding as much after it is freed (src/core/columns.ts).
   */
  toData(): SpanTableData {
    const n = this.count;
    const take = <T extends Uint8Array | Uint16Array | Uint32Array | Int32Array | Float64Array>(c: T) =>
      trimmedColumn(c, n) as T & { buffer: ArrayBuffer };
    const data: SpanTableData = {
      count: n,
      ids: this.ids.toData(),
      logKeys: this.logKeys.toData(),
      logs: take(this.logs) as Uint16Array<ArrayBuffer> | Uint32Array<ArrayBuffer>,
      requestIds: take(this.requestIds),
      globalRequestIds: this.globalRequestIds ? take(this.globalRequestIds) : null,
      lists: this.lists.toData(),
      uuids: take(this.uuidLists),
      firstLines: take(this.firstLines),
      lastLines: take(this.lastLines),
      firstMs: take(this.firstMsColumn),
      lastMs: take(this.lastMsColumn),
      flags: take(this.flags),
    };
    this.takeOver(new SpanTable());
    return data;
  }

  /** The table `toData` described, with its own request ids (append renumbers them into the run's). */
  static fromData(data: SpanTableData): SpanTable {
    const table = new SpanTable(RequestIds.fromData(data.ids), UuidLists.fromData(data.lists));
    table.count = data.count;
    table.logKeys = LogKeys.fromData(data.logKeys);
    table.logs = data.logs;
    table.requestIds = data.requestIds;
    table.globalRequestIds = data.globalRequestIds;
    table.uuidLists = data.uuids;
    table.firstLines = data.firstLines;
    table.lastLines = data.lastLines;
    table.firstMsColumn = data.firstMs;
    table.lastMsColumn = data.lastMs;
    table.flags = data.flags;
    return table;
  }

  /** The typed arrays of `data`, to be moved to another thread rather than copied. */
  static transferables(data: SpanTableData): ArrayBuffer[] {
    const columns = [data.ids.words, data.logs, data.requestIds, data.globalRequestIds];
    const rest = [data.firstLines, data.lastLines, data.firstMs, data.lastMs, data.flags];
    return [...columns, ...rest, data.uuids].flatMap((c) => (c ? [c.buffer as ArrayBuffer] : []));
  }

  /** How many spans answered no call (each is a node of its own in the chains stage). */
  get unanswered(): number {
    let n = 0;
    for (let at = 0; at < this.count; at++) if ((this.flags[at]! & ANSWERS_CALL) === 0) n++;
    return n;
  }

  /** Span `at` as an object (made on each call: a row to read, not to keep). */
  row(at: number): RequestSpan {
    const flags = this.flags[at]!;
    return {
      source: this.source(at),
      inputIndex: this.inputIndex(at),
      service: this.service(at),
      requestId: this.requestId(at),
      globalRequestId: this.globalRequestId(at),
      firstLine: this.firstLines[at]!,
      lastLine: this.lastLines[at]!,
      firstMs: orNull(this.firstMsColumn[at]!),
      lastMs: orNull(this.lastMsColumn[at]!),
      debug: (flags & DEBUG) !== 0,
      uuids: this.lists.strings(this.uuidLists[at]!),
      answersCall: (flags & ANSWERS_CALL) !== 0,
    };
  }

  *rows(): Generator<RequestSpan> {
    for (let at = 0; at < this.count; at++) yield this.row(at);
  }

  /**
   * All spans of `other` after this table's, in their order; `other` is left empty. The first
   * input's table is taken over as it is, and a later one's spans are added with room for them
   * alone: a day of nova-api logs has a million spans, and a table and its copy, or a table
   * grown to twice what it holds, are tens of MB at the read's end. `inputOffset`: added to
   * its input numbers (a table read in another thread numbered its inputs from 0).
   */
  append(other: SpanTable, inputOffset = 0): void {
    if (other.count === 0) return;
    if (
      this.count === 0 &&
      this.logKeys.size === 0 &&
      other.ids === this.ids &&
      other.lists === this.lists &&
      inputOffset === 0
    ) {
      this.takeOver(other);
      return;
    }
    const from = this.count;
    if (from + other.count > this.flags.length) this.resize(from + other.count);
    this.count += other.count;
    // Loops, not spreads: a long log's spans are more than a spread may pass as arguments.
    // The run's collectors number their ids with the run's table: the numbers are copied as they are.
    const sameIds = other.ids === this.ids;
    // each of the other's logs is numbered here once, its inputs moved by the offset
    const logOf = new Int32Array(other.logKeys.size).fill(-1);
    for (let i = 0; i < other.count; i++) {
      const log = other.logs[i]!;
      if (logOf[log] === -1)
        logOf[log] = this.logKeys.numberOf(
          other.logKeys.source(log),
          other.logKeys.inputIndex(log) + inputOffset,
          other.logKeys.service(log),
        );
      this.logs = setWidening(this.logs, from + i, logOf[log]!);
      this.requestIds[from + i] = sameIds ? other.requestIds[i]! : this.ids.intern(other.requestId(i));
      this.setGlobalNumber(
        from + i,
        sameIds ? other.globalRequestNumber(i) : this.numberOfId(other.globalRequestId(i)),
      );
      this.uuidLists[from + i] = this.lists.copyOf(other.lists, other.uuidLists[i]!);
    }
    const n = other.count;
    this.firstLines.set(other.firstLines.subarray(0, n), from);
    this.lastLines.set(other.lastLines.subarray(0, n), from);
    this.firstMsColumn.set(other.firstMsColumn.subarray(0, n), from);
    this.lastMsColumn.set(other.lastMsColumn.subarray(0, n), from);
    this.flags.set(other.flags.subarray(0, n), from);
    other.release();
  }

  private takeOver(other: SpanTable): void {
    this.count = other.count;
    this.logKeys = other.logKeys;
    this.logs = other.logs;
    this.requestIds = other.requestIds;
    this.globalRequestIds = other.globalRequestIds;
    this.uuidLists = other.uuidLists;
    this.firstLines = other.firstLines;
    this.lastLines = other.lastLines;
    this.firstMsColumn = other.firstMsColumn;
    this.lastMsColumn = other.lastMsColumn;
    this.flags = other.flags;
    if (other.count > 0) other.takeOver(new SpanTable(other.ids, other.lists));
  }

  /** Drops the room reserved for spans to come: the table is kept as it is until the chains stage. */
  trim(): void {
    if (this.flags.length === this.count) return;
    const n = this.count;
    this.requestIds = trimmedColumn(this.requestIds, n);
    if (this.globalRequestIds) this.globalRequestIds = trimmedColumn(this.globalRequestIds, n);
    this.logs = trimmedColumn(this.logs, n);
    this.firstLines = trimmedColumn(this.firstLines, n);
    this.lastLines = trimmedColumn(this.lastLines, n);
    this.firstMsColumn = trimmedColumn(this.firstMsColumn, n);
    this.lastMsColumn = trimmedColumn(this.lastMsColumn, n);
    this.flags = trimmedColumn(this.flags, n);
    this.uuidLists = trimmedColumn(this.uuidLists, n);
  }

  // ---- what the collector changes while it reads a span's lines ----------------------

  source(at: number): string {
    return this.logKeys.source(this.logs[at]!);
  }

  service(at: number): string {
    return this.logKeys.service(this.logs[at]!);
  }

  setService(at: number, service: string): void {
    const log = this.logs[at]!;
    const keys = this.logKeys;
    this.logs = setWidening(this.logs, at, keys.numberOf(keys.source(log), keys.inputIndex(log), service));
  }

  /** Made from its number on each call: compare `requestNumber`s in loops. */
  requestId(at: number): string {
    return this.ids.text(this.requestIds[at]!);
  }

  requestNumber(at: number): number {
    return this.requestIds[at]!;
  }

  globalRequestId(at: number): string | null {
    const n = this.globalRequestNumber(at);
    return n === NO_REQUEST_ID ? null : this.ids.text(n);
  }

  globalRequestNumber(at: number): number {
    return this.globalRequestIds ? this.globalRequestIds[at]! : NO_REQUEST_ID;
  }

  setGlobalRequestId(at: number, id: string | null): void {
    this.setGlobalNumber(at, this.numberOfId(id));
  }

  private setGlobalNumber(at: number, number: number): void {
    if (number === NO_REQUEST_ID && !this.globalRequestIds) return;
    this.globalRequestIds ??= column(Int32Array, this.flags.length).fill(NO_REQUEST_ID);
    this.globalRequestIds[at] = number;
  }

  /** An empty id is none (the joins never grouped by it). */
  private numberOfId(id: string | null): number {
    return id ? this.ids.intern(id) : NO_REQUEST_ID;
  }

  /** Its UUIDs' list, a number of `lists`. */
  uuidList(at: number): number {
    return this.uuidLists[at]!;
  }

  setUuidList(at: number, list: number): void {
    this.uuidLists[at] = list;
  }

  firstMs(at: number): number | null {
    return orNull(this.firstMsColumn[at]!);
  }

  lastMs(at: number): number | null {
    return orNull(this.lastMsColumn[at]!);
  }

  inputIndex(at: number): number {
    return this.logKeys.inputIndex(this.logs[at]!);
  }

  /** Its log's number: spans of one input and service share it (the table's own numbering). */
  logNumber(at: number): number {
    return this.logs[at]!;
  }

  firstLine(at: number): number {
    return this.firstLines[at]!;
  }

  lastLine(at: number): number {
    return this.lastLines[at]!;
  }

  debug(at: number): boolean {
    return (this.flags[at]! & DEBUG) !== 0;
  }

  answersCall(at: number): boolean {
    return (this.flags[at]! & ANSWERS_CALL) !== 0;
  }

  setLastLine(at: number, line: number): void {
    this.lastLines[at] = line;
  }

  setTimes(at: number, firstMs: number | null, lastMs: number | null): void {
    this.firstMsColumn[at] = firstMs ?? Number.NaN;
    this.lastMsColumn[at] = lastMs ?? Number.NaN;
  }

  markDebug(at: number): void {
    this.flags[at]! |= DEBUG;
  }

  markAnswersCall(at: number): void {
    this.flags[at]! |= ANSWERS_CALL;
  }

  /**
   * Gives one column's memory back at once, while the others are still read: a table whose rows
   * become another's (the chains' nodes) is moved a column at a time, so the two tables are
   * never whole side by side. The column reads as empty after.
   */
  releaseColumn(name: SpanColumn): void {
    switch (name) {
      case 'requestIds':
        this.requestIds = releasedColumn(this.requestIds);
        break;
      case 'globalRequestIds':
        if (this.globalRequestIds) releasedColumn(this.globalRequestIds);
        this.globalRequestIds = null;
        break;
      case 'logs':
        this.logs = releasedColumn(this.logs);
        break;
      case 'firstLines':
        this.firstLines = releasedColumn(this.firstLines);
        break;
      case 'lastLines':
        this.lastLines = releasedColumn(this.lastLines);
        break;
      case 'firstMs':
        this.firstMsColumn = releasedColumn(this.firstMsColumn);
        break;
      case 'lastMs':
        this.lastMsColumn = releasedColumn(this.lastMsColumn);
        break;
      case 'uuids':
        this.uuidLists = releasedColumn(this.uuidLists);
        break;
    }
  }

  /**
   * Empties the table and gives its columns' memory back at once, not when a collection finds
   * the table unreferenced (the chains stage allocates its join indexes right after its nodes
   * took the spans: both side by side set the stage's peak).
   */
  release(): void {
    for (const name of SPAN_COLUMNS) this.releaseColumn(name);
    this.flags = releasedColumn(this.flags);
    this.count = 0;
    this.logKeys = new LogKeys();
  }

  private grow(needed: number): void {
    // by half again: a table grown by doubling holds up to twice the room it needs
    this.resize(Math.max(needed, Math.ceil(this.flags.length * 1.5), 256));
  }

  private resize(size: number): void {
    this.requestIds = grownColumn(this.requestIds, size);
    // every span written after the column is made writes its row (`setGlobalNumber`)
    if (this.globalRequestIds) this.globalRequestIds = grownColumn(this.globalRequestIds, size);
    this.logs = grownColumn(this.logs, size);
    this.firstLines = grownColumn(this.firstLines, size);
    this.lastLines = grownColumn(this.lastLines, size);
    this.firstMsColumn = grownColumn(this.firstMsColumn, size);
    this.lastMsColumn = grownColumn(this.lastMsColumn, size);
    this.flags = grownColumn(this.flags, size);
    this.uuidLists = grownColumn(this.uuidLists, size);
  }
}

function orNull(ms: number): number | null {
  return Number.isNaN(ms) ? null : ms;
}

/**
 * Span numbers by input, service and request id: an open-addressing table of span numbers keyed
 * by a hash of the request id's number, the inputs and services compared in the span table
 * itself. A day of nova logs has a million spans: a sort of their numbers by a comparator
 * copied them into V8's heap twice over (16 MB at the chains stage's start, its peak), nested
 * Maps keyed by the spans' strings cost ~30 bytes a span; this costs ~5 and no sort. A later
 * span with the same three replaces an earlier one.
 */
export class SpanLookup {
  private slots: Int32Array;

  constructor(private readonly spans: SpanTable) {
    let size = 1024;
    while (overloaded(spans.size, size)) size *= 2;
    const slots = column(Int32Array, size).fill(EMPTY);
    const mask = size - 1;
    for (let at = 0; at < spans.size; at++) {
      const number = spans.requestNumber(at);
      const source = spans.source(at);
      const service = spans.service(at);
      let i = hashOf(number) & mask;
      while (slots[i] !== EMPTY && !this.holds(slots[i]!, source, service, number)) i = (i + 1) & mask;
      slots[i] = at;
    }
    this.slots = slots;
  }

  /** The number of the span, or undefined. */
  get(source: string, service: string, requestId: string): number | undefined {
    const number = this.spans.ids.find(requestId);
    if (number === NO_REQUEST_ID || this.slots.length === 0) return undefined;
    const mask = this.slots.length - 1;
    for (let i = hashOf(number) & mask; ; i = (i + 1) & mask) {
      const at = this.slots[i]!;
      if (at === EMPTY) return undefined;
      if (this.holds(at, source, service, number)) return at;
    }
  }

  /** Gives its memory back at once (the stage that made it goes on allocating); it finds nothing after. */
  release(): void {
    this.slots = releasedColumn(this.slots);
  }

  /** Span `at` is of this input, service and request id (its number). */
  private holds(at: number, source: string, service: string, requestNumber: number): boolean {
    const spans = this.spans;
    return spans.requestNumber(at) === requestNumber && spans.source(at) === source && spans.service(at) === service;
  }
}

const EMPTY = -1;

/**
 * A growing table's spans by service and request id, while its input is read (each line looks
 * its request's span up): span numbers in an open-addressing table keyed by a hash of the
 * request id, the ids and services compared in the span table itself. A day of nova-api logs
 * has a million and more spans: a Map keyed by their ids cost ~35 bytes a span, this 8 to 16.
 * Spans are added once each; a span's service and request id do not change while it is indexed.
 */
export class SpanIndex {
  private slots = column(Int32Array, 1024).fill(EMPTY);
  private used = 0;

  constructor(private readonly spans: SpanTable) {}

  /** The span of `requestId` for `service`, or undefined. */
  get(service: string, requestId: string): number | undefined {
    const number = this.spans.ids.find(requestId);
    if (number === NO_REQUEST_ID || this.slots.length === 0) return undefined;
    const mask = this.slots.length - 1;
    for (let i = hashOf(number) & mask; ; i = (i + 1) & mask) {
      const at = this.slots[i]!;
      if (at === EMPTY) return undefined;
      if (this.spans.requestNumber(at) === number && this.spans.service(at) === service) return at;
    }
  }

  /** Gives its memory back at once: the input is read (it finds nothing after). */
  release(): void {
    this.slots = releasedColumn(this.slots);
    this.used = 0;
  }

  /** Indexes span `at` (not indexed yet) by its service and request id. */
  add(at: number): void {
    // at most three quarters full: probes stay short
    if (overloaded(this.used + 1, this.slots.length)) this.rehash(this.slots.length * 2);
    this.place(this.slots, at);
    this.used++;
  }

  private place(slots: Int32Array, at: number): void {
    const mask = slots.length - 1;
    let i = hashOf(this.spans.requestNumber(at)) & mask;
    while (slots[i] !== EMPTY) i = (i + 1) & mask;
    slots[i] = at;
  }

  private rehash(size: number): void {
    const slots = column(Int32Array, size).fill(EMPTY);
    for (const at of this.slots) if (at !== EMPTY) this.place(slots, at);
    this.slots = slots;
  }
}

/** A request id's number, spread over the table (numbers come in order). */
function hashOf(n: number): number {
  const h = Math.imul(n ^ (n >>> 16), 0x45d9f3b);
  return (h ^ (h >>> 16)) >>> 0;
}
