// What the analysis stage hands to the later ones (chains, flows, stats, rules,
// reports): the run's result with what is kept beside it in memory. Shared types
// only; the stages import them from here, not from each other's implementation.
import type { Command, Exchange, RunResult } from '../model/schema.js';
import type { ServiceEvent } from '../model/service-schema.js';
import type { Header, LineRecord } from './records.js';
import { SpanTable } from './span-table.js';
import { grownColumn, releasedColumn } from './columns.js';
import { SpillList } from '../rows/spill-list.js';
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
   * The first time (own clock) of each span that is a node of a chain, by its node id
   * (`line:source:line` of its first line, as in the chain's lineServices): what later stages
   * still need of the spans. Written by the chains stage.
   */
  chainedSpanStarts?: { get(node: string): number | null | undefined };
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

/**
 * The exact start and end (ms) of each server-side exchange and the number of the request span
 * it answered, until the chains stage has read them: numbers per exchange in typed arrays (NaN,
 * -1: unknown), not an object and a map entry each. Server exchanges are numbered one after
 * another, so an id is an offset. The span is found once, when the exchange is made: the chains
 * stage looked it up again by input, service and request id, the lookup and three of the spans'
 * columns beside the nodes (the stage's peak on a day of older nova logs).
 */
const NO_SPAN = -1;

export class ServerTimes {
  private firstId = -1;
  private count = 0;
  private starts = new Float64Array(0);
  private ends = new Float64Array(0);
  private spans = new Int32Array(0);

  get size(): number {
    return this.count;
  }

  set(id: number, startMs: number | null, endMs: number | null, span = NO_SPAN): void {
    if (this.firstId < 0) this.firstId = id;
    const at = id - this.firstId;
    if (at < 0) throw new RangeError(`server exchange ${id} numbered before the first (${this.firstId})`);
    if (at >= this.starts.length) this.grow(at + 1);
    // ids skipped on the way read unknown: only the rows up to the one set are written (and so
    // resident), not the room grown for more
    if (at > this.count) {
      this.starts.fill(Number.NaN, this.count, at);
      this.ends.fill(Number.NaN, this.count, at);
      this.spans.fill(NO_SPAN, this.count, at);
    }
    this.starts[at] = startMs ?? Number.NaN;
    this.ends[at] = endMs ?? Number.NaN;
    this.spans[at] = span;
    this.count = Math.max(this.count, at + 1);
  }

  /** Start and end of server exchange `id` (null: unknown); undefined outside the ids set so far. */
  get(id: number): { startMs: number | null; endMs: number | null } | undefined {
    const at = id - this.firstId;
    if (this.firstId < 0 || at < 0 || at >= this.count) return undefined;
    const start = this.starts[at]!;
    const end = this.ends[at]!;
    return { startMs: Number.isNaN(start) ? null : start, endMs: Number.isNaN(end) ? null : end };
  }

  /** The number of the request span that server exchange `id` answered, or undefined. */
  span(id: number): number | undefined {
    const at = id - this.firstId;
    if (this.firstId < 0 || at < 0 || at >= this.count) return undefined;
    const span = this.spans[at]!;
    return span === NO_SPAN ? undefined : span;
  }

  clear(): void {
    this.firstId = -1;
    this.count = 0;
    this.starts = releasedColumn(this.starts);
    this.ends = releasedColumn(this.ends);
    this.spans = releasedColumn(this.spans);
  }

  private grow(needed: number): void {
    // by half again; the room grown into stays untouched (not resident) until a row is set there
    const size = Math.max(needed, Math.ceil(this.starts.length * 1.5), 1024);
    this.starts = grownColumn(this.starts, size);
    this.ends = grownColumn(this.ends, size);
    this.spans = grownColumn(this.spans, size);
  }
}
