// The pipeline: lines → records (lex/parse) → exchanges and commands (client
// assembler) or request spans, server exchanges and step events (service
// collector) → a RunResult. Each input has one of each; every record goes to the
// one that owns it (src/service/route.ts). Ids are global and follow the order
// in which inputs are given; server-side exchanges get theirs when all inputs are
// read (their uwsgi lines are merged across files first).
import { Assembler, type AssemblerSink } from './chain/assembler.js';
import { dateHeaderMs, FALLBACK_YEAR, lacksYear, timestampMs, type YearBasis } from './core/time.js';
import { headerValue } from './chain/http.js';
import { runsClient } from './core/clients.js';
import type { ServiceError, ServiceEvent } from './model/service-schema.js';
import type { Command, Exchange, Input, TimeRegression } from './model/schema.js';
import { parseLine } from './parse/index.js';
import type { LineSource } from './input/read.js';
import {
  emptyServiceIndex,
  SpanLookup,
  type Analysis,
  type AnalysisHooks,
  type ExchangeDetail,
  type LineInterest,
  type ServiceIndex,
  type ServiceOptions,
} from './core/analysis.js';
import type { LineRecord } from './core/records.js';
import { maskText } from './secrets/mask.js';
import { own } from './chain/own.js';
import { ServiceCollector, uwsgiStartMs } from './service/collector.js';
import { ContextParser } from './service/context.js';
import { draftsInRunOrder, draftToExchange, errorTextExchange, mergeUwsgiDrafts } from './service/exchanges.js';
import type { ErrorTextCall } from './service/calls.js';
import { labelFromName, labelFromPrefix, SOURCE_SEPARATOR } from './service/labels.js';
import { builtinMarkers, type CompiledMarker } from './service/markers.js';
import { SpillList } from './rows/spill-list.js';
import { DraftStore } from './service/draft-store.js';
import { SpanTable } from './core/span-table.js';
import { DetailStore } from './rows/detail-store.js';
import { routeRecord, type RouteState } from './service/route.js';
import type { TemplateValues } from './service/template.js';
import { PhysicalLines, type ParsedLine } from './chain/assemble/physical-lines.js';
import {
  discardPart,
  interested,
  MAX_PART_LINES,
  NotAPart,
  type PartLine,
  type PartReader,
  type PartResult,
  type ReadPart,
} from './chain/assemble/read-part.js';
import { SCHEMA_VERSION, TOOL_VERSION } from './version.js';
import { clientProduct, sentByOwnProgram } from './core/user-agent.js';
import { traceStep } from './core/step-trace.js';

export interface AnalyzeOptions extends AnalysisHooks, ServiceOptions {
  /** Keep headers and bodies of each exchange (HTML details); off by default to save memory. */
  keepDetails?: boolean;
  /** How many unrecognized lines to keep per input (all are counted). */
  keepUnrecognized?: number;
  /** Called with (bytes read, total size) as input is consumed. */
  onProgress?: (source: LineSource) => void;
  /** `--year`: the year of timestamps that have none (journald, syslog); by default the input's own. */
  year?: number;
  /** `--same-clock`: every input was logged on one clock (one host); no clock offsets are estimated. */
  sameClock?: boolean;
  /** Told once per run when a year had to be assumed (FALLBACK_YEAR): the CLI prints it on stderr. */
  onWarning?: (message: string) => void;
  /**
   * Reads whole service logs in another thread (src/cli/read-ahead.ts) while this one reads
   * the inputs before them; their parts are taken in input order (`analyzeSources`).
   */
  partReader?: PartReader;
}

const MAX_KEPT_TEXT = 300;
/**
 * Lines held back, at most, while a year-less timestamp waits for a dated line or a
 * `Date:` header further on; then the year is assumed. Bounds memory, and the result
 * still depends on the input alone.
 */
const MAX_DEFERRED_LINES = 20_000;

/** What waits while the year is not known yet: lines, and the input boundaries between them. */
type Deferred =
  | { kind: 'line'; parsed: ParsedLine }
  | { kind: 'begin'; name: string }
  | { kind: 'end'; bytes: number | undefined; lastLine: number };
/** Timestamp regressions kept per input (all are counted). */
const MAX_KEPT_REGRESSIONS = 10;
/** Lines cut to MAX_LINE_CHARS kept per input (all are counted). */
const MAX_KEPT_CUTS = 10;

/**
 * Timestamp order per clock: a year-first timestamp (oslo.log, `--log-file`, Zuul) and a
 * month-first one (journald, syslog) are two clocks. A devstack journal and a kolla file
 * log pasted into one stream write both, from two hosts, two time zones: their lines are
 * compared within their own kind only, never across.
 */
interface TimeOrder {
  /** The last timestamp of each clock, by `clockOf`; undefined: none seen yet. */
  clocks: Array<{ prevMs: number; prevLine: number } | undefined>;
  count: number;
  first: TimeRegression[];
}

/** Which clock a timestamp as written belongs to: 0 year-first (`2023-04-03 06:41:00`), 1 month-first (`Apr 03 07:04:39`). */
function clockOf(timestamp: string): 0 | 1 {
  const c = timestamp.charCodeAt(0);
  return c >= 48 && c <= 57 ? 0 : 1;
}

/** One logical input: a file given alone, or one source of a stream that mixes several. */
interface InputState {
  input: Input;
  inputIndex: number;
  assembler: Assembler;
  collector: ServiceCollector;
  route: RouteState;
  order: TimeOrder;
  sawClient: boolean;
  /** The last client record without a prefix: the next line may log it again (see `loggedTwice`). */
  lastBare: { kind: LineRecord['kind']; line: number; text: string } | null;
  /** Bytes of its physical lines (a split stream); the physical size is given for a plain input. */
  bytes: number;
  /** The host its records name (journald, syslog): undefined before one, null once two differ. */
  host: string | null | undefined;
  /**
   * Its events until it closes, for a source opened after the first of its stream: the run's
   * list takes each input's events together, the first source's straight as they come.
   */
  events: SpillList<ServiceEvent> | null;
}

/** The keystoneauth records a legacy client's shell logs twice (loggedTwice). */
const TWICE_LOGGED = new Set<LineRecord['kind']>(['req', 'resp', 'resp-body', 'request-id']);

/**
 * Client records with a service's oslo context waiting for their exchange, at most: the
 * exchange is made within a few lines (REQ, RESP, `used request id`).
 */
const MAX_CALLER_LINES = 4096;

export { SOURCE_SEPARATOR };

/** Streams lines through the pipeline; usable line by line (tests) or from LineSources. */
export class Analyzer implements AssemblerSink {
  // Rows that leave memory as they age: the run's memory follows what is open, not the log's length.
  private readonly exchanges = new SpillList<Exchange>();
  private readonly commands = new SpillList<Command>();
  /** One per kind of ERROR/CRITICAL record and input: a day of logs repeats a few kinds. */
  private readonly serviceErrors: ServiceError[] = [];
  private serverExchangeCount = 0;
  /** Exchanges of commands still open (the command event hands them on). */
  private readonly pending = new Map<number, Exchange[]>();
  private readonly inputs: Input[] = [];
  /** Each input's server drafts, in input order (each mostly written out). */
  private drafts: DraftStore[] = [];
  /** Calls services made that only an error text told, with their input: exchanges at the end of the run. */
  private errorTextCalls: Array<{ source: string; call: ErrorTextCall }> = [];
  /**
   * `input\0line` → the calling request of a client record logged in a service's oslo context
   * (keystoneauth's or a client library's lines in nova-compute's log): its exchange's caller.
   */
  private readonly callerAt = new Map<string, { service: string | null; requestId: string | null }>();
  /** Some client exchange was logged by a service: labels are filled in at the end. */
  private sawCaller = false;
  /** Inputs with client exchanges outside any command: a service's log's are that service's calls. */
  private readonly looseClientSources = new Set<string>();
  private readonly service: ServiceIndex;
  /** Part mode (another thread reads one service log): the lines its line rules read, handed on. */
  private readonly part: { interests: readonly LineInterest[]; lines: PartLine[] } | null;
  private firstDatedMs: number | null = null;
  readonly details = new DetailStore();
  /** Client calls outside any command that a user's own program sent. */
  readonly ownProgramCalls = new Set<number>();
  private exchangeId = 0;
  private commandId = 0;
  /** The logical input the line being taken belongs to. */
  private state: InputState | null = null;
  /** Logical inputs of the physical input being taken, by source (null: the input itself), in order of opening. */
  private states = new Map<string | null, InputState>();
  /** The physical input being taken (lines may be deferred: reading runs ahead of taking). */
  private physicalName = '';
  /** An input has begun and not ended (its lines may still be deferred). */
  private reading = false;
  /** The year of year-less timestamps: known from `--year`, from the input, or assumed. */
  private yearBasis: YearBasis;
  private yearKnown: boolean;
  /** Held back until the year is known (null when nothing waits). */
  private deferred: Deferred[] | null = null;
  /** The timestamp read last and its moment: a line's is read by the order check, then by its stage. */
  private lastTimestamp: string | null = null;
  private lastTimestampMs: number | null = null;
  private readonly timeOf = (ts: string) => {
    if (ts !== this.lastTimestamp) {
      // The year of a year-less timestamp is the run's: not known to a part.
      if (this.part && this.options.year === undefined && lacksYear(ts)) throw new NotAPart('year-less timestamps');
      this.lastTimestampMs = timestampMs(ts, this.yearBasis);
      this.lastTimestamp = ts;
    }
    return this.lastTimestampMs;
  };
  /** The kind to count for the line just dispatched, when not the record's own. */
  private kindOverride: string | null = null;
  /** The physical input's lines as parsed, handed to `admit` in order. */
  private readonly physical: PhysicalLines;
  private readonly contexts: ContextParser;
  private readonly markers: readonly CompiledMarker[];
  private readonly ids = {
    nextExchangeId: () => ++this.exchangeId,
    nextCommandId: () => ++this.commandId,
  };

  constructor(
    private readonly options: AnalyzeOptions = {},
    partLines?: readonly LineInterest[],
  ) {
    this.part = partLines ? { interests: partLines, lines: [] } : null;
    // A part's events go to another thread's list: written as they come, not indexed here.
    this.service = emptyServiceIndex(this.part === null);
    this.physical = new PhysicalLines((parsed) => this.admit(parsed), options.formatTemplates);
    this.contexts = new ContextParser(options.formatTemplates ?? []);
    this.markers = builtinMarkers();
    this.yearBasis = options.year !== undefined ? { year: options.year } : {};
    this.yearKnown = options.year !== undefined;
  }

  beginInput(name: string): void {
    this.endInput();
    this.reading = true;
    this.physical.begin(name);
    if (this.deferred) this.deferred.push({ kind: 'begin', name });
    else this.openInput(name);
  }

  /** `cut`: the line's length as written, when `raw` is only its start (a line past MAX_LINE_CHARS). */
  pushLine(raw: string, cut?: number): void {
    if (!this.reading) this.beginInput('<input>');
    this.physical.push(raw, cut);
  }

  /** A parsed physical line into the stages, or into the queue while the year is not known. */
  private admit(parsed: ParsedLine): void {
    if (!this.yearKnown) {
      // A year-less timestamp waits for the first dated moment of the run.
      const dated = datedMoment(parsed);
      if (dated !== null) {
        this.firstDatedMs = dated;
        this.knowYear({ nearMs: dated });
      } else if (this.deferred === null && yearLessTimestamp(parsed) !== null) {
        if (this.part) throw new NotAPart('year-less timestamps');
        this.deferred = [];
      }
    }
    if (!this.deferred) return this.take(parsed);
    this.deferred.push({ kind: 'line', parsed });
    if (this.deferred.length >= MAX_DEFERRED_LINES) this.assumeYear();
  }

  /** `bytes`: the input's size as read (the file's bytes, compressed for gzip); every reader knows it. */
  endInput(bytes?: number): void {
    if (!this.reading) return;
    this.physical.end();
    this.reading = false;
    const lastLine = this.physical.lastLine;
    if (this.deferred) this.deferred.push({ kind: 'end', bytes, lastLine });
    else this.closeInput(bytes, lastLine);
  }

  /** A physical input begins: its logical inputs open with their first line (the input itself at the latest at its end). */
  private openInput(name: string): void {
    this.physicalName = name;
    this.states = new Map();
    this.state = null;
  }

  /** The logical input of a source of the physical input being taken, opened on its first line. */
  private stateFor(source: string | null): InputState {
    const known = this.states.get(source);
    if (known) return known;
    const name = source === null ? this.physicalName : `${this.physicalName}${SOURCE_SEPARATOR}${source}`;
    const input: Input = { name, lines: 0, bytes: 0, unrecognizedLines: 0, unrecognized: [], kinds: {} };
    // The slot is taken now: the sources of one stream are open together.
    const inputIndex = this.inputs.length;
    this.inputs.push(input);
    this.service.inputIndex.set(name, inputIndex);
    const events = this.states.size === 0 ? null : new SpillList<ServiceEvent>();
    const collector = new ServiceCollector({
      source: name,
      inputIndex,
      labelOverride: this.labelOption(name, source),
      // docker compose names services with `_` (`nova_api-1`, kolla's `nova_compute`)
      nameLabel:
        source === null ? labelFromName(name) : (labelFromName(source) ?? labelFromName(source.replace(/_/g, '-'))),
      contexts: this.contexts,
      markers: this.markers,
      timeOf: this.timeOf,
      requestIds: this.service.spans.ids,
      uuidLists: this.service.spans.lists,
      events: events ?? this.service.events,
    });
    const state: InputState = {
      input,
      inputIndex,
      assembler: new Assembler(name, this.ids, this, this.timeOf),
      collector,
      route: { last: null, lastWasAccess: false },
      lastBare: null,
      order: { clocks: [], count: 0, first: [] },
      sawClient: false,
      bytes: 0,
      host: undefined,
      events,
    };
    this.states.set(source, state);
    return state;
  }

  /** One physical line through the stages. */
  private take({ line, text, values, pieces, source, structural, own, bytes, wrapped, cut }: ParsedLine): void {
    // grep's `--` belongs to no source: it is counted with the source read last; compose's own
    // lines (`Attaching to …`, `… exited with code 0`) with the stream itself.
    const state = structural && source === null && this.state && !own ? this.state : this.stateFor(source);
    this.state = state;
    const input = state.input;
    input.lines++;
    // The physical lines a hard-wrapped record went on over: read with it, so recognized.
    if (wrapped) {
      input.lines += wrapped;
      input.kinds.wrapped = (input.kinds.wrapped ?? 0) + wrapped;
    }
    state.bytes += bytes;
    if (cut !== undefined) {
      input.cutLines ??= { count: 0, first: [] };
      input.cutLines.count++;
      if (input.cutLines.first.length < MAX_KEPT_CUTS) input.cutLines.first.push({ line, length: cut });
    }
    if (structural) {
      input.kinds.separator = (input.kinds.separator ?? 0) + 1;
      return;
    }
    let recognized = true;
    let firstKind: string | null = null;
    for (const { record, text: own } of pieces) {
      if (!this.dispatch(record, own, line, values)) recognized = false;
      firstKind ??= this.kindOverride ?? record.kind;
    }
    // Line rules read the physical line once, however many records it held (a flattened log).
    if (pieces.length > 0 && (this.options.onLine || this.part)) {
      const record = (pieces.find((p) => p.record.kind === 'start') ?? pieces[0]!).record;
      if (this.part === null) this.options.onLine!(input.name, line, text, record);
      else if (this.part.interests.some((i) => interested(i, text, record))) {
        if (this.part.lines.length >= MAX_PART_LINES) throw new NotAPart('many lines for the line rules');
        this.part.lines.push({ source: input.name, line, text, record });
      }
    }
    // Text taken in context (the next line of a body or traceback) is a continuation, not unrecognized.
    const kind = !recognized ? 'unrecognized' : firstKind === 'unrecognized' ? 'continuation' : (firstKind ?? 'blank');
    input.kinds[kind] = (input.kinds[kind] ?? 0) + 1;
    if (!recognized) {
      input.unrecognizedLines++;
      if (input.unrecognized.length < (this.options.keepUnrecognized ?? 100)) {
        const t = maskText(text);
        input.unrecognized.push({ line, text: t.length > MAX_KEPT_TEXT ? `${t.slice(0, MAX_KEPT_TEXT)}…` : t });
      }
    }
  }

  private closeInput(bytes: number | undefined, lastLine: number): void {
    // An input with no line at all is still an input.
    if (this.states.size === 0) this.stateFor(null);
    const split = this.states.size > 1 || !this.states.has(null);
    const base = this.states.get(null);
    if (split && base && bytes !== undefined) {
      // Lines with no prefix in a split stream: what the sources leave of the input's size.
      let named = 0;
      for (const state of this.states.values()) if (state !== base) named += state.bytes;
      base.bytes = Math.max(0, bytes - named);
    }
    for (const state of this.states.values()) this.closeState(state, split ? state.bytes : bytes, lastLine);
    this.states = new Map();
    this.state = null;
  }

  private closeState(state: InputState, bytes: number | undefined, lastLine: number): void {
    const { input, inputIndex } = state;
    state.assembler.end(lastLine);
    const collected = state.collector.end(lastLine);
    if (bytes !== undefined) input.bytes = bytes;
    const label = collected.label ?? (state.sawClient ? 'client' : null);
    input.service = label;
    // Loops, not spreads: a service log can yield more items than a spread may pass as arguments.
    this.drafts.push(collected.drafts);
    this.service.spans.append(collected.spans);
    for (const e of collected.events) this.service.events.push(e);
    if (state.events) {
      for (const e of state.events) this.service.events.push(e);
      state.events.dispose();
    }
    for (const e of collected.errors) this.serviceErrors.push(e);
    for (const call of collected.calls) this.errorTextCalls.push({ source: input.name, call });
    this.service.inputs.push({
      source: input.name,
      inputIndex,
      label,
      how: collected.how ?? (label === 'client' ? 'client' : null),
      host: state.host ?? null,
      firstMs: null,
      lastMs: null,
    });
    const o = state.order;
    input.timeRegressions = o.clocks.length === 0 ? null : { count: o.count, first: o.first };
  }

  exchange(exchange: Exchange, detail: ExchangeDetail): void {
    // Numbered in the run's order, heard by its listeners: read by the run's thread.
    if (this.part) throw new NotAPart('client exchanges');
    if (exchange.side === 'client' && this.callerAt.size > 0) this.attachCaller(exchange);
    if (exchange.side === 'client' && exchange.command === null) this.looseClientSources.add(exchange.source);
    // The OpenStack client that sent it, when its User-Agent is logged: which variant of a flow its command ran.
    if (exchange.side === 'client') {
      const client = clientProduct(detail.requestHeaders);
      if (client !== null) exchange.client = client;
    }
    this.exchanges.push(exchange);
    if (this.options.keepDetails) this.details.set(exchange.id, detail);
    if (exchange.command === null && exchange.side === 'client' && sentByOwnProgram(detail.requestHeaders))
      this.ownProgramCalls.add(exchange.id);
    if (exchange.command !== null && this.options.onCommand) {
      const list = this.pending.get(exchange.command);
      if (list) list.push(exchange);
      else this.pending.set(exchange.command, [exchange]);
    }
    this.options.onExchange?.(exchange, detail);
  }

  command(command: Command): void {
    if (this.part) throw new NotAPart('commands');
    this.commands.push(command);
    const exchanges = this.pending.get(command.id) ?? [];
    this.pending.delete(command.id);
    this.options.onCommand?.(command, exchanges);
  }

  finish(): Analysis {
    this.endInput();
    traceStep('read: inputs');
    // kept until the chains stage: without the room reserved for more
    this.service.spans.trim();
    if (this.deferred) this.assumeYear();
    this.addErrorTextExchanges();
    this.addServerExchanges();
    traceStep('read: server exchanges');
    this.labelCallers();
    // Both lists are in id order as pushed: ids are given in log order, a command's
    // exchanges are handed on when it closes (before the next command opens), and
    // server-side exchanges get theirs after every client one.
    return {
      result: {
        schemaVersion: SCHEMA_VERSION,
        tool: { name: 'ostrace', version: TOOL_VERSION },
        inputs: this.inputs,
        commands: this.commands,
        exchanges: this.exchanges,
        findings: [],
        chains: [],
        clockSkews: [],
        serviceEvents: this.service.events,
        serviceErrors: this.serviceErrors,
        flows: [],
        stats: null,
      },
      details: this.details,
      service: this.service,
      serverExchangeCount: this.serverExchangeCount,
      yearBasis: this.yearBasis,
      sameClock: this.options.sameClock === true,
      ownProgramCalls: this.ownProgramCalls,
    };
  }

  // ---- inputs read in another thread ---------------------------------------------------

  /** Part mode, after its one input ended: what it read, for `adopt` in the run's thread. */
  exportPart(): ReadPart {
    this.endInput();
    const events = this.service.events.toData();
    return {
      inputs: this.inputs,
      serviceInputs: this.service.inputs,
      drafts: this.drafts.map((d) => d.toData()),
      spans: this.service.spans.toData(),
      events,
      errors: this.serviceErrors,
      calls: this.errorTextCalls,
      lines: this.part!.lines,
      firstDatedMs: this.firstDatedMs,
    };
  }

  /**
   * A part can be taken now as if its input were read here: no physical input is open and no
   * line waits for the year (the part's lines would come after them).
   */
  get canAdopt(): boolean {
    return !this.reading && this.deferred === null;
  }

  /** Takes a part in its input's turn, as `take` and `closeState` would have. */
  adopt(part: ReadPart): void {
    if (!this.canAdopt) throw new Error('ostrace: a part taken while an input is open');
    if (!this.yearKnown && part.firstDatedMs !== null) this.knowYear({ nearMs: part.firstDatedMs });
    const offset = this.inputs.length;
    for (const input of part.inputs) {
      this.service.inputIndex.set(input.name, this.inputs.length);
      this.inputs.push(input);
    }
    for (const l of part.lines) this.options.onLine?.(l.source, l.line, l.text, l.record);
    for (const d of part.drafts) this.drafts.push(DraftStore.fromData(d));
    this.service.spans.append(SpanTable.fromData(part.spans), offset);
    const events = SpillList.fromData(part.events);
    for (const e of events) this.service.events.push(e);
    events.dispose();
    for (const e of part.errors) this.serviceErrors.push(e);
    for (const c of part.calls) this.errorTextCalls.push(c);
    for (const i of part.serviceInputs) this.service.inputs.push({ ...i, inputIndex: i.inputIndex + offset });
  }

  // ---- a service's own calls ---------------------------------------------------------

  /**
   * A client record in an oslo context that names a request (`[None req-A …]`) or none (`[-]`):
   * a service logged it (keystoneauth, cinderclient, novaclient inside nova-compute or
   * cinder-volume at DEBUG). The exchange made from it is that service's call.
   */
  private noteCaller(state: InputState, record: LineRecord, line: number): void {
    if (this.part) throw new NotAPart('client records');
    const p = record.prefix!;
    const ctx = this.contexts.parse(p.context!);
    if (ctx.requestId === null && ctx.layout !== 'none') return;
    if (this.callerAt.size >= MAX_CALLER_LINES) this.callerAt.delete(this.callerAt.keys().next().value!);
    this.callerAt.set(`${state.input.name}\u0000${line}`, {
      // A service Pebble runs is the line's service also where ostrace knows no other name for it.
      service: labelFromPrefix(p) ?? this.labelOption(state.input.name, null),
      requestId: own(ctx.requestId),
    });
  }

  /** The exchange of a client record a service logged names its caller. */
  private attachCaller(exchange: Exchange): void {
    const caller = this.callerAt.get(`${exchange.source}\u0000${exchange.line}`);
    // Its other lines (RESP, `used request id`) wait for nothing more.
    for (let l = exchange.line; l <= Math.min(exchange.endLine, exchange.line + 64); l++)
      this.callerAt.delete(`${exchange.source}\u0000${l}`);
    if (!caller) return;
    exchange.caller = { service: caller.service, requestId: caller.requestId, seen: 'http-log' };
    this.sawCaller = true;
  }

  /** Calls only an error text told: client exchanges, after every other client one (their ids follow). */
  private addErrorTextExchanges(): void {
    const calls = this.errorTextCalls;
    this.errorTextCalls = [];
    for (const { source, call } of calls) {
      const x = errorTextExchange(call, source, ++this.exchangeId);
      this.exchanges.push(x);
      this.sawCaller = true;
      this.options.onExchange?.(x, null);
    }
  }

  /**
   * The calling service of a service's calls is its log's label, known once the log is read. A
   * log that turned out to be a client's (`openstack --log-file`) made no service call. The
   * calls outside any command in a log of one service (its loggers, file name or unit tell
   * which) are that service's, even where its format drops the context (`cinderclient.v3.client
   * REQ: …` between nova-compute's lines): their caller's request id is then unknown.
   */
  private labelCallers(): void {
    const labels = new Map(this.inputs.map((i) => [i.name, i.service ?? null]));
    const ofService = (source: string) => {
      const label = labels.get(source) ?? null;
      return label !== null && label !== 'client' && label !== 'journal';
    };
    const services = [...this.looseClientSources].filter(ofService);
    if (!this.sawCaller && services.length === 0) return;
    const serviceLogs = new Set(services);
    this.exchanges.patch((e) => {
      if (e.side !== 'client') return;
      const label = labels.get(e.source) ?? null;
      if (!e.caller) {
        if (e.command === null && serviceLogs.has(e.source))
          e.caller = { service: label, requestId: null, seen: 'http-log' };
        return;
      }
      // A journald unit named the caller (nova-compute[…]): that holds whatever the input's label.
      if (e.caller.service === null && label === 'client') delete e.caller;
      else e.caller.service ??= label;
    });
  }

  // ---- the year of year-less timestamps ----------------------------------------------

  /** The year is known: the lines held back go through the stages, in order. */
  private knowYear(basis: YearBasis): void {
    this.yearBasis = basis;
    this.lastTimestamp = null;
    this.yearKnown = true;
    const deferred = this.deferred ?? [];
    this.deferred = null;
    for (const d of deferred) {
      if (d.kind === 'line') this.take(d.parsed);
      else if (d.kind === 'begin') this.openInput(d.name);
      else this.closeInput(d.bytes, d.lastLine);
    }
  }

  /** Nothing dated came: the fixed fallback year, said once. */
  private assumeYear(): void {
    let example: string | null = null;
    for (const d of this.deferred ?? []) if (d.kind === 'line') example ??= yearLessTimestamp(d.parsed);
    this.options.onWarning?.(
      `no year in the input for timestamps such as "${example ?? '?'}": read as ${FALLBACK_YEAR} (set one with --year)`,
    );
    this.knowYear({ year: FALLBACK_YEAR });
  }

  // ---- internals -------------------------------------------------------------

  /** `--label`: the input's name, or its base name; a source of a stream by its own name and base name too. */
  private labelOption(name: string, source: string | null): string | null {
    const labels = this.options.labels;
    if (!labels) return null;
    const base = (source ?? name).split('/').pop() ?? name;
    return labels.get(name) ?? (source !== null ? labels.get(source) : undefined) ?? labels.get(base) ?? null;
  }

  /** `stripped`: the record's own text, without ANSI colours or paste markup (the whole line for a custom template). */
  private dispatch(record: LineRecord, stripped: string, line: number, values: TemplateValues | null): boolean {
    this.kindOverride = null;
    if (values) {
      if (record.kind === 'unrecognized') this.kindOverride = 'message';
      // A custom service format: its message may still be an access line.
      const inner = parseLine(values.message ?? '');
      const asRecord: LineRecord = inner.kind === 'access' ? inner : { kind: 'message', text: values.message ?? '' };
      this.checkOrder(values.asctime ? `${values.asctime}${values.msecs ? `.${values.msecs}` : ''}` : undefined, line);
      this.state!.route = { last: 'service', lastWasAccess: asRecord.kind === 'access' };
      return this.state!.collector.push(asRecord, stripped, line, values);
    }
    this.checkOrder(record.prefix?.timestamp, line);
    const state = this.state!;
    const host = record.prefix?.host;
    if (host !== undefined && state.host !== null && state.host !== host)
      state.host = state.host === undefined ? own(host) : null;
    const where = routeRecord(record, state.route);
    // The journald identifier and pid of the last record head (level or logger): its bare
    // entries that follow are the record's next physical lines (route.ts).
    const p = record.prefix;
    const lastJournal =
      p?.unit !== undefined
        ? p.logger !== undefined || p.level !== undefined
          ? { unit: p.unit, pid: p.pid }
          : (state.route.lastJournal ?? null)
        : null;
    if (where === 'service') {
      state.route = {
        last: 'service',
        lastWasAccess: record.kind === 'access',
        lastJournal,
        entries: p?.unit !== undefined,
      };
      state.assembler.interrupt();
      return state.collector.push(record, stripped, line);
    }
    if (where === 'service-continuation') {
      state.route.afterBlank = record.kind === 'blank';
      return state.collector.continueRecord(line, stripped);
    }
    if (where === 'python-warning' || where === 'uwsgi-diagnostic' || where === 'pebble') {
      // stderr noise of a service (uwsgi logs carry it), the service manager's own lines: known,
      // owned by no request
      state.route = {
        last: 'client',
        lastWasAccess: false,
        warned: where === 'python-warning' && !record.prefix && record.kind === 'unrecognized',
      };
      this.kindOverride = where;
      // A Python warning may be the client's own stderr; the others are another program's.
      if (where !== 'python-warning') state.assembler.interrupt();
      return true;
    }
    if (record.prefix || record.kind !== 'blank') state.route = { last: 'client', lastWasAccess: false, lastJournal };
    else if (state.route.entries === true) state.route.ended = true;
    // Paste markup and a prompt that runs no OpenStack client (`grep req-… api.log`, `cat x.yaml`)
    // say nothing of a client.
    if (
      record.kind !== 'unrecognized' &&
      record.kind !== 'blank' &&
      record.kind !== 'indented' &&
      record.kind !== 'markup' &&
      !(record.kind === 'shell' && !runsClient(record.text))
    ) {
      state.sawClient = true;
      state.collector.noteClientPrefix(p);
    }
    if (p?.context !== undefined) this.noteCaller(state, record, line);
    if (this.loggedTwice(state, record, stripped, line)) {
      this.kindOverride = 'logged-twice';
      return true;
    }
    return state.assembler.push(record, line);
  }

  /**
   * The legacy clients' shells (`nova --debug`) log keystoneauth's lines twice: through
   * keystoneauth's own handler, bare, then through the root logger's, behind
   * `DEBUG (session:519) `. The second copy, on the very next line, is the same record: one
   * request, one exchange.
   */
  private loggedTwice(state: InputState, record: LineRecord, stripped: string, line: number): boolean {
    const last = state.lastBare;
    state.lastBare = null;
    if (!TWICE_LOGGED.has(record.kind)) return false;
    if (record.prefix === undefined) {
      state.lastBare = { kind: record.kind, line, text: stripped };
      return false;
    }
    return last !== null && last.kind === record.kind && last.line === line - 1 && stripped.endsWith(last.text);
  }

  /** Timestamps must not go back inside one input (on one clock); a step back is recorded (time/out-of-order), never reordered away. */
  private checkOrder(timestamp: string | undefined, line: number): void {
    if (!timestamp) return;
    const ms = this.timeOf(timestamp);
    if (ms === null) return;
    const o = this.state!.order;
    const clock = clockOf(timestamp);
    const prev = o.clocks[clock];
    if (prev === undefined) {
      o.clocks[clock] = { prevMs: ms, prevLine: line };
      return;
    }
    if (ms < prev.prevMs) {
      o.count++;
      if (o.first.length < MAX_KEPT_REGRESSIONS)
        o.first.push({ line, previousLine: prev.prevLine, timestamp, backMs: prev.prevMs - ms });
    }
    prev.prevMs = ms;
    prev.prevLine = line;
  }

  private addServerExchanges(): void {
    // The drafts are read back from where they were written, one at a time, in (input, line)
    // order: a long run's drafts are never all objects at once.
    const merge = mergeUwsgiDrafts(this.drafts);
    // a whole journal holds several services: the same request id can have a span in each
    const spans = new SpanLookup(this.service.spans);
    for (const d of draftsInRunOrder(this.drafts, merge)) {
      const x = draftToExchange(d, ++this.exchangeId);
      this.exchanges.push(x);
      this.serverExchangeCount++;
      this.options.onExchange?.(x, null);
      const span = d.requestId ? spans.get(d.source, d.service ?? 'unknown', d.requestId) : undefined;
      this.service.serverTimes.set(x.id, d.startMs, d.endMs, span);
      if (span !== undefined) this.service.spans.markAnswersCall(span);
    }
    spans.release();
    for (const list of this.drafts) list.dispose();
    this.drafts = [];
  }
}

/**
 * Analyze whole sources, reading them as streams. With a `partReader`, another thread reads
 * service logs from the last input back while this one reads from the first on; where they
 * meet this one takes the other's parts in input order (or reads an input itself when the
 * other could not: a client log, year-less timestamps). The result is the same either way.
 */
export async function analyzeSources(sources: LineSource[], options: AnalyzeOptions = {}): Promise<Analysis> {
  const analyzer = new Analyzer(options);
  const reader = options.partReader;
  const parts = new Map<number, Promise<PartResult>>();
  /** Inputs from `claimedFrom` on are the other thread's; the one being read here is below it. */
  let claimedFrom = sources.length;
  let here = -1;
  const readBehind = async () => {
    while (reader && claimedFrom - 1 > here + 1 && reader.accepts(sources[claimedFrom - 1]!)) {
      const at = --claimedFrom;
      const result = reader.read(sources[at]!);
      parts.set(at, result);
      await result;
    }
  };
  const behind = readBehind();
  try {
    for (here = 0; here < sources.length; here++) {
      const source = sources[here]!;
      const result = here >= claimedFrom ? await parts.get(here)! : null;
      if (result && 'part' in result && analyzer.canAdopt) {
        analyzer.adopt(result.part);
        reader!.taken(source);
        source.readElsewhere?.(result.bytesRead);
        if (result.ignoredBytes) source.ignoredElsewhere?.(result.ignoredBytes);
        options.onProgress?.(source);
        continue;
      }
      if (result && 'part' in result) discardPart(result.part);
      // Handed back: its bytes count from the start again (the other thread's progress moved them).
      if (result) source.readElsewhere?.(0);
      await readSource(analyzer, source, options);
    }
  } catch (e) {
    // An input that cannot be read ends the run now, not after the other thread's file.
    reader?.close();
    await behind;
    throw e;
  }
  await behind;
  reader?.close();
  return analyzer.finish();
}

/** One source through the analyzer, as its batches arrive. */
export async function readSource(analyzer: Analyzer, source: LineSource, options: AnalyzeOptions): Promise<void> {
  analyzer.beginInput(source.name);
  let lineNo = 0;
  for await (const batch of source.batches()) {
    const cuts = source.takeCuts?.() ?? [];
    if (cuts.length === 0) {
      for (const line of batch) analyzer.pushLine(line);
      lineNo += batch.length;
    } else {
      const cutAt = new Map(cuts.map((c) => [c.line, c.length]));
      for (const line of batch) analyzer.pushLine(line, cutAt.get(++lineNo));
    }
    options.onProgress?.(source);
  }
  analyzer.endInput(source.bytesRead());
}

/** Analyze in-memory text (tests, programmatic use). */
export function analyzeText(inputs: Array<{ name: string; text: string }>, options: AnalyzeOptions = {}): Analysis {
  const analyzer = new Analyzer(options);
  for (const { name, text } of inputs) {
    analyzer.beginInput(name);
    const lines = text.split(/\r?\n/);
    if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    for (const line of lines) analyzer.pushLine(line);
    analyzer.endInput(Buffer.byteLength(text));
  }
  return analyzer.finish();
}

/** The timestamp written on a line: its prefix's, or a custom template's `asctime`. */
function timestampOf(record: LineRecord, values: TemplateValues | null): string | undefined {
  if (values) return values.asctime ? `${values.asctime}${values.msecs ? `.${values.msecs}` : ''}` : undefined;
  return record.prefix?.timestamp;
}

/** The first timestamp of a line that has no year (`Jul 10 02:07:43.118823`), or null. */
function yearLessTimestamp({ pieces, values }: ParsedLine): string | null {
  for (const { record } of pieces) {
    const ts = timestampOf(record, values);
    if (ts !== undefined && lacksYear(ts)) return ts;
  }
  return null;
}

/**
 * A moment with its year that a line gives: a dated timestamp (oslo.log, `--log-file`), an
 * HTTP `Date:` response header, uwsgi's `[Wed Nov 25 21:02:41 2026]`. Null when it has none.
 */
function datedMoment({ pieces, values }: ParsedLine): number | null {
  for (const { record, text } of pieces) {
    const ts = timestampOf(record, values);
    const ms = ts !== undefined && !lacksYear(ts) ? timestampMs(ts) : null;
    if (ms !== null) return ms;
    if (record.kind === 'resp') {
      const date = dateHeaderMs(headerValue(record.headers, 'Date'));
      if (date !== null) return date;
    }
    if (record.kind === 'access' && record.style === 'uwsgi') {
      const start = uwsgiStartMs(text);
      if (start !== null) return start;
    }
  }
  return null;
}
