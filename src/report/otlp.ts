// `--format otlp`: the timed exchanges as an OpenTelemetry trace in OTLP/JSON, which
// Jaeger ("Upload JSON") and Grafana Tempo ("Import trace") open offline — a trace of
// an operation without OSProfiler. One trace per CLI command: the command is the root
// span, its requests are CLIENT spans under it, and the server-side requests a chain
// links to them (nova-api, then cinder-api called by nova…) are SERVER spans under
// the span that caused them. Server requests no client request leads to get a trace
// per global request id. Only exchanges with a start and a duration become spans;
// times are the logs' own wall clocks, read as UTC (as everywhere in ostrace). A long
// run is written in batches of spans, a resource per service in each (OTLP allows a
// resource more than once), so the trace is never held whole. A long run writes its
// `--max-entries` traces (1000 by default) that matter most: those with a failed span
// first, then those with the slowest span, each whole; every resource then says how many
// traces and spans were left out (`ostrace.omitted_traces`, `ostrace.omitted_spans`).
import { createHash } from 'node:crypto';
import { exchangeIdOfNode } from '../model/node-id.js';
import type { Exchange, RunResult } from '../model/schema.js';
import { maskText } from '../secrets/mask.js';
import { pathTemplate } from '../stats/template.js';
import { durationOf, startOf } from '../stats/timing.js';
import { TOOL_VERSION } from '../version.js';
import { MAX_EXPORT_ITEMS, RowPicker } from './bounded.js';
import type { Reporter } from './types.js';
import { shellLine } from '../core/shell-words.js';

/** OTLP SpanKind and StatusCode values. */
const KIND = { internal: 1, server: 2, client: 3 } as const;
const STATUS = { unset: 0, ok: 1, error: 2 } as const;
export const CLIENT_SERVICE = 'openstack-client';

type AttrValue = { stringValue: string } | { intValue: string } | { boolValue: boolean };
interface Attribute {
  key: string;
  value: AttrValue;
}
export interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: Attribute[];
  status: { code: number; message?: string };
}

const str = (key: string, value: string): Attribute => ({ key, value: { stringValue: value } });
const int = (key: string, value: number): Attribute => ({ key, value: { intValue: String(Math.trunc(value)) } });

/** Stable ids: the same log gives the same trace ids, so two exports can be compared. */
function hexId(key: string, length: 16 | 32): string {
  return createHash('sha256').update(key).digest('hex').slice(0, length);
}

/** Milliseconds (fractional) to OTLP's decimal string of nanoseconds. */
function nanos(ms: number): string {
  return (BigInt(Math.round(ms * 1000)) * 1000n).toString();
}

interface Timed {
  e: Exchange;
  start: number;
  end: number;
}

function timed(e: Exchange): Timed | null {
  const start = startOf(e);
  const d = durationOf(e);
  // A Date header gives whole seconds: too coarse to draw a request.
  if (start === null || d === null || e.timing === 'date-header') return null;
  return { e, start, end: start + d };
}

/** Spans written at a time: a long run's trace is written in batches, never held whole; `OSTRACE_SPILL_AFTER` sets it too (tests). */
function batchSpans(): number {
  const env = Number(process.env.OSTRACE_SPILL_AFTER);
  return Number.isInteger(env) && env > 0 ? env : 2000;
}

/** Where a span hangs: its trace, and its parent's span id ('' for a trace's first span). */
interface Place {
  traceId: string;
  parentSpanId: string;
}

/** A timed server exchange in the first pass: no row kept, only what placing and ranking it need. */
interface ServerMark {
  start: number;
  spanId: string;
  /** Its trace when no client request leads to it: its global request id, else its own. */
  key: string;
  failed: boolean;
  ms: number;
}

/** What ranks a trace against the others when a long run's are chosen: its worst span, its slowest, its size. */
interface TraceTally {
  failed: boolean;
  slowest: number;
  spans: number;
}

const tally = (to: TraceTally, failed: boolean, ms: number) => {
  to.failed ||= failed;
  if (ms > to.slowest) to.slowest = ms;
  to.spans++;
};

/** A trace as the first pass ends it: a command's (its root, written once the traces are chosen) or a server request's. */
interface TraceRow {
  traceId: string;
  root: ClientGroup | null;
  tally: TraceTally;
}

/** A span's status is an error: unanswered, a client request answered 4xx or 5xx, a server's 5xx. */
function spanFailed(e: Exchange): boolean {
  return !e.complete || (e.status !== null && e.status >= (e.side === 'client' ? 400 : 500));
}

/** Traces and spans a bounded export left out (0 when it wrote every one). */
interface Omitted {
  traces: number;
  spans: number;
}

/**
 * The spans by service, a batch at a time (each batch's services in name order): a run of
 * fewer spans than a batch is one batch, one resource per service. Two passes over the
 * exchanges, so no row is held: the first places every span (a command's client requests
 * under its root, the server requests the chains link to them under those, the others a
 * trace per global request id) and writes the roots; the second writes each exchange's span
 * where the first placed it, in log order. With `maxEntries` (> 0) the first pass also ranks
 * every trace, holding at most a few times `maxEntries` of them, and the second writes the
 * chosen ones only, their roots first; `omitted` is set before anything is handed over.
 */
function* otlpBatches(
  run: RunResult,
  showSecrets: boolean,
  maxEntries: number,
  omitted: Omitted,
): Generator<Map<string, OtlpSpan[]>> {
  const clean = (t: string) => (showSecrets ? t : maskText(t));
  let spansByService = new Map<string, OtlpSpan[]>();
  let batched = 0;
  const batchSize = batchSpans();
  const add = (service: string, span: OtlpSpan) => {
    const list = spansByService.get(service);
    if (list) list.push(span);
    else spansByService.set(service, [span]);
    batched++;
  };
  /** The batch, when it is full (or `last`), handed over and a new one begun. */
  const full = (last = false): Map<string, OtlpSpan[]> | null => {
    if (batched === 0 || (!last && batched < batchSize)) return null;
    const batch = spansByService;
    spansByService = new Map();
    batched = 0;
    return batch;
  };
  const spanIdOf = (e: Exchange) => hexId(`exchange:${e.source}:${e.id}`, 16);

  // Who caused each server exchange, from the chains.
  const children = new Map<string, number[]>();
  for (const chain of run.chains) {
    // A link from a service log line (no exchange) hands its children to the exchange above it.
    const parentOf = new Map(chain.links.map((l) => [l.to, l.from]));
    for (const link of chain.links) {
      const to = exchangeIdOfNode(link.to);
      if (to === null) continue;
      let from: string | undefined = link.from;
      // at most one step per link: a loop in a hand-made or older chain cannot hold it here
      for (let steps = 0; from !== undefined && exchangeIdOfNode(from) === null; steps++)
        from = steps < chain.links.length ? parentOf.get(from) : undefined;
      if (from === undefined) continue;
      const list = children.get(from) ?? [];
      list.push(to);
      children.set(from, list);
    }
  }

  // ---- first pass: place every span ----------------------------------------------
  const servers = new Map<number, ServerMark>();
  for (const e of run.exchanges)
    if (e.side === 'server') {
      const t = timed(e);
      if (t)
        servers.set(e.id, {
          start: t.start,
          spanId: spanIdOf(e),
          key: e.globalRequestId ?? e.requestId ?? `x${e.id}`,
          failed: spanFailed(e),
          ms: t.end - t.start,
        });
    }
  const placedServers = new Map<number, Place>();
  /** The server requests under a span, and theirs, in the span's trace (counted in its tally). */
  const placeChildren = (id: number, traceId: string, spanId: string, into: TraceTally) => {
    for (const child of children.get(`x${id}`) ?? []) {
      const mark = servers.get(child);
      if (!mark || placedServers.has(child)) continue;
      placedServers.set(child, { traceId, parentSpanId: spanId });
      tally(into, mark.failed, mark.ms);
      placeChildren(child, traceId, mark.spanId, into);
    }
  };
  // The traces, ranked as they end, when a long run writes only some.
  const picker =
    maxEntries > 0
      ? new RowPicker<TraceRow>(
          maxEntries,
          (r) => r.tally.failed,
          (r) => r.tally.slowest,
        )
      : null;
  let spans = 0;
  const ended = (row: TraceRow) => {
    spans += row.tally.spans;
    picker!.push(row);
  };

  const commandNames = new Map<number, { name: string; source: string; line: number; exitCode: number | null }>();
  for (const c of run.commands)
    commandNames.set(c.id, {
      name: clean(c.name ?? shellLine(c.argv)) || 'command',
      source: c.source,
      line: c.line,
      exitCode: c.exitCode,
    });
  // Client exchanges stream by command (their groups are contiguous): one trace each, its root
  // written when the group ends.
  const groups = new ClientGroups();
  const rootSpan = (g: ClientGroup): OtlpSpan => {
    const meta = g.command === null ? null : commandNames.get(g.command);
    return {
      traceId: g.traceId,
      spanId: g.rootId,
      parentSpanId: '',
      name: meta ? `openstack ${meta.name}` : 'requests outside any command',
      kind: KIND.internal,
      startTimeUnixNano: nanos(g.start),
      endTimeUnixNano: nanos(g.end),
      attributes: meta
        ? [
            str('ostrace.source', meta.source),
            int('ostrace.line', meta.line),
            ...(meta.exitCode !== null ? [int('process.exit.code', meta.exitCode)] : []),
          ]
        : [],
      status:
        meta && meta.exitCode !== null && meta.exitCode !== 0
          ? { code: STATUS.error, message: `exit ${meta.exitCode}` }
          : { code: STATUS.unset },
    };
  };
  /** A command's trace, ended: its root written now, or ranked with the root counted. */
  const endGroup = (g: ClientGroup): boolean => {
    if (!picker) {
      add(CLIENT_SERVICE, rootSpan(g));
      return true;
    }
    tally(g.tally, rootSpan(g).status.code === STATUS.error, g.end - g.start);
    ended({ traceId: g.traceId, root: g, tally: g.tally });
    return false;
  };
  for (const e of run.exchanges) {
    if (e.side !== 'client') continue;
    const t = timed(e);
    if (!t) continue;
    const { group, ended: done } = groups.next(t);
    tally(group.tally, spanFailed(e), t.end - t.start);
    if (done && endGroup(done)) {
      const batch = full();
      if (batch) yield batch;
    }
    placeChildren(e.id, group.traceId, spanIdOf(e), group.tally);
  }
  const lastGroup = groups.end();
  if (lastGroup) endGroup(lastGroup);
  // Server requests no client request leads to: a trace per global request id.
  const byGlobal = new Map<string, number[]>();
  for (const [id, mark] of servers) {
    if (placedServers.has(id)) continue;
    const list = byGlobal.get(mark.key);
    if (list) list.push(id);
    else byGlobal.set(mark.key, [id]);
  }
  for (const [key, ids] of byGlobal) {
    const traceId = hexId(`request:${key}`, 32);
    const counted: TraceTally = { failed: false, slowest: 0, spans: 0 };
    for (const id of ids.sort((a, b) => servers.get(a)!.start - servers.get(b)!.start)) {
      if (placedServers.has(id)) continue;
      const mark = servers.get(id)!;
      placedServers.set(id, { traceId, parentSpanId: '' });
      tally(counted, mark.failed, mark.ms);
      placeChildren(id, traceId, mark.spanId, counted);
    }
    if (picker && counted.spans > 0) ended({ traceId, root: null, tally: counted });
  }
  servers.clear();

  // ---- a long run: the chosen traces, their roots first (as the first pass would have written them)
  let keep: Set<string> | null = null;
  if (picker) {
    const listed = picker.listed();
    if (listed.hidden > 0) {
      keep = new Set(listed.rows.map((r) => r.traceId));
      omitted.traces = listed.hidden;
      omitted.spans = spans - listed.rows.reduce((n, r) => n + r.tally.spans, 0);
    }
    const roots = listed.rows.filter((r) => r.root !== null);
    for (const [i, r] of roots.entries()) {
      add(CLIENT_SERVICE, rootSpan(r.root!));
      const batch = i < roots.length - 1 ? full() : null;
      if (batch) yield batch;
    }
  }

  // ---- second pass: each exchange's span where it was placed --------------------------
  const exchangeSpan = (t: Timed, traceId: string, parentSpanId: string): OtlpSpan => {
    const e = t.e;
    const template = pathTemplate(e.path) ?? e.path ?? '?';
    const attributes = [
      str('http.request.method', e.method ?? '?'),
      ...(e.url ? [str('url.full', clean(e.url))] : []),
      ...(e.path ? [str('url.path', clean(e.path.split('?')[0]!))] : []),
      str('http.route', template),
      ...(e.status !== null ? [int('http.response.status_code', e.status)] : []),
      ...(e.requestId ? [str('openstack.request_id', e.requestId)] : []),
      ...(e.globalRequestId ? [str('openstack.global_request_id', e.globalRequestId)] : []),
      ...(e.microversion ? [str('openstack.api_version', e.microversion)] : []),
      ...(e.side === 'client' && e.service ? [str('peer.service', e.service)] : []),
      str('ostrace.source', e.source),
      int('ostrace.line', e.line),
      int('ostrace.exchange', e.id),
    ];
    const failed = spanFailed(e);
    if (e.status !== null && e.status >= 400) attributes.push(str('error.type', String(e.status)));
    const message = !e.complete ? e.incompleteReason : (e.error?.message ?? null);
    return {
      traceId,
      spanId: spanIdOf(e),
      parentSpanId,
      name: `${e.method ?? '?'} ${template}`,
      kind: e.side === 'client' ? KIND.client : KIND.server,
      startTimeUnixNano: nanos(t.start),
      endTimeUnixNano: nanos(t.end),
      attributes,
      status: failed ? { code: STATUS.error, ...(message ? { message: clean(message) } : {}) } : { code: STATUS.unset },
    };
  };

  const spanGroups = new ClientGroups();
  for (const e of run.exchanges) {
    const t = timed(e);
    if (!t) continue;
    let place: Place | undefined;
    if (e.side === 'client') {
      const group = spanGroups.next(t).group;
      place = { traceId: group.traceId, parentSpanId: group.rootId };
    } else place = placedServers.get(e.id);
    if (!place || (keep && !keep.has(place.traceId))) continue;
    // A service's own call is a CLIENT span of that service.
    const service = e.side === 'client' ? (e.caller ? (e.caller.service ?? 'unknown') : CLIENT_SERVICE) : e.service;
    add(service ?? 'unknown', exchangeSpan(t, place.traceId, place.parentSpanId));
    const batch = full();
    if (batch) yield batch;
  }
  const last = full(true);
  if (last) yield last;
}

interface ClientGroup {
  command: number | null;
  traceId: string;
  rootId: string;
  start: number;
  end: number;
  /** Its spans, counted by the first pass. */
  tally: TraceTally;
}

/** The client requests of one command (or a run of them outside any), as they stream by. */
class ClientGroups {
  private current: ClientGroup | null = null;

  /** The group `t` belongs to, and the one it ended, if any. */
  next(t: Timed): { group: ClientGroup; ended: ClientGroup | null } {
    const e = t.e;
    let ended: ClientGroup | null = null;
    if (this.current !== null && this.current.command !== e.command) {
      ended = this.current;
      this.current = null;
    }
    if (this.current === null) {
      const traceId = hexId(e.command === null ? `loose:${e.source}:${e.id}` : `command:${e.source}:${e.command}`, 32);
      this.current = {
        command: e.command,
        traceId,
        rootId: hexId(`root:${traceId}`, 16),
        start: t.start,
        end: t.end,
        tally: { failed: false, slowest: 0, spans: 0 },
      };
    }
    const g = this.current;
    if (t.start < g.start) g.start = t.start;
    if (t.end > g.end) g.end = t.end;
    return { group: g, ended };
  }

  /** The last group, ended. */
  end(): ClientGroup | null {
    const g = this.current;
    this.current = null;
    return g;
  }
}

/** The OTLP/JSON document, written a batch of resources at a time. */
function* otlpChunks(run: RunResult, showSecrets: boolean, maxEntries: number): Generator<string> {
  yield '{"resourceSpans":[';
  let first = true;
  const omitted: Omitted = { traces: 0, spans: 0 };
  for (const batch of otlpBatches(run, showSecrets, maxEntries, omitted)) {
    // What a bounded export left out, on every resource: a viewer shows any one span's.
    const note =
      omitted.traces > 0
        ? [
            int('ostrace.omitted_traces', omitted.traces),
            int('ostrace.omitted_spans', omitted.spans),
            str(
              'ostrace.omitted',
              'traces with a failed span first, then the slowest; --max-entries all writes every one',
            ),
          ]
        : [];
    for (const service of [...batch.keys()].sort()) {
      const resource = {
        resource: { attributes: [str('service.name', service), ...note] },
        scopeSpans: [{ scope: { name: 'ostrace', version: TOOL_VERSION }, spans: batch.get(service)! }],
      };
      yield `${first ? '' : ','}${JSON.stringify(resource)}`;
      first = false;
    }
  }
  yield ']}\n';
}

export const otlpReporter: Reporter = {
  id: 'otlp',
  description: 'OpenTelemetry trace (OTLP/JSON) of the timed requests, for Jaeger or Grafana Tempo',
  render(run, ctx) {
    return [...otlpChunks(run, ctx.showSecrets, ctx.maxEntries ?? MAX_EXPORT_ITEMS)].join('');
  },
  chunks: (run, ctx) => otlpChunks(run, ctx.showSecrets, ctx.maxEntries ?? MAX_EXPORT_ITEMS),
};
