// The stateful stage for one service log (or the service lines of a mixed
// input): lines in, per-request spans, server-side exchange drafts and step
// marker events out. Tracebacks and unprefixed continuation lines stay with the
// record they belong to, so they inherit its request ids.
import type { ServiceError, ServiceEvent } from '../model/service-schema.js';
import type { LineRecord, PrefixFields } from '../core/records.js';
import { maskText } from '../secrets/mask.js';
import { timestampMs } from '../core/time.js';
import { pathOf } from '../chain/http.js';
import { own } from '../chain/own.js';
import { forEachUuid } from '../core/uuid.js';
import { type ContextParser, contextFromValues, type ServiceContext } from './context.js';
import { ErrorRecords, volumeNamed, type OpenError } from './errors.js';
import { callOfRecord, type ErrorTextCall } from './calls.js';
import { LabelVotes, labelFromPrefix, labelFromUnit } from './labels.js';
import { matchMarker, type CompiledMarker } from './markers.js';
import type { TemplateValues } from './template.js';
import { SpanIndex, SpanTable } from '../core/analysis.js';
import { NO_REQUEST_ID, type RequestIds } from '../core/request-ids.js';
import type { UuidLists } from '../core/uuid-lists.js';
import { DraftStore, type ServerDraft } from './draft-store.js';

export type { ServerDraft } from './draft-store.js';

export interface CollectorOptions {
  source: string;
  inputIndex: number;
  /** `--label` for this input, when given. */
  labelOverride: string | null;
  /** Label from the file name, when it tells. */
  nameLabel: string | null;
  contexts: ContextParser;
  markers: readonly CompiledMarker[];
  /** A logged timestamp in ms; year-less ones take the run's year (core/time.ts). */
  timeOf?: (timestamp: string) => number | null;
  /** The run's request ids: the spans of every input name them by the same numbers. */
  requestIds?: RequestIds;
  /** The run's UUID lists, shared as the request ids are. */
  uuidLists?: UuidLists;
  /**
   * Where events go as soon as no later line can change them (the run's list, which writes
   * them out): a service log's events are then not all held until its end. Without it `end`
   * returns them.
   */
  events?: { push(event: ServiceEvent): void };
}

export interface CollectorResult {
  spans: SpanTable;
  /** In line order, end-of-input facts applied as they are read. */
  drafts: DraftStore;
  /** In line order; empty when the events went to `CollectorOptions.events`. */
  events: ServiceEvent[];
  errors: ServiceError[];
  /** Calls this service made that only an error text told, in line order, each with its service. */
  calls: ErrorTextCall[];
  label: string | null;
  how: 'option' | 'journal' | 'file-name' | 'loggers' | null;
}

const MAX_MESSAGE = 500;
const MAX_UUIDS = 64;
/** Distinct resource UUIDs one collector shares among its spans before it starts afresh. */
const MAX_SHARED_UUIDS = 50_000;
const CONTINUATION_LEVELS = new Set(['ERROR', 'TRACE', 'CRITICAL']);
/** One copy of each usual level name for all the events that carry it. */
const LEVELS = new Map(['TRACE', 'DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL'].map((l) => [l, l]));
/** Callee request ids of calls told by error texts, remembered per log (one call is quoted by several records). */
const MAX_CALLS_SEEN = 10_000;
/** Events held before the collector tries to hand the finished ones on. */
const RELEASE_BATCH = 64;

/** The most events one collector held at once (for tests of the bound). */
export const eventStats = { peakHeld: 0 };

interface Current {
  pid: number | undefined;
  /** journald identifier of the record's first line, when it came from a journal. */
  unit: string | undefined;
  logger: string | undefined;
  ctx: ServiceContext;
  /** The number of its request's span in the collector's table. */
  span: number | null;
  event: ServiceEvent | null;
  draft: ServerDraft | null;
  service: string | null;
  /** The ERROR or CRITICAL record this is, while its traceback is read. */
  error: OpenError | null;
}

/**
 * Where the logger is written in the line, or -1: after the journald ident or Pebble's service
 * name when there is one (the logger `nova` is not the `nova` of `[nova-conductor]`).
 */
function loggerAt(p: PrefixFields, logger: string, text: string): number {
  const unit = p.unit !== undefined ? text.indexOf(p.unit) : -1;
  return text.indexOf(logger, unit >= 0 ? unit + p.unit!.length : 0);
}

/** Where the message starts: after the logger (and its context bracket), else after the journald ident. */
export function messageOf(record: LineRecord, text: string): string {
  const p = record.prefix;
  if (!p) return 'text' in record ? record.text : text;
  let at = -1;
  if (p.logger) {
    const l = loggerAt(p, p.logger, text);
    if (l >= 0) at = l + p.logger.length;
    // 2013's `[%(name)s]`: the message starts after the bracket.
    if (p.style === 'bracket-logger' && text.charCodeAt(at) === 93) at++;
  } else if (p.unit) {
    const u = text.indexOf(p.unit);
    if (u >= 0) {
      const colon = text.indexOf(': ', u + p.unit.length);
      at = colon >= 0 ? colon + 1 : u + p.unit.length;
    }
  }
  if (at < 0) return 'text' in record ? record.text : text;
  while (text.charCodeAt(at) === 32 || text.charCodeAt(at) === 9) at++;
  // `[context]` checked in place: no string built per line.
  if (
    p.context !== undefined &&
    text.charCodeAt(at) === 91 &&
    text.startsWith(p.context, at + 1) &&
    text.charCodeAt(at + 1 + p.context.length) === 93
  ) {
    at += p.context.length + 2;
    if (text.charCodeAt(at) === 32) at++;
  }
  return text.slice(at);
}

/** A traceback line under oslo's exception prefix: the text after the logger and one space, its indentation kept. */
function continuationOf(record: LineRecord, text: string): string {
  const logger = record.prefix?.logger;
  const at = logger ? loggerAt(record.prefix!, logger, text) : -1;
  if (at < 0) return messageOf(record, text);
  const rest = text.slice(at + logger!.length + 1);
  // nova's traceback lines carry the record's `[instance: UUID] ` before the traceback's own indentation.
  return rest.startsWith('[instance: ') ? rest.slice(rest.indexOf(']') + 2) : rest;
}

/** `[instance: UUID] rest` → the UUID and the rest. */
export function splitInstance(message: string): { instance: string | null; message: string } {
  if (!message.startsWith('[instance: ')) return { instance: null, message };
  const close = message.indexOf(']', 11);
  if (close < 0) return { instance: null, message };
  const rest = message.slice(close + 1);
  return { instance: message.slice(11, close).trim(), message: rest.startsWith(' ') ? rest.slice(1) : rest };
}

/** The last uwsgi time read and its moment: a busy server logs many requests in one second. */
let lastCtime = '';
let lastCtimeMs: number | null = null;

/** uwsgi's `[Wed Nov 25 21:02:41 2026]` (the start of the request, whole seconds). */
export function uwsgiStartMs(text: string): number | null {
  const open = text.indexOf('} [');
  if (open < 0) return null;
  const close = text.indexOf(']', open + 3);
  if (close < 0) return null;
  const ctime = text.slice(open + 3, close); // `Wed Nov 25 21:02:41 2026`
  if (ctime !== lastCtime) {
    lastCtimeMs = ctimeMs(ctime);
    lastCtime = ctime;
  }
  return lastCtimeMs;
}

function ctimeMs(ctime: string): number | null {
  const parts = ctime.split(/\s+/);
  if (parts.length !== 5) return null;
  const ms = Date.parse(`${parts[1]} ${parts[2]} ${parts[4]} ${parts[3]} UTC`);
  return Number.isNaN(ms) ? null : ms;
}

/**
 * A timestamp that ends in a fraction of a second (`…:51.231`, `…:51,231`, journald's `…:51.874312`),
 * its zone after it at most (journalctl's short-iso-precise `…:51.874312+0000`, Pebble's `…:51.231Z`).
 */
const FRACTION_END = /[.,]\d+(?:Z|[+-]\d\d:?\d\d)?\s*$/;

/** Request/returned drafts remembered for an access line of the same request (it follows within a few lines). */
const MAX_PAIRED = 256;
/**
 * Request ids' error texts and body actions remembered, at most: their lines come before the
 * request's access line, and a draft takes them when it is written out, a few hundred drafts later.
 */
const MAX_REQUEST_FACTS = 4096;

/** An access line is the request of a request/returned draft with its id when method and status agree. */
function samePairedRequest(d: ServerDraft, r: Extract<LineRecord, { kind: 'access' }>): boolean {
  if (d.method !== null && d.method !== r.method) return false;
  if (d.status !== null && r.status !== null && d.status !== r.status) return false;
  // The paths agree when both are known (the request line has the full URL, the access line its path).
  return d.method === null || r.target === null || samePathEnd(d.url, r.target);
}

function samePathEnd(url: string | null, target: string): boolean {
  if (url === null) return true;
  const path = pathOf(target) ?? target;
  return (pathOf(url) ?? url).endsWith(path) || path.endsWith(pathOf(url) ?? url);
}

/**
 * The empty UUID list of every span that names none yet: lists are replaced, never changed in
 * place (`concat`), so one frozen array serves them all.
 */
const NONE: readonly string[] = Object.freeze([]);

export class ServiceCollector {
  private readonly spans: SpanTable;
  /** This input's spans by service and request id, while it is read. */
  private readonly spanIndex: SpanIndex;
  private spanIdText: { span: number; text: string } | null = null;
  private readonly uuidCopies = new Map<string, string>();
  /** One copy of a step message logged many times alike (`attach device xml: …` per attach): events live to the end. */
  private readonly messageCopies = new Map<string, string>();
  private readonly drafts: DraftStore;
  private readonly openCinder = new Map<string, ServerDraft>();
  /** Events made and not handed on yet: the newest may still be extended, or wait for pending ones. */
  private events: ServiceEvent[] = [];
  /** How many events are held when handing them on is tried next. */
  private releaseAt = RELEASE_BATCH;
  /** Events whose line's service was not known yet: matched again at the end. */
  private readonly pending: Array<{ event: ServiceEvent; message: string }> = [];
  private readonly errors = new Map<string, string>();
  private readonly errorRecords: ErrorRecords;
  /**
   * The latest requests seen as cinder/nova request and `returned with HTTP` lines, by request
   * id: the eventlet server's access line that follows in the same log (pre-uwsgi deployments)
   * is the same request, not another one. Bounded: that line follows within a few lines.
   */
  private readonly pairedByRequest = new Map<string, ServerDraft>();
  /** Request id → body action key, from nova/cinder `Action: '…', calling method: …, body: {…}` lines. */
  private readonly actions = new Map<string, string>();
  /** The `Action:` lines are DEBUG: in a log without any DEBUG line a body was not seen, which is not the same as absent. */
  private sawDebug = false;
  private readonly votes = new LabelVotes();
  private readonly markersByService = new Map<string, readonly CompiledMarker[]>();
  /** Loggers and paths vote only when neither `--label` nor the file's name gives the label (finalLabel). */
  private readonly countsVotes: boolean;
  private current: Current | null = null;
  /** journald `unit[pid]` → its last record (for the entries that continue it). */
  private readonly lastOfProcess = new Map<string, Current>();
  private readonly journalUnits = new Set<string>();
  /** Services Pebble runs that are none ostrace knows (`ovn-northd`, `apache forwarder`). */
  private readonly pebbleServices = new Set<string>();
  /** Calls told by error texts (the Analyzer makes them client exchanges), and the callee ids already told. */
  private readonly calls: ErrorTextCall[] = [];
  private readonly callsSeen = new Set<string>();

  constructor(private readonly opts: CollectorOptions) {
    this.spans = new SpanTable(opts.requestIds, opts.uuidLists);
    this.spanIndex = new SpanIndex(this.spans);
    this.errorRecords = new ErrorRecords(opts.source);
    this.drafts = new DraftStore({ pinned: (d) => this.pinned(d), settle: (d) => this.settle(d) });
    this.countsVotes = !opts.labelOverride && !opts.nameLabel;
  }

  /** A line with a prefix (or a whole-line template match). Always recognized. */
  push(record: LineRecord, text: string, line: number, values: TemplateValues | null = null): boolean {
    const p: Partial<PrefixFields> = record.prefix ?? {};
    const logger = values?.name ?? p.logger;
    const pid = values?.process !== undefined ? Number(values.process) : p.pid;
    const level = values?.levelname ?? p.level;
    const timestamp =
      values?.asctime !== undefined ? `${values.asctime}${values.msecs ? `.${values.msecs}` : ''}` : p.timestamp;
    const ms = timestamp ? (this.opts.timeOf ?? timestampMs)(timestamp) : null;
    if (this.countsVotes) this.votes.add(logger);
    if (level === 'DEBUG') this.sawDebug = true;
    const unitLabel = labelFromPrefix(p);
    if (unitLabel) this.addUnit(unitLabel, p.unit);
    const service = this.opts.labelOverride ?? unitLabel ?? this.opts.nameLabel;

    const cur = this.current;
    // journald gives each physical line of a record its own entry, same identifier and pid
    // (reference §B5): a line with neither level nor logger continues that process's last
    // record, even when another unit's lines came in between.
    if (!values && p.style === 'journal' && !p.logger && !p.level && record.kind !== 'access' && p.unit !== undefined) {
      const owner = this.lastOfProcess.get(`${p.unit}[${pid ?? ''}]`);
      if (owner) {
        this.extend(owner, line, null, messageOf(record, text));
        this.current = owner;
        return true;
      }
    }
    // oslo's exception prefix has no context bracket: those lines continue the record before.
    if (
      !values &&
      p.context === undefined &&
      cur &&
      level &&
      CONTINUATION_LEVELS.has(level) &&
      cur.pid === pid &&
      cur.logger === logger &&
      record.kind !== 'access'
    ) {
      this.extend(cur, line, ms, continuationOf(record, text));
      return true;
    }

    const ctx = values
      ? contextFromValues(values)
      : p.context !== undefined
        ? this.opts.contexts.parse(p.context)
        : noContext();
    const raw = values ? (values.message ?? '') : messageOf(record, text);
    const { instance: bracketInstance, message } = splitInstance(raw);
    // A paste cut inside a traceback opens its first record on a frame.
    if (this.countsVotes) this.votes.addFrame(message);
    const instance = bracketInstance ?? (values?.instance ? splitInstance(values.instance).instance : null);
    const span = ctx.requestId ? this.spanFor(ctx, service, line, ms) : null;
    if (span !== null && level === 'DEBUG') this.spans.markDebug(span);
    if (span !== null) this.collectUuids(span, message, logger, instance);
    const next: Current = { pid, unit: p.unit, logger, ctx, span, event: null, draft: null, service, error: null };
    this.current = next;
    if (p.unit !== undefined) this.lastOfProcess.set(`${p.unit}[${pid ?? ''}]`, next);

    const access = record.kind === 'access' ? record : null;
    if (access) next.draft = this.onAccess(access, text, line, ms, ctx, service, timestamp);
    else if (
      ctx.requestId &&
      (message.startsWith('HTTP exception thrown: ') ||
        message.startsWith('Returning ') ||
        message.startsWith('Caught error: '))
    ) {
      if (!this.errors.has(ctx.requestId))
        this.remember(
          this.errors,
          own(ctx.requestId),
          own(
            maskText(
              message.startsWith('HTTP')
                ? message.slice(23)
                : message.startsWith('Caught')
                  ? // The fault wrapper's `Caught error: <class 'x.Y'> text` (py2: `<type …>`): the text tells.
                    message.slice(14).replace(/^<(?:class|type) '[^']*'> /, '')
                  : message.replace(/^Returning \d+ to user: /, ''),
            ),
          ),
        );
    } else if (ctx.requestId && message.startsWith('Action: ')) {
      const action = bodyActionOf(message);
      if (action && !this.actions.has(ctx.requestId)) this.remember(this.actions, own(ctx.requestId), own(action));
    }
    if (!access)
      next.event = this.markerEvent(message, service, line, timestamp ?? null, ctx, span, instance, level ?? null);
    if (!access) this.errorTextCall(message, line, ctx, service);
    // An ERROR line with no text (`… ERROR nova.virt.block_device [instance: …]`) is the empty
    // last line oslo.log writes under a traceback: a paste that starts there cut that record's
    // start off, and the line alone is no error of its own.
    if (!access && (level === 'ERROR' || level === 'CRITICAL') && message.trim() !== '')
      next.error = this.errorRecords.open({
        line,
        service,
        timestamp: timestamp ?? null,
        level,
        logger: logger ?? null,
        requestId: ctx.requestId,
        globalRequestId: ctx.globalRequestId,
        message,
      });
    // What the record names of its request's volume and server, for the request's error records.
    if (!access && ctx.requestId)
      this.errorRecords.nameRequest(ctx.requestId, {
        volume: next.event?.volume ?? volumeNamed(message),
        instance: next.event?.instance ?? instance,
      });
    return true;
  }

  /** An unprefixed line right after a service record: part of it (wrapped message, traceback). */
  continueRecord(line: number, text: string): boolean {
    if (!this.current) return false;
    this.extend(this.current, line, null, text);
    return true;
  }

  /**
   * A record (or a line of its traceback) quoting another service's answer,
   * `(HTTP 500) (Request-ID: req-…)`: a call this service made. Told once per callee request id.
   */
  private errorTextCall(message: string, line: number, ctx: ServiceContext, service: string | null): void {
    const call = callOfRecord(message, line, ctx, service);
    if (!call || this.callsSeen.has(call.requestId)) return;
    if (this.callsSeen.size >= MAX_CALLS_SEEN) this.callsSeen.clear();
    this.callsSeen.add(own(call.requestId));
    call.requestId = own(call.requestId);
    call.callerRequestId = own(call.callerRequestId);
    this.calls.push(call);
  }

  get hasCurrent(): boolean {
    return this.current !== null;
  }

  end(lastLine: number): CollectorResult {
    const { label, how } = this.finalLabel();
    for (const d of this.openCinder.values()) {
      d.complete = false;
      d.incompleteReason = 'no `returned with HTTP` line for this request';
      d.endLine = Math.max(d.endLine, Math.min(lastLine, d.line));
    }
    this.openCinder.clear();
    this.drafts.end(label, this.sawDebug);
    // no line comes to look a span up: its index goes now, not when a collection finds it
    this.spanIndex.release();
    const spans = this.spans;
    for (let at = 0; at < spans.size; at++) if (!spans.service(at)) spans.setService(at, label ?? 'unknown');
    for (const { event, message } of this.pending) {
      event.service = label ?? 'unknown';
      const m = matchMarker(this.opts.markers, event.service, message);
      if (!m) continue;
      event.marker = m.id;
      event.volume = m.captures.volume ?? null;
      event.attachment = m.captures.attachment ?? null;
      event.instance ??= m.captures.instance ?? null;
      // Its captures name its request's volume and server, as a labelled line's do as it is read.
      if (event.requestId !== null)
        this.errorRecords.nameRequest(event.requestId, { volume: event.volume, instance: event.instance });
      this.events.push(this.ownEventStrings(event));
    }
    this.events.sort((a, b) => a.line - b.line);
    if (this.events.length > eventStats.peakHeld) eventStats.peakHeld = this.events.length;
    const sink = this.opts.events;
    if (sink) {
      for (const e of this.events) sink.push(e);
      this.events = [];
    }
    for (const c of this.calls) c.service ??= label;
    return {
      spans,
      drafts: this.drafts,
      events: this.events,
      errors: this.errorRecords.end(label),
      calls: this.calls,
      label,
      how,
    };
  }

  /** Server drafts this collector holds as objects now (the rest are written out). */
  get draftsInMemory(): number {
    return this.drafts.inMemory;
  }

  // ---- internals -------------------------------------------------------------

  /** A draft that a later line may still change: open, waiting for its access line, or its record's. */
  private pinned(d: ServerDraft): boolean {
    if (this.current?.draft === d) return true;
    if (d.requestId !== null && this.pairedByRequest.get(d.requestId) === d) return true;
    if (d.style === 'cinder-request' && this.openCinder.get(d.requestId ?? `url:${d.url}`) === d) return true;
    for (const c of this.lastOfProcess.values()) if (c.draft === d) return true;
    return false;
  }

  /** What the request's own lines told of it, once nothing changes it any more. */
  private settle(d: ServerDraft): void {
    if (d.requestId && d.status !== null && d.status >= 400) d.error = this.errors.get(d.requestId) ?? null;
    // A read has no body: a later GET a worker logs under a request's ids it kept (nova's
    // unauthenticated GET /v2.1 after a swap, minicloud 22) does not take that request's action.
    if (d.requestId && d.method !== 'GET' && d.method !== 'HEAD') d.action ??= this.actions.get(d.requestId) ?? null;
  }

  /** A request's fact, the oldest forgotten past MAX_REQUEST_FACTS unless a draft still open may need it. */
  private remember(facts: Map<string, string>, requestId: string, value: string): void {
    facts.set(requestId, value);
    if (facts.size <= MAX_REQUEST_FACTS) return;
    const open = new Set<string>();
    if (this.drafts.heldOpen.size > 0) for (const d of this.drafts.heldOpen) if (d.requestId) open.add(d.requestId);
    let tries = facts.size;
    for (const [id, v] of facts) {
      if (tries-- === 0) return;
      facts.delete(id);
      if (!open.has(id)) return;
      facts.set(id, v); // kept, as the newest
    }
  }

  /**
   * A client record's prefix: the service's own call (keystoneauth's `REQ:` under Pebble's
   * `[heat-engine]` or journald's `nova-compute[…]`). Its unit names the log's service as a
   * service line's does, so a log holding only such calls is that service's, not a client's.
   */
  noteClientPrefix(p: PrefixFields | undefined): void {
    const unitLabel = labelFromPrefix(p);
    // `openstack[…]` (journald) names the client itself
    if (unitLabel !== null && unitLabel !== 'client') this.addUnit(unitLabel, p!.unit);
  }

  private addUnit(unitLabel: string, unit: string | undefined): void {
    (labelFromUnit(unit) !== null ? this.journalUnits : this.pebbleServices).add(unitLabel);
  }

  private finalLabel(): { label: string | null; how: CollectorResult['how'] } {
    if (this.opts.labelOverride) return { label: this.opts.labelOverride, how: 'option' };
    if (this.opts.nameLabel) return { label: this.opts.nameLabel, how: 'file-name' };
    // A whole journal mixes units: each of its lines keeps its own label.
    if (this.journalUnits.size === 1) return { label: [...this.journalUnits][0]!, how: 'journal' };
    if (this.journalUnits.size > 1) return { label: 'journal', how: 'journal' };
    // A container whose one service Pebble names is that service; of several, no one is the log's.
    if (this.pebbleServices.size === 1) return { label: [...this.pebbleServices][0]!, how: 'journal' };
    const voted = this.votes.winner();
    return voted ? { label: voted, how: 'loggers' } : { label: null, how: null };
  }

  /** The request id of `span` as a string, made once for the lines of one span in a row. */
  private requestIdOf(span: number): string {
    const had = this.spanIdText;
    if (had?.span === span) return had.text;
    const text = this.spans.requestId(span);
    this.spanIdText = { span, text };
    return text;
  }

  private spanFor(ctx: ServiceContext, service: string | null, line: number, ms: number | null): number {
    const spans = this.spans;
    let span = this.spanIndex.get(service ?? '', ctx.requestId!);
    if (span === undefined) {
      // Spans live to the end of the run: their strings must not pin the log lines.
      const requestId = own(ctx.requestId!);
      span = spans.push({
        source: this.opts.source,
        inputIndex: this.opts.inputIndex,
        service: service ?? '',
        requestId,
        globalRequestId: own(ctx.globalRequestId),
        firstLine: line,
        lastLine: line,
        firstMs: ms,
        lastMs: ms,
        debug: false,
        uuids: NONE,
        answersCall: false,
      });
      this.spanIndex.add(span);
    }
    spans.setLastLine(span, line);
    if (ms !== null) {
      const lastMs = spans.lastMs(span);
      spans.setTimes(span, spans.firstMs(span) ?? ms, lastMs === null ? ms : Math.max(lastMs, ms));
    }
    if (spans.globalRequestNumber(span) === NO_REQUEST_ID) spans.setGlobalRequestId(span, own(ctx.globalRequestId));
    return span;
  }

  private extend(cur: Current, line: number, ms: number | null, text: string | null): void {
    if (cur.error) this.errorRecords.continued(cur.error, line, text);
    if (this.countsVotes && text !== null) this.votes.addFrame(text);
    // A traceback's last line may be the first to quote the call's answer.
    if (text !== null) this.errorTextCall(text, line, cur.ctx, cur.service);
    if (cur.span !== null) {
      const spans = this.spans;
      spans.setLastLine(cur.span, line);
      // A continuation line moves the end of a span that has a time, never its start.
      const lastMs = spans.lastMs(cur.span);
      if (ms !== null && lastMs !== null) spans.setTimes(cur.span, spans.firstMs(cur.span), Math.max(lastMs, ms));
    }
    if (cur.event) cur.event.endLine = line;
    if (cur.draft) cur.draft.endLine = Math.max(cur.draft.endLine, line);
  }

  // Spans live to the end of the run, tens of thousands of them: their UUID lists are
  // copied at their exact length (a push or a spread would reserve room for 17).

  /**
   * One copy of a resource UUID for all the spans that name it (an instance is named by
   * every request about it), off the log line. Bounded: forgotten when it grows large.
   */
  private sharedUuid(uuid: string): string {
    let shared = this.uuidCopies.get(uuid);
    if (shared === undefined) {
      if (this.uuidCopies.size >= MAX_SHARED_UUIDS) this.uuidCopies.clear();
      shared = own(uuid);
      this.uuidCopies.set(shared, shared);
    }
    return shared;
  }

  /** An event's strings off the log line (events live to the end): UUIDs, levels and alike messages shared. */
  private ownEventStrings(e: ServiceEvent): ServiceEvent {
    e.timestamp = own(e.timestamp);
    // requestId: the span's copy, or an owned one (markerEvent).
    e.globalRequestId = own(e.globalRequestId);
    e.level = e.level === null ? null : (LEVELS.get(e.level) ?? own(e.level));
    e.instance = e.instance === null ? null : this.sharedUuid(e.instance);
    e.volume = e.volume === null ? null : this.sharedUuid(e.volume);
    e.attachment = e.attachment === null ? null : this.sharedUuid(e.attachment);
    const messages = this.messageCopies;
    const shared = messages.get(e.message);
    if (shared !== undefined) e.message = shared;
    else {
      if (messages.size >= MAX_SHARED_MESSAGES) messages.clear();
      e.message = own(e.message);
      messages.set(e.message, e.message);
    }
    return e;
  }

  private collectUuids(span: number, message: string, logger: string | undefined, instance: string | null): void {
    const spans = this.spans;
    const lists = spans.lists;
    const add = (uuid: string) => {
      const u = lists.uuidNumber(uuid);
      const list = spans.uuidList(span);
      if (!lists.has(list, u)) spans.setUuidList(span, lists.with(list, u));
    };
    if (instance) add(instance);
    // Lock lines name cells and other internals, not the resources of the request.
    if (logger === 'oslo_concurrency.lockutils' || lists.length(spans.uuidList(span)) >= MAX_UUIDS) return;
    const scan = message.length > 4000 ? message.slice(0, 4000) : message;
    forEachUuid(scan, (uuid, at) => {
      if (scan.startsWith('req-', at - 4)) return true;
      add(uuid);
      return lists.length(spans.uuidList(span)) < MAX_UUIDS;
    });
  }

  private onAccess(
    r: Extract<LineRecord, { kind: 'access' }>,
    text: string,
    line: number,
    ms: number | null,
    ctx: ServiceContext,
    service: string | null,
    timestamp: string | undefined,
  ): ServerDraft | null {
    // Drafts live to the end of their input: their strings must not pin the log lines.
    const url = own(r.target);
    const wholeSeconds = timestamp !== undefined && !FRACTION_END.test(timestamp);
    if (this.countsVotes) this.votes.addPath(pathOf(url));
    const base = (): ServerDraft => ({
      source: this.opts.source,
      line,
      endLine: line,
      service,
      style: r.style,
      method: own(r.method),
      url,
      path: pathOf(url),
      status: r.status,
      microversion: own(r.microversion),
      startMs: null,
      endMs: null,
      serverTimeMs: r.timeMs,
      requestId: own(ctx.requestId),
      globalRequestId: own(ctx.globalRequestId),
      complete: true,
      incompleteReason: null,
      error: null,
      action: null,
      ...(wholeSeconds ? { wholeSeconds } : {}),
    });
    switch (r.style) {
      case 'cinder-request': {
        const d = base();
        d.startMs = ms;
        d.complete = false;
        this.openCinder.set(ctx.requestId ?? `url:${r.target}`, d);
        this.drafts.add(d);
        this.pair(d);
        return d;
      }
      case 'cinder-returned': {
        const key = ctx.requestId && this.openCinder.has(ctx.requestId) ? ctx.requestId : `url:${r.target}`;
        const open = this.openCinder.get(key);
        if (open && open.url === r.target) {
          this.openCinder.delete(key);
          open.status = r.status;
          open.endLine = line;
          open.endMs = ms;
          open.complete = true;
          if (wholeSeconds) open.wholeSeconds = true;
          if (open.startMs !== null && ms !== null && open.wholeSeconds !== true)
            open.serverTimeMs = Math.round((ms - open.startMs) * 1000) / 1000;
          return open;
        }
        // The request line is missing (log cut or another worker's file, or nova's fault wrapper
        // that logs only 500s): keep what there is; an access line that follows may complete it.
        const d = base();
        d.endMs = ms;
        d.incompleteReason = 'no request line (`METHOD url`) for this response';
        d.complete = false;
        this.drafts.add(d);
        this.pair(d);
        return d;
      }
      case 'uwsgi': {
        const d = base();
        const start = uwsgiStartMs(text);
        if (ms !== null) {
          d.endMs = ms;
          d.startMs = r.timeMs !== null ? ms - r.timeMs : null;
        } else {
          d.startMs = start;
          d.endMs = start !== null && r.timeMs !== null ? start + r.timeMs : null;
        }
        this.drafts.add(d);
        return d;
      }
      default: {
        // nova requestlog / eventlet wsgi: written when the response is sent.
        const paired = ctx.requestId ? this.pairedByRequest.get(ctx.requestId) : undefined;
        if (paired && samePairedRequest(paired, r)) return this.completePaired(paired, r, url, line, ms);
        const d = base();
        d.endMs = ms;
        d.startMs = ms !== null && r.timeMs !== null ? ms - r.timeMs : null;
        this.drafts.add(d);
        return d;
      }
    }
  }

  /** Remember a request/returned draft by its request id, for the access line that may follow. */
  private pair(d: ServerDraft): void {
    if (!d.requestId) return;
    this.pairedByRequest.delete(d.requestId);
    this.pairedByRequest.set(d.requestId, d);
    if (this.pairedByRequest.size > MAX_PAIRED) this.pairedByRequest.delete(this.pairedByRequest.keys().next().value!);
  }

  /**
   * The eventlet access line of a request already seen as request and/or `returned with` lines:
   * one exchange. It gives what they lacked (nova's fault wrapper logs no request line: the
   * method and path), and its own duration when theirs is unknown.
   */
  private completePaired(
    d: ServerDraft,
    r: Extract<LineRecord, { kind: 'access' }>,
    url: string,
    line: number,
    ms: number | null,
  ): ServerDraft {
    this.pairedByRequest.delete(d.requestId!);
    if (this.openCinder.get(d.requestId!) === d) this.openCinder.delete(d.requestId!);
    if (d.method === null) {
      d.method = own(r.method);
      d.url = url;
      d.path = pathOf(url);
    }
    d.status ??= r.status;
    d.endLine = line;
    if (d.serverTimeMs === null && r.timeMs !== null) {
      // No request line timed it: the access line, written as the response left, does.
      d.serverTimeMs = r.timeMs;
      if (ms !== null) d.endMs = ms;
      d.startMs ??= d.endMs !== null ? d.endMs - r.timeMs : null;
    } else d.endMs ??= ms;
    d.complete = true;
    d.incompleteReason = null;
    return d;
  }

  /** The catalogue's markers for one service, in catalogue order (a line is tried against these only). */
  private markersOf(service: string): readonly CompiledMarker[] {
    let list = this.markersByService.get(service);
    if (list === undefined) {
      list = this.opts.markers.filter((m) => m.spec.service === '*' || m.spec.service === service);
      this.markersByService.set(service, list);
    }
    return list;
  }

  private markerEvent(
    message: string,
    service: string | null,
    line: number,
    timestamp: string | null,
    ctx: ServiceContext,
    span: number | null,
    instance: string | null,
    level: string | null,
  ): ServiceEvent | null {
    // Made only for a line that fits a marker: most lines fit none, and masking reads the whole message.
    const event = (): ServiceEvent => ({
      source: this.opts.source,
      line,
      endLine: line,
      service: service ?? '',
      timestamp,
      // One string of the span's request id for its run of lines: their events share it.
      requestId: span !== null ? this.requestIdOf(span) : own(ctx.requestId),
      globalRequestId: ctx.globalRequestId,
      instance,
      volume: null,
      attachment: null,
      level,
      message: maskText(message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE)}…` : message),
      marker: '',
    });
    if (service === null) {
      // Unknown label: keep lines that fit some marker and decide at the end.
      if (!this.opts.markers.some((m) => matchMarker([m], m.spec.service, message) !== null)) return null;
      const pending = event();
      this.pending.push({ event: pending, message: message.length > 4000 ? message.slice(0, 4000) : message });
      return pending;
    }
    const m = matchMarker(this.markersOf(service), service, message);
    if (!m) return null;
    const matched = event();
    matched.marker = m.id;
    matched.volume = m.captures.volume ?? null;
    matched.attachment = m.captures.attachment ?? null;
    matched.instance ??= m.captures.instance ?? null;
    if (this.events.length >= this.releaseAt) this.releaseEvents();
    this.events.push(this.ownEventStrings(matched));
    return matched;
  }

  /**
   * Hands the held events on, oldest first, up to the first that a later line may still extend
   * (the record being read, a journald process's last one). None while an event waits for the
   * input's label: the list stays in line order.
   */
  private releaseEvents(): void {
    const sink = this.opts.events;
    const held = this.events;
    if (held.length > eventStats.peakHeld) eventStats.peakHeld = held.length;
    if (sink && this.pending.length === 0) {
      const open = new Set<ServiceEvent>();
      if (this.current?.event) open.add(this.current.event);
      for (const c of this.lastOfProcess.values()) if (c.event) open.add(c.event);
      let at = 0;
      while (at < held.length && !open.has(held[at]!)) sink.push(held[at++]!);
      if (at > 0) held.splice(0, at);
    }
    this.releaseAt = held.length + RELEASE_BATCH;
  }
}

/** An event is kept to the end of the run: copies of its text, not views on the log line. */
/** Distinct event messages one collector shares among its events before it starts afresh. */
const MAX_SHARED_MESSAGES = 10_000;

function noContext(): ServiceContext {
  return { globalRequestId: null, requestId: null, user: null, project: null, layout: 'none' };
}

/** `Action: 'action', calling method: complete, body: {"os-complete": null}` → `os-complete`. */
export function bodyActionOf(message: string): string | null {
  const at = message.indexOf(', body: {');
  if (at < 0) return null;
  const open = at + 8;
  const quote = message.indexOf('"', open + 1);
  if (quote < 0 || message.slice(open + 1, quote).trim() !== '') return null;
  const end = message.indexOf('"', quote + 1);
  return end > quote + 1 ? message.slice(quote + 1, end) : null;
}
