// `--format otlp`: the timed exchanges as an OpenTelemetry trace in OTLP/JSON, which
// Jaeger ("Upload JSON") and Grafana Tempo ("Import trace") open offline — a trace of
// an operation without OSProfiler. One trace per CLI command: the command is the root
// span, its requests are CLIENT spans under it, and the server-side requests a chain
// links to them (nova-api, then cinder-api called by nova…) are SERVER spans under
// the span that caused them. Server requests no client request leads to get a trace
// per global request id. Only exchanges with a start and a duration become spans;
// times are the logs' own wall clocks, read as UTC (as everywhere in ostrace). A long
// run is written in batches of spans, a resource per service in each (OTLP allows a
// resource more than once), so the trace is never held whole.
import { createHash } from 'node:crypto';
import { exchangeIdOfNode } from '../model/chain-schema.js';
import type { Exchange, RunResult } from '../model/schema.js';
import { maskText } from '../secrets/mask.js';
import { pathTemplate } from '../stats/template.js';
import { durationOf, startOf } from '../stats/timing.js';
import { TOOL_VERSION } from '../version.js';
import type { Reporter } from './types.js';

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

/**
 * The spans by service, a batch at a time (each batch's services in name order): a run of
 * fewer spans than a batch is one batch, one resource per service.
 */
function* otlpBatches(run: RunResult, showSecrets: boolean): Generator<Map<string, OtlpSpan[]>> {
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

  // Server exchanges (few, in memory) and who caused each, from the chains.
  const server = new Map<number, Timed>();
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
  for (const e of run.exchanges)
    if (e.side === 'server') {
      const t = timed(e);
      if (t) server.set(e.id, t);
    }
  const placed = new Set<number>();

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
    const failed = !e.complete || (e.status !== null && e.status >= (e.side === 'client' ? 400 : 500));
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

  /** A span and, under it, the server requests the chains say it caused. */
  const place = (t: Timed, traceId: string, parentSpanId: string) => {
    placed.add(t.e.id);
    // A service's own call is a CLIENT span of that service.
    const service =
      t.e.side === 'client' ? (t.e.caller ? (t.e.caller.service ?? 'unknown') : CLIENT_SERVICE) : t.e.service;
    add(service ?? 'unknown', exchangeSpan(t, traceId, parentSpanId));
    for (const child of children.get(`x${t.e.id}`) ?? []) {
      const c = server.get(child);
      if (c && !placed.has(child)) place(c, traceId, spanIdOf(t.e));
    }
  };

  const commandNames = new Map<number, { name: string; source: string; line: number; exitCode: number | null }>();
  for (const c of run.commands)
    commandNames.set(c.id, {
      name: clean(c.name ?? c.argv.join(' ')) || 'command',
      source: c.source,
      line: c.line,
      exitCode: c.exitCode,
    });
  // Client exchanges stream by command (their groups are contiguous): one trace each.
  let group: { command: number | null; list: Timed[] } = { command: null, list: [] };
  const flush = () => {
    const { command, list } = group;
    group = { command: null, list: [] };
    if (list.length === 0) return;
    const first = list[0]!.e;
    const traceId = hexId(
      command === null ? `loose:${first.source}:${first.id}` : `command:${first.source}:${command}`,
      32,
    );
    const meta = command === null ? null : commandNames.get(command);
    const rootId = hexId(`root:${traceId}`, 16);
    // a loop, not a spread: the requests outside any command of a service log can be 100k
    let start = Infinity;
    let end = -Infinity;
    for (const t of list) {
      if (t.start < start) start = t.start;
      if (t.end > end) end = t.end;
    }
    add(CLIENT_SERVICE, {
      traceId,
      spanId: rootId,
      parentSpanId: '',
      name: meta ? `openstack ${meta.name}` : 'requests outside any command',
      kind: KIND.internal,
      startTimeUnixNano: nanos(start),
      endTimeUnixNano: nanos(end),
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
    });
    for (const t of list) place(t, traceId, rootId);
  };
  for (const e of run.exchanges) {
    if (e.side !== 'client') continue;
    const t = timed(e);
    if (!t) continue;
    if (group.list.length > 0 && group.command !== e.command) {
      flush();
      const batch = full();
      if (batch) yield batch;
    }
    group.command = e.command;
    group.list.push(t);
  }
  flush();
  // Server requests no client request leads to: a trace per global request id.
  const byGlobal = new Map<string, Timed[]>();
  for (const [id, t] of server) {
    if (placed.has(id)) continue;
    const key = t.e.globalRequestId ?? t.e.requestId ?? `x${id}`;
    const list = byGlobal.get(key);
    if (list) list.push(t);
    else byGlobal.set(key, [t]);
  }
  for (const [key, list] of byGlobal) {
    const traceId = hexId(`request:${key}`, 32);
    for (const t of list.sort((a, b) => a.start - b.start)) if (!placed.has(t.e.id)) place(t, traceId, '');
    const batch = full();
    if (batch) yield batch;
  }
  const last = full(true);
  if (last) yield last;
}

/** The OTLP/JSON document, written a batch of resources at a time. */
function* otlpChunks(run: RunResult, showSecrets: boolean): Generator<string> {
  yield '{"resourceSpans":[';
  let first = true;
  for (const batch of otlpBatches(run, showSecrets)) {
    for (const service of [...batch.keys()].sort()) {
      const resource = {
        resource: { attributes: [str('service.name', service)] },
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
    return [...otlpChunks(run, ctx.showSecrets)].join('');
  },
  chunks: (run, ctx) => otlpChunks(run, ctx.showSecrets),
};
