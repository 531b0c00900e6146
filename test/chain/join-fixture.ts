// Service-side requests without global request ids, made by hand for the chains
// stage: the shape of nova attaches on an older cloud, at any count.
import type { buildChains } from '../../src/chain/chains.js';
import type { ServerDraft } from '../../src/service/collector.js';
import { draftToExchange } from '../../src/service/exchanges.js';
import { ServerTimes, SpanTable, type RequestSpan } from '../../src/core/analysis.js';

const T0 = Date.UTC(2026, 10, 25, 21, 0, 0);
const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');
/** A distinct UUID per (kind, i). */
const uuid = (kind: number, i: number) => `${hex(kind, 8)}-0000-4000-a000-${hex(i, 12)}`;
export const reqId = (kind: number, i: number) => `req-${uuid(kind, i)}`;

export function draft(source: string, service: string, line: number, over: Partial<ServerDraft>): ServerDraft {
  return {
    source,
    line,
    endLine: line,
    service,
    style: 'oslo',
    method: 'GET',
    url: '/',
    path: '/',
    status: 200,
    microversion: null,
    startMs: null,
    endMs: null,
    serverTimeMs: null,
    requestId: null,
    globalRequestId: null,
    complete: true,
    incompleteReason: null,
    error: null,
    action: null,
    ...over,
  } as ServerDraft;
}

/** The client's own exchange of the call `answered` answered: sent at `atMs` (the log's clock). */
export function clientCall(answered: ServerExchange, id: number, atMs: number, durationMs: number): ServerExchange {
  return {
    ...answered,
    id,
    source: 'client.log',
    side: 'client',
    service: 'compute',
    startedAt: new Date(atMs).toISOString().replace('T', ' ').replace('Z', ''),
    timing: 'log',
    durationMs,
  };
}

type ServerExchange = ReturnType<typeof draftToExchange>;

/**
 * `n` nova attaches without global ids: nova-api's request (its nova-compute lines share
 * its id) and the cinder-api call it made (linked by the volume UUID both name), plus a
 * client `GET /v2.1/servers/detail` every time that only a uwsgi line (no id) answers.
 * Without `cinder`, nova alone: an older nova cloud's nova-api and nova-compute logs; without
 * `client`, no client log; with `discovery`, cinderclient's `GET /v3/` before each cinder call; with
 * `conductor`, nova-conductor's lines of each nova request too.
 */
export function analysisOf(n: number, { cinder = true, client = true, discovery = false, conductor = false } = {}) {
  const sources = [
    'client.log',
    'nova-api.log',
    'nova-compute.log',
    'cinder-api.log',
    'nova-api-uwsgi.log',
    'nova-conductor.log',
  ];
  const inputIndex = new Map(sources.map((s, i) => [s, i]));
  const exchanges: ReturnType<typeof draftToExchange>[] = [];
  const spans: RequestSpan[] = [];
  const serverTimes = new ServerTimes();
  /** A server exchange, answered by span number `span` when given. */
  const server = (d: ServerDraft, span?: number) => {
    const x = draftToExchange(d, exchanges.length + 1);
    exchanges.push(x);
    serverTimes.set(x.id, d.startMs, d.endMs, span);
    return x.id;
  };
  const span = (source: string, service: string, requestId: string, line: number, from: number, to: number) => {
    const s: RequestSpan = {
      source,
      inputIndex: inputIndex.get(source)!,
      service,
      requestId,
      globalRequestId: null,
      firstLine: line,
      lastLine: line + 3,
      firstMs: from,
      lastMs: to,
      debug: true,
      uuids: [],
      answersCall: false,
    };
    spans.push(s);
    return s;
  };
  /** An API request: its lines (naming `uuids`) and its exchange. */
  const request = (
    source: string,
    requestId: string,
    line: number,
    method: string,
    path: string,
    from: number,
    to: number,
    uuids: string[],
  ) => {
    const service = source.replace(/\.log$/, '');
    const s = span(source, service, requestId, line, from, to);
    s.uuids = [...uuids];
    server(
      draft(source, service, line, { method, url: path, path, requestId, startMs: from, endMs: to }),
      spans.length - 1,
    );
    s.answersCall = true;
  };
  for (let i = 0; i < n; i++) {
    // a discovery belongs to the one call after it within a second: attaches that far apart
    const t = T0 + i * (discovery ? 2500 : 100);
    const [instance, volume, attachment] = [uuid(1, i), uuid(2, i), uuid(3, i)];
    const nova = reqId(4, i);
    const path = `/v2.1/servers/${instance}/os-volume_attachments`;
    request('nova-api.log', nova, 4 * i + 1, 'POST', path, t, t + 300, [instance, volume]);
    span('nova-compute.log', 'nova-compute', nova, 4 * i + 1, t + 100, t + 2000).uuids = [instance, volume];
    if (conductor) span('nova-conductor.log', 'nova-conductor', nova, 2 * i + 1, t + 50, t + 80);
    const attach = `/v3/p/attachments/${attachment}`;
    if (discovery) request('cinder-api.log', reqId(6, i), 4 * i, 'GET', '/v3/', t + 140, t + 145, []);
    if (cinder)
      request('cinder-api.log', reqId(5, i), 4 * i + 1, 'PUT', attach, t + 150, t + 200, [volume, attachment]);
    const detail = '/v2.1/servers/detail';
    const uwsgi = server(
      draft('nova-api-uwsgi.log', 'nova-api', i + 1, { style: 'uwsgi', url: detail, path: detail, startMs: t + 5 }),
    );
    if (client) exchanges.push(clientCall(exchanges[uwsgi - 1]!, exchanges.length + 1, t, 20));
  }
  return {
    result: { exchanges, findings: [], chains: [], serviceEvents: [] },
    details: new Map(),
    service: { spans: SpanTable.of(spans), inputs: [], events: [], serverTimes, inputIndex },
    serverExchangeCount: exchanges.filter((e) => e.side === 'server').length,
  } as unknown as Parameters<typeof buildChains>[0];
}
