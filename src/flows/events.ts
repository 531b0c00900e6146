// What the replay walks over: exchanges (client or server side) and service-log
// step markers, reduced to the fields a step can be recognised by.
import type { Exchange } from '../model/schema.js';
import type { Observer } from './grammar-schema.js';

export interface FlowEvent {
  /** Position in the replay's ordering (0-based, set by orderEvents). */
  seq: number;
  type: 'exchange' | 'marker';
  observer: Observer;
  /** Normalized service: compute, volume, identity, image, network, … (null when unknown). */
  service: string | null;
  method: string | null;
  /** Path after the API version and project id, without query: `servers/x`; '' for a root. */
  resource: string | null;
  /** The resource split at '/' as path templates compare it (`servers/x` → servers, x; '' → none); null with resource. */
  segments: readonly string[] | null;
  query: Map<string, string>;
  /**
   * What a service-log marker names (server, volume, attachment, device); exchanges
   * bind theirs through the step's path template instead (src/flows/compile.ts).
   */
  captures: Map<string, string>;
  /** First key of the request body; undefined when the log that produced the exchange cannot tell. */
  action: string | null | undefined;
  status: number | null;
  kind: Exchange['kind'] | null;
  marker: string | null;
  message: string | null;
  requestId: string | null;
  globalRequestId: string | null;
  microversion: string | null;
  exchange: number | null;
  /** The OpenStack client that sent the call (its User-Agent's first product); null or absent: not logged. */
  client?: string | null;
  source: string | null;
  line: number | null;
  /** Milliseconds for ordering events from different logs; null keeps input order. */
  atMs: number | null;
  error: string | null;
}

const SERVICE_ALIASES: Record<string, string> = {
  volume: 'volume',
  volumev2: 'volume',
  volumev3: 'volume',
  'block-storage': 'volume',
  block_storage: 'volume',
  cinder: 'volume',
  cinderv2: 'volume',
  cinderv3: 'volume',
  'cinder-api': 'volume',
  'cinder-volume': 'volume',
  compute: 'compute',
  nova: 'compute',
  'nova-api': 'compute',
  'nova-compute': 'compute',
  compute_legacy: 'compute',
  identity: 'identity',
  keystone: 'identity',
  image: 'image',
  glance: 'image',
  network: 'network',
  neutron: 'network',
  placement: 'placement',
};

export function normalizeService(service: string | null | undefined): string | null {
  if (!service) return null;
  const s = service.toLowerCase();
  return SERVICE_ALIASES[s] ?? s;
}

/** The API-side observer of a server exchange, from its service. */
export function serverObserver(service: string | null): Observer | null {
  const s = normalizeService(service);
  if (s === 'compute') return 'nova-api';
  if (s === 'volume') return 'cinder-api';
  return null;
}

const PROJECT_ID = /^[0-9a-f]{32}$/;

/** Is the path segment p[start, end) an API version (v2, v2.1, v3)? Checked by hand: no regex on user text. */
function isVersionSegment(p: string, start: number, end: number): boolean {
  const length = end - start;
  if (length < 2 || length > 8 || p.charCodeAt(start) !== 118 /* v */) return false;
  let dots = 0;
  for (let i = 1; i < length; i++) {
    const c = p.charCodeAt(start + i);
    if (c === 46) {
      if (++dots > 1 || i === 1 || i === length - 1) return false;
    } else if (c < 48 || c > 57) return false;
  }
  return true;
}

/**
 * Split a logged path into the resource part the templates speak about and the query.
 * `/compute/v2.1/servers/x?name=y` → `servers/x` + {name: y}; `/volume/v3/<project>/volumes` → `volumes`;
 * a path without a version segment (`/identity`, `/`, `/volume/`) is a service root → ''.
 */
export function splitPath(path: string | null): {
  resource: string | null;
  segments: string[] | null;
  query: Map<string, string>;
} {
  const query = new Map<string, string>();
  if (path === null) return { resource: null, segments: null, query };
  let p = path;
  const q = p.indexOf('?');
  if (q >= 0) {
    for (const pair of p.slice(q + 1).split('&')) {
      if (pair === '') continue;
      const eq = pair.indexOf('=');
      const key = eq >= 0 ? pair.slice(0, eq) : pair;
      const value = eq >= 0 ? pair.slice(eq + 1) : '';
      query.set(safeDecode(key), safeDecode(value));
    }
    p = p.slice(0, q);
  }
  // A full URL (server-side request lines log them): drop scheme and host.
  const scheme = p.indexOf('://');
  if (scheme >= 0) {
    const slash = p.indexOf('/', scheme + 3);
    p = slash >= 0 ? p.slice(slash) : '/';
  }
  // The non-empty segments after the first version segment, found in one scan without splitting the rest.
  let rest: string[] | null = null;
  for (let start = 0; start <= p.length;) {
    let end = p.indexOf('/', start);
    if (end < 0) end = p.length;
    if (end > start) {
      if (rest !== null) rest.push(p.slice(start, end));
      else if (isVersionSegment(p, start, end)) rest = [];
    }
    start = end + 1;
  }
  if (rest === null) return { resource: '', segments: [], query };
  if (rest.length > 0 && PROJECT_ID.test(rest[0]!)) rest.shift();
  // No segment is empty or holds a '/': the segments are the resource split again.
  return { resource: rest.join('/'), segments: rest, query };
}

function safeDecode(s: string): string {
  // Nothing to decode (decodeURIComponent only rewrites %XX): most keys and values.
  if (!s.includes('%') && !s.includes('+')) return s;
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

function timeMs(startedAt: string | null): number | null {
  if (!startedAt) return null;
  const t = Date.parse(startedAt.includes('T') ? startedAt : startedAt.replace(' ', 'T'));
  return Number.isNaN(t) ? null : t;
}

/** What an exchange's event is made of: an Exchange will do, or these fields of one. */
export type EventFields = Pick<
  Exchange,
  | 'id'
  | 'side'
  | 'kind'
  | 'resendOf'
  | 'service'
  | 'method'
  | 'url'
  | 'path'
  | 'action'
  | 'status'
  | 'requestId'
  | 'globalRequestId'
  | 'microversion'
  | 'client'
  | 'source'
  | 'line'
  | 'startedAt'
> & { error: { message: string | null } | null };

/**
 * The fields of an exchange its event is made of, and no more (a decoded row's headers, URL
 * and times are not): a service-side flow holds the exchanges of every request it may claim
 * until it replays them, tens of thousands in a long run. `one` gives one copy of a string
 * that recurs (input name, service, method).
 */
export function eventFields(e: EventFields, one: <T extends string | null>(s: T) => T): EventFields {
  return {
    id: e.id,
    side: e.side,
    kind: e.kind,
    resendOf: e.resendOf,
    service: one(e.service),
    method: one(e.method),
    // splitPath reads the path, else the URL: a URL beside a path is never read.
    url: e.path === null ? e.url : null,
    path: e.path,
    action: e.action === undefined ? undefined : one(e.action),
    status: e.status,
    requestId: e.requestId,
    globalRequestId: e.globalRequestId,
    microversion: one(e.microversion),
    ...(e.client === undefined ? {} : { client: one(e.client) }),
    source: one(e.source),
    line: e.line,
    startedAt: e.startedAt,
    error: e.error ? { message: e.error.message } : null,
  };
}

/**
 * Exchanges as events. A request re-sent without a REQ line (after a 401 re-auth, a
 * retry) is one logical step: the original carries the final attempt's status.
 */
export function exchangeEvents(exchanges: readonly EventFields[]): FlowEvent[] {
  const finalStatus = new Map<number, number | null>();
  let byId: Map<number, EventFields> | null = null;
  for (const e of exchanges) {
    if (e.kind === 'resend' && e.resendOf !== null) {
      let root = e.resendOf;
      byId ??= new Map(exchanges.map((x) => [x.id, x]));
      const parent = byId.get(root);
      if (parent?.kind === 'resend' && parent.resendOf !== null) root = parent.resendOf;
      finalStatus.set(root, e.status);
    }
  }
  const out: FlowEvent[] = [];
  let sawToken = false;
  for (const e of exchanges) {
    if (e.kind === 'resend') continue;
    // A second token request is keystoneauth re-authenticating (after a 401 or an expired
    // token): transparent to the flow, reported by net/retried.
    if (e.kind === 'auth' && e.side === 'client') {
      if (sawToken) continue;
      sawToken = true;
    }
    const observer: Observer | null = e.side === 'client' ? 'client' : serverObserver(e.service);
    if (!observer) continue;
    const { resource, segments, query } = splitPath(e.path ?? e.url);
    out.push({
      seq: 0,
      type: 'exchange',
      observer,
      service: normalizeService(e.service),
      method: e.method,
      resource,
      segments,
      query,
      captures: new Map(),
      action: e.action,
      status: finalStatus.has(e.id) ? finalStatus.get(e.id)! : e.status,
      kind: e.kind,
      marker: null,
      message: null,
      requestId: e.requestId,
      globalRequestId: e.globalRequestId,
      microversion: e.microversion,
      exchange: e.id,
      client: e.client ?? null,
      source: e.source,
      line: e.line,
      atMs: timeMs(e.startedAt),
      error: e.error?.message ?? null,
    });
  }
  return out;
}

/**
 * Put events in one order. One log: its own order (the truth, even where
 * timestamps are coarse). Several logs: by time when every event has one
 * (a stable sort keeps equal times in input order), else input order.
 */
export function orderEvents(events: FlowEvent[]): FlowEvent[] {
  const sorted = [...events];
  // Several logs, or one stream of several services (a journal of many units): their lines
  // meet by time, as a request's access line is logged at its end. One log keeps its order.
  const logs = new Set(sorted.map((e) => `${e.source ?? ''}\u0000${e.observer}`));
  const timed = sorted.every((e) => e.atMs !== null);
  if (logs.size > 1 && timed) sorted.sort((a, b) => a.atMs! - b.atMs!);
  sorted.forEach((e, i) => {
    e.seq = i;
  });
  return sorted;
}

/**
 * A marker's resource ids under the names path templates use: nova's instance is
 * the compute API's {server}; a device is compared without its /dev/ prefix
 * (libvirt logs `vdb` where nova logs `/dev/vdb`).
 */
export function markerCaptures(fields: {
  instance: string | null;
  volume: string | null;
  attachment: string | null;
  device?: string | null;
}): Map<string, string> {
  const out = new Map<string, string>();
  if (fields.instance) out.set('server', fields.instance);
  if (fields.volume) out.set('volume', fields.volume);
  if (fields.attachment) out.set('attachment', fields.attachment);
  if (fields.device) out.set('device', fields.device.startsWith('/dev/') ? fields.device.slice(5) : fields.device);
  return out;
}
