// What the analysis stage hands to the later ones (chains, flows, stats, rules,
// reports): the run's result with what is kept beside it in memory. Shared types
// only; the stages import them from here, not from each other's implementation.
import type { Command, Exchange, RunResult } from '../model/schema.js';
import type { ServiceEvent } from '../model/service-schema.js';
import type { AcceptedVolumeCall } from './accepted-calls.js';
import type { Header, LineRecord } from './records.js';
import { SpanTable } from './span-table.js';
import { spillFileOrNull, SpillList } from '../rows/spill-list.js';
import type { Rows } from '../rows/rows.js';
import { closeSync, readSync, writeSync } from 'node:fs';
import type { YearBasis } from './time.js';

export { SpanIndex, SpanLookup, SpanTable, type RequestSpan, type SpanColumn } from './span-table.js';

/** What an exchange carried beyond its summary; kept only by sinks that need it (HTML details). */
export interface ExchangeDetail {
  requestHeaders: Header[];
  requestBody: string | null;
  responseHeaders: Header[] | null;
  responseBody: string | null;
}

/** Headers and bodies by exchange id (a Map will do; a long run's are read back from disk). */
export interface DetailLookup {
  readonly size: number;
  get(id: number): ExchangeDetail | undefined;
}

export interface Analysis {
  result: RunResult;
  details: DetailLookup;
  /** Service-side request spans and labels for the chains stage (absent for hand-made analyses). */
  service?: ServiceIndex;
  /**
   * How many of result.exchanges are server-side (from service logs; they follow every client
   * one). Absent for hand-made analyses. The exchanges themselves may live on disk.
   */
  serverExchangeCount?: number;
  /** Where the run's year-less timestamps (journald, syslog) took their year from. */
  yearBasis?: YearBasis;
  /** All inputs share one clock (`--same-clock`): the chain merge estimates no offsets. */
  sameClock?: boolean;
  /** Client calls outside any command that a user's own program sent (its User-Agent): no CLI flow is theirs. */
  ownProgramCalls?: Set<number>;
  /**
   * The accepted attaches and detaches, in flow order, as the flows stage replayed them
   * (`acceptedCallsOf` reads them from the flow results when absent: a hand-made analysis).
   */
  acceptedCalls?: Rows<AcceptedVolumeCall>;
}

/** What the analysis reports as the input streams: the lint session's line, exchange and command rules. */
export interface AnalysisHooks {
  /** Every physical line with its record, as it streams (the lint session's line rules). */
  onLine?: (source: string, line: number, text: string, record: LineRecord) => void;
  /** Every exchange when it is final: client ones as their command closes, server ones at the end. */
  onExchange?: (exchange: Exchange, detail: ExchangeDetail | null) => void;
  /** Every command after its exchanges, with them (the exchanges it made, in log order). */
  onCommand?: (command: Command, exchanges: readonly Exchange[]) => void;
  /**
   * The lines `onLine` needs, when its rules say (`RuleListeners.linesRead`): a service log
   * read in another thread hands on only these. Absent: every line.
   */
  lineInterests?: readonly LineInterest[];
}

/** Lines a line rule reads: of these record kinds, holding all these strings, or a secret (data, for another thread). */
export interface LineInterest {
  kinds?: readonly string[];
  allOf?: readonly string[];
  secrets?: boolean;
}

/** How service logs are read (`--label`, `--format-template`). */
export interface ServiceOptions {
  /** `--label FILE=service`: the service of an input, by its name or base name. */
  labels?: Map<string, string>;
  /** `--format-template`: custom oslo.log `logging_context_format_string` values, tried before the built-in ones. */
  formatTemplates?: string[];
}

// ---- the service index --------------------------------------------------------------
// What the service collectors hand to the chains stage (kept on the Analysis, not in
// the JSON): compact per-request spans, not every line, so memory follows the number
// of requests rather than the length of the logs.

export interface InputLabel {
  source: string;
  inputIndex: number;
  /** The service label of the input (journald lines may still carry their own). */
  label: string | null;
  how: 'option' | 'journal' | 'file-name' | 'loggers' | 'client' | null;
  /** The one host its records name (journald, syslog), or null: none, or several. Inputs of one host share a clock. */
  host?: string | null;
  firstMs: number | null;
  lastMs: number | null;
}

export interface ServiceIndex {
  /** Read by the chains stage alone, which empties it (with serverTimes) when it is done. */
  spans: SpanTable;
  /**
   * The first time (own clock) of each span of chain n + 1, in the order of its lineServices:
   * what later stages still need of the spans. Rows like the chains (on disk); written by the
   * chains stage.
   */
  chainSpanStarts?: Rows<Array<number | null>>;
  inputs: InputLabel[];
  /** Step events of every input, tens of thousands on a day of logs: rows that go to disk, read back by place too. */
  events: SpillList<ServiceEvent>;
  /** Server exchange id → its start and end (ms, the server's own clock). */
  serverTimes: ServerTimes;
  /** Input name → its index, for merging. */
  inputIndex: Map<string, number>;
}

/** `indexedEvents`: the events are read back by place (a run's, not a part read in another thread). */
export function emptyServiceIndex(indexedEvents = true): ServiceIndex {
  return {
    spans: new SpanTable(),
    inputs: [],
    events: new SpillList({ indexed: indexedEvents }),
    serverTimes: new ServerTimes(),
    inputIndex: new Map(),
  };
}

const NO_SPAN = -1;
/** start (8 bytes), end (8), span (4) */
const TIMES_ROW_BYTES = 20;
const TIMES_ROWS_AT_ONCE = 4096;

function writeRow(buffer: Buffer, offset: number, startMs: number, endMs: number, span: number): void {
  buffer.writeDoubleLE(startMs, offset);
  buffer.writeDoubleLE(endMs, offset + 8);
  buffer.writeInt32LE(span, offset + 16);
}

/**
 * The exact start and end (ms) of each server-side exchange and the number of the request span
 * it answered, until the chains stage has read them (NaN, -1: unknown). Server exchanges are
 * numbered one after another, so an id is an offset. The span is found once, when the exchange
 * is made: the chains stage looked it up again by input, service and request id, the lookup and
 * three of the spans' columns beside the nodes (the stage's peak on a day of older nova logs).
 * Set in id order at the read's end and read in id order by the chains stage: the rows go to a
 * temporary file a few thousand at a time (20 bytes an exchange, 18 MB for a day of older nova
 * logs, were the read's peak there), read back through a window; in memory only when no
 * temporary file can be written.
 */
export class ServerTimes {
  private firstId = -1;
  private count = 0;
  /** Rows [0, written) are in the file, rows [written, count) in `pending`. */
  private fd: number | null = null;
  private written = 0;
  private pending = Buffer.alloc(0);
  /** Rows [windowFrom, windowTo) of the file, as last read. */
  private readonly window = Buffer.alloc(TIMES_ROWS_AT_ONCE * TIMES_ROW_BYTES);
  private windowFrom = 0;
  private windowTo = 0;

  get size(): number {
    return this.count;
  }

  set(id: number, startMs: number | null, endMs: number | null, span = NO_SPAN): void {
    if (this.firstId < 0) this.firstId = id;
    const at = id - this.firstId;
    if (at < 0) throw new RangeError(`server exchange ${id} numbered before the first (${this.firstId})`);
    // ids skipped on the way read unknown
    while (this.count < at) this.append(Number.NaN, Number.NaN, NO_SPAN);
    if (at === this.count) this.append(startMs ?? Number.NaN, endMs ?? Number.NaN, span);
    else this.rewrite(at, startMs ?? Number.NaN, endMs ?? Number.NaN, span);
  }

  /** Start and end of server exchange `id` (null: unknown); undefined outside the ids set so far. */
  get(id: number): { startMs: number | null; endMs: number | null } | undefined {
    const row = this.row(id);
    if (row === null) return undefined;
    const start = row.buffer.readDoubleLE(row.offset);
    const end = row.buffer.readDoubleLE(row.offset + 8);
    return { startMs: Number.isNaN(start) ? null : start, endMs: Number.isNaN(end) ? null : end };
  }

  /** The number of the request span that server exchange `id` answered, or undefined. */
  span(id: number): number | undefined {
    const row = this.row(id);
    if (row === null) return undefined;
    const span = row.buffer.readInt32LE(row.offset + 16);
    return span === NO_SPAN ? undefined : span;
  }

  clear(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    this.firstId = -1;
    this.count = 0;
    this.written = 0;
    this.pending = Buffer.alloc(0);
    this.windowFrom = this.windowTo = 0;
  }

  private append(startMs: number, endMs: number, span: number): void {
    const inPending = this.count - this.written;
    if ((inPending + 1) * TIMES_ROW_BYTES > this.pending.length) {
      const bigger = Buffer.alloc(Math.max(TIMES_ROWS_AT_ONCE, 2 * inPending) * TIMES_ROW_BYTES);
      this.pending.copy(bigger);
      this.pending = bigger;
    }
    writeRow(this.pending, inPending * TIMES_ROW_BYTES, startMs, endMs, span);
    this.count++;
    if (this.count - this.written === TIMES_ROWS_AT_ONCE) this.flush();
  }

  /** Pending rows to the file (kept when none can be made: the run is right, only larger). */
  private flush(): void {
    this.fd ??= spillFileOrNull();
    if (this.fd === null) return;
    const rows = this.count - this.written;
    writeSync(this.fd, this.pending, 0, rows * TIMES_ROW_BYTES, this.written * TIMES_ROW_BYTES);
    this.written = this.count;
  }

  private rewrite(at: number, startMs: number, endMs: number, span: number): void {
    if (at >= this.written) {
      writeRow(this.pending, (at - this.written) * TIMES_ROW_BYTES, startMs, endMs, span);
      return;
    }
    const row = Buffer.alloc(TIMES_ROW_BYTES);
    writeRow(row, 0, startMs, endMs, span);
    writeSync(this.fd!, row, 0, TIMES_ROW_BYTES, at * TIMES_ROW_BYTES);
    this.windowFrom = this.windowTo = 0;
  }

  /** Where row `id` is, read into the window from the file when it is there; null: no such row. */
  private row(id: number): { buffer: Buffer; offset: number } | null {
    const at = id - this.firstId;
    if (this.firstId < 0 || at < 0 || at >= this.count) return null;
    if (at >= this.written) return { buffer: this.pending, offset: (at - this.written) * TIMES_ROW_BYTES };
    if (at < this.windowFrom || at >= this.windowTo) {
      const rows = Math.min(TIMES_ROWS_AT_ONCE, this.written - at);
      readSync(this.fd!, this.window, 0, rows * TIMES_ROW_BYTES, at * TIMES_ROW_BYTES);
      this.windowFrom = at;
      this.windowTo = at + rows;
    }
    return { buffer: this.window, offset: (at - this.windowFrom) * TIMES_ROW_BYTES };
  }
}
