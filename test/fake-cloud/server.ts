/**
 * A fake OpenStack cloud (keystone + nova + cinder + a little glance) on 127.0.0.1.
 *
 * The real `openstack --debug` client is run against it (see run-osc.ts); the server
 * keeps `served`, its own record of every request it answered (or dropped), which is
 * the ground truth that ostrace's reconstruction of the client log is compared with.
 *
 * Layout is devstack-like, one host:port with path prefixes:
 *   /identity                keystone (GET → 300 versions; /v3; POST /v3/auth/tokens)
 *   /compute/v2.1            nova (max microversion 2.93 by default)
 *   /volume/v3/{project_id}  cinder (max microversion 3.70 by default)
 *   /image                   glance (just enough for OSC's image client)
 *
 * Every response has `Connection: close` (devstack's uwsgi adds it), an
 * `x-openstack-request-id: req-<uuid4>` header (nova and cinder also send
 * `x-compute-request-id` with the same value), an exact Content-Length.
 *
 * Only node built-ins are used.
 */
import http from 'node:http';
import { createHash, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';

// ---------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------

/** One request as the fake cloud saw it. The array of these is the ground truth. */
export interface ServedRecord {
  method: string;
  /** Path plus query string exactly as received on the request line. */
  path: string;
  /** Status sent, or null when the connection was dropped without an answer. */
  status: number | null;
  /** The `req-…` id sent in x-openstack-request-id, or null when nothing was sent. */
  requestId: string | null;
  /** The request's `X-OpenStack-Request-ID` header (global request id), or null. */
  globalRequestId: string | null;
  /** True when the server dropped the connection instead of answering. */
  reset?: boolean;
}

/** What a failure rule does instead of the normal handling. */
export type FailureAction =
  | {
      status: number;
      /** JSON-serialisable body (or a string sent verbatim). Default: service-style fault. */
      body?: unknown;
      /** Extra/overriding response headers. */
      headers?: Record<string, string>;
      /**
       * For status 401 only: also revoke the X-Auth-Token the request carried, so the
       * token really is "expired" from then on. Default true.
       */
      revokeToken?: boolean;
    }
  /** Destroy the socket with a TCP RST (socket.resetAndDestroy), no response. */
  | 'reset'
  /** Close the socket (FIN) without sending a response. */
  | 'close'
  /** Never answer: the request waits until the client gives up or is interrupted (a hung service). */
  | 'hang';

export interface FailureRule {
  /** HTTP method to match (case-insensitive); any method when omitted. */
  method?: string;
  /** Tested against path+query as received. A string is compiled with `new RegExp`. */
  pathRegex: RegExp | string;
  /** Let this many matching requests through normally before firing. Default 0. */
  skip?: number;
  /** How many times the rule fires. Default 1. Use Infinity for "always". */
  times?: number;
  action: FailureAction;
}

/** A server's `fault`, as nova shows it for a server in ERROR: `details` is the traceback (admins see it). */
export interface FakeServerFault {
  code: number;
  message: string;
  created: string;
  details?: string;
}

export interface FakeServerSeed {
  id?: string;
  name: string;
  status?: string;
  fault?: FakeServerFault;
}

export interface FakeVolumeSeed {
  id?: string;
  name: string;
  size?: number;
  status?: string;
  /** Name or id of a seeded server this volume is attached to (status becomes in-use). */
  attachedTo?: string;
  device?: string;
  /** A multiattach volume: an attach to a second server is accepted while it is `in-use`. */
  multiattach?: boolean;
}

export interface FakeCloudOptions {
  /** Port to listen on (127.0.0.1). 0 (default) picks a free port. */
  port?: number;
  /**
   * When set, request ids, tokens and generated resource ids are derived from this seed
   * with a counter, so two runs of the same scenario produce the same ids.
   */
  seed?: string;
  username?: string;
  password?: string;
  projectName?: string;
  projectId?: string;
  userId?: string;
  domainName?: string;
  region?: string;
  /** Nova max microversion advertised (default "2.93"). */
  computeMaxVersion?: string;
  /** Cinder max microversion advertised (default "3.70"). */
  volumeMaxVersion?: string;
  /**
   * Real cinder routes `GET /v3/` through keystonemiddleware, so an unauthenticated
   * discovery request gets 401 and keystoneauth retries it with a token. Default true.
   */
  volumeDiscoveryRequiresAuth?: boolean;
  /** Token lifetime in seconds (default 3600). */
  tokenTtlSeconds?: number;
  /** Seeded servers. Default: one server "vm1". */
  servers?: FakeServerSeed[];
  /** Seeded volumes. Default: one available volume "vol1". */
  volumes?: FakeVolumeSeed[];
  /** Failure injection, evaluated in order before normal handling; first match wins. */
  rules?: FailureRule[];
  /** Value of the `Server` response header; omitted when undefined (default). */
  serverHeader?: string;
  /**
   * Volume names or ids whose attach nova-api answers 200 and nova-compute then rolls back (as
   * minicloud 04-attach-driver-error recorded): the volume is `available` again at once and the
   * server has no attachment.
   */
  attachRolledBack?: string[];
  /**
   * Volume names or ids whose detach nova-api accepts (202) and nova-compute then fails: cinder's
   * roll_detaching puts the volume back to `in-use` and the server keeps the attachment.
   */
  detachRolledBack?: string[];
  /**
   * Volume names whose create cinder-api accepts (202, `creating`) and cinder-scheduler then fails,
   * as minicloud 07-volume-create-no-valid-backend recorded: the volume is `error` from then on.
   */
  createFails?: string[];
}

export interface FakeServerState {
  id: string;
  name: string;
  status: string;
  created: string;
  fault?: FakeServerFault;
  /** Attached volume ids with their device names. */
  attachments: Array<{ volumeId: string; device: string; attachmentId: string }>;
}

export interface FakeVolumeState {
  id: string;
  name: string | null;
  size: number;
  status: string;
  createdAt: string;
  attachments: Array<{ serverId: string; device: string; attachmentId: string; attachedAt: string }>;
  multiattach: boolean;
}

export interface FakeCloud {
  /** `http://127.0.0.1:PORT` (no trailing slash). */
  url: string;
  port: number;
  projectId: string;
  username: string;
  password: string;
  projectName: string;
  domainName: string;
  /** Ground truth, in the order the server answered. */
  served: ServedRecord[];
  servers: FakeServerState[];
  volumes: FakeVolumeState[];
  /** Tokens issued so far (in order). */
  tokensIssued: string[];
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------
// Defaults
// ---------------------------------------------------------------------------

export const DEFAULT_PROJECT_ID = '8d1d1b6c0a8e4f5c9b0e2a7f3c4d5e6f';
export const DEFAULT_USER_ID = '7d909a8c6c6b4ab1a4e2ddd657e5ad4e';
export const DEFAULT_SERVER_ID = '0b7e1f6c-2d4a-4c35-9a51-3f0d8c2b9e11';
export const DEFAULT_VOLUME_ID = '6f3c2a1e-8b9d-4e07-a2c4-5d6e7f809a1b';
export const DEFAULT_IMAGE_ID = '00db6667-c58c-40c0-bcba-1d2c8f14a661';
export const DEFAULT_FLAVOR_ID = '1';

const FIXED_CREATED = '2026-11-25T20:00:00Z';

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/** Format 16 bytes as a version-4 UUID string. */
function bytesToUuid4(b: Buffer): string {
  const bytes = Buffer.from(b.subarray(0, 16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const h = bytes.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** Deterministic uuid4-shaped string from a seed, a kind and a counter. */
export function seededUuid(seed: string, kind: string, n: number): string {
  return bytesToUuid4(createHash('sha256').update(`${seed}\0${kind}\0${n}`).digest());
}

/** Keystone token timestamps: 2026-11-25T22:02:41.000000Z */
function keystoneTime(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, '.000000Z');
}

/** Cinder timestamps: 2026-11-25T21:02:41.521921 (no zone). */
function cinderTime(d: Date): string {
  return d.toISOString().replace(/Z$/, '000');
}

/** Python json.dumps default separators, so bodies look like the real services'. */
function pyJson(value: unknown): string {
  return JSON.stringify(value, null, 0).replace(
    /("(?:[^"\\]|\\.)*")|([,:])/g,
    (m, str: string | undefined, sep: string | undefined) => (str !== undefined ? str : sep === ',' ? ', ' : ': '),
  );
}

interface Microversion {
  major: number;
  minor: number;
}

function parseMv(s: string): Microversion | null {
  const m = /^\s*(\d+)\.(\d+)\s*$/.exec(s);
  if (!m) return null;
  return { major: Number(m[1]), minor: Number(m[2]) };
}

function mvToString(v: Microversion): string {
  return `${v.major}.${v.minor}`;
}

function mvCmp(a: Microversion, b: Microversion): number {
  return a.major !== b.major ? a.major - b.major : a.minor - b.minor;
}

function headerValue(req: http.IncomingMessage, name: string): string | undefined {
  const v = req.headers[name.toLowerCase()];
  if (Array.isArray(v)) return v.join(', ');
  return v;
}

/** Nova/cinder fault names (nova/api/openstack/wsgi.py Fault._fault_names). */
const FAULT_NAMES: Record<number, string> = {
  400: 'badRequest',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'itemNotFound',
  405: 'badMethod',
  409: 'conflictingRequest',
  413: 'overLimit',
  415: 'badMediaType',
  429: 'overLimit',
  501: 'notImplemented',
  503: 'serviceUnavailable',
};

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

type Service = 'identity' | 'compute' | 'volume' | 'image' | 'none';

interface Reply {
  status: number;
  headers: Array<[string, string]>;
  body: string;
  /**
   * Cinder's keystonemiddleware 401 is produced before cinder's own code adds
   * x-compute-request-id, so only x-openstack-request-id is sent then.
   */
  noComputeRequestId?: boolean;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

// ---------------------------------------------------------------------------
// The server
// ---------------------------------------------------------------------------

interface TokenInfo {
  expiresAt: Date;
  revoked: boolean;
}

interface RuleState {
  rule: FailureRule;
  re: RegExp;
  seen: number;
  fired: number;
}

interface RequestCtx {
  req: http.IncomingMessage;
  method: string;
  rawPath: string;
  pathname: string;
  query: URLSearchParams;
  body: string;
  requestId: string;
  service: Service;
}

export async function startFakeCloud(options: FakeCloudOptions = {}): Promise<FakeCloud> {
  const seed = options.seed;
  const counters = new Map<string, number>();
  const nextId = (kind: string): string => {
    const n = (counters.get(kind) ?? 0) + 1;
    counters.set(kind, n);
    return seed !== undefined ? seededUuid(seed, kind, n) : randomUUID();
  };
  const nextRequestId = (): string => `req-${nextId('request')}`;

  const username = options.username ?? 'admin';
  const password = options.password ?? 'secret';
  const projectName = options.projectName ?? 'admin';
  const projectId = options.projectId ?? DEFAULT_PROJECT_ID;
  const userId = options.userId ?? DEFAULT_USER_ID;
  const domainName = options.domainName ?? 'Default';
  const region = options.region ?? 'RegionOne';
  const computeMax = parseMv(options.computeMaxVersion ?? '2.93') ?? { major: 2, minor: 93 };
  const computeMin: Microversion = { major: 2, minor: 1 };
  const volumeMax = parseMv(options.volumeMaxVersion ?? '3.70') ?? { major: 3, minor: 70 };
  const volumeMin: Microversion = { major: 3, minor: 0 };
  const volumeDiscoveryRequiresAuth = options.volumeDiscoveryRequiresAuth ?? true;
  const tokenTtl = options.tokenTtlSeconds ?? 3600;

  const served: ServedRecord[] = [];
  const tokens = new Map<string, TokenInfo>();
  const tokensIssued: string[] = [];

  const rolledBack = new Set(options.attachRolledBack ?? []);
  const detachRolledBack = new Set(options.detachRolledBack ?? []);
  const createFails = new Set(options.createFails ?? []);
  const rules: RuleState[] = (options.rules ?? []).map((rule) => ({
    rule,
    re: typeof rule.pathRegex === 'string' ? new RegExp(rule.pathRegex) : rule.pathRegex,
    seen: 0,
    fired: 0,
  }));

  // --- resources -----------------------------------------------------------
  const servers: FakeServerState[] = (options.servers ?? [{ id: DEFAULT_SERVER_ID, name: 'vm1' }]).map((s, i) => ({
    id: s.id ?? (i === 0 ? DEFAULT_SERVER_ID : nextId('server')),
    name: s.name,
    status: s.status ?? 'ACTIVE',
    created: FIXED_CREATED,
    ...(s.fault ? { fault: s.fault } : {}),
    attachments: [],
  }));
  const volumes: FakeVolumeState[] = (options.volumes ?? [{ id: DEFAULT_VOLUME_ID, name: 'vol1' }]).map((v, i) => ({
    id: v.id ?? (i === 0 ? DEFAULT_VOLUME_ID : nextId('volume')),
    name: v.name,
    size: v.size ?? 1,
    status: v.status ?? 'available',
    createdAt: '2026-11-25T20:00:00.000000',
    attachments: [],
    multiattach: v.multiattach ?? false,
  }));
  for (const [i, v] of (options.volumes ?? []).entries()) {
    if (v.attachedTo === undefined) continue;
    const srv = servers.find((s) => s.id === v.attachedTo || s.name === v.attachedTo);
    const vol = volumes[i];
    if (!srv || !vol) throw new Error(`volume seed ${v.name}: no server ${v.attachedTo}`);
    attach(srv, vol, v.device ?? '/dev/vdb', '2026-11-25T20:00:00.000000');
  }

  function attach(srv: FakeServerState, vol: FakeVolumeState, device: string, at: string): string {
    const attachmentId = nextId('attachment');
    srv.attachments.push({ volumeId: vol.id, device, attachmentId });
    vol.attachments.push({ serverId: srv.id, device, attachmentId, attachedAt: at });
    vol.status = 'in-use';
    return attachmentId;
  }

  function nextDevice(srv: FakeServerState): string {
    const used = new Set(srv.attachments.map((a) => a.device));
    for (let c = 'b'.charCodeAt(0); c <= 'z'.charCodeAt(0); c++) {
      const d = `/dev/vd${String.fromCharCode(c)}`;
      if (!used.has(d)) return d;
    }
    return '/dev/vdzz';
  }

  // --- server plumbing -----------------------------------------------------
  let baseUrl = '';

  const httpServer = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      try {
        handle(req, res, body);
      } catch (err) {
        // Last-resort: never leave the client hanging.
        const msg = err instanceof Error ? err.message : String(err);
        if (!res.headersSent) {
          const requestId = nextRequestId();
          served.push({
            method: req.method ?? 'GET',
            path: req.url ?? '/',
            status: 500,
            requestId,
            globalRequestId: headerValue(req, 'x-openstack-request-id') ?? null,
          });
          const b = pyJson({ computeFault: { code: 500, message: `fake cloud bug: ${msg}` } });
          res.writeHead(500, {
            Connection: 'close',
            'Content-Length': String(Buffer.byteLength(b)),
            'Content-Type': 'application/json',
            'x-openstack-request-id': requestId,
          });
          res.end(b);
        }
      }
    });
  });
  // Keep-alive is disabled by the Connection: close header on every response.
  httpServer.keepAliveTimeout = 1000;

  function serviceOf(pathname: string): Service {
    if (pathname === '/identity' || pathname.startsWith('/identity/')) return 'identity';
    if (pathname === '/compute' || pathname.startsWith('/compute/')) return 'compute';
    if (pathname === '/volume' || pathname.startsWith('/volume/')) return 'volume';
    if (pathname === '/image' || pathname.startsWith('/image/')) return 'image';
    return 'none';
  }

  function handle(req: http.IncomingMessage, res: http.ServerResponse, body: string): void {
    const method = (req.method ?? 'GET').toUpperCase();
    const rawPath = req.url ?? '/';
    const parsed = new URL(rawPath, 'http://fake.invalid');
    const ctx: RequestCtx = {
      req,
      method,
      rawPath,
      pathname: parsed.pathname,
      query: parsed.searchParams,
      body,
      requestId: '',
      service: serviceOf(parsed.pathname),
    };
    const globalRequestId = headerValue(req, 'x-openstack-request-id') ?? null;

    // Failure injection first.
    for (const st of rules) {
      if (st.rule.method !== undefined && st.rule.method.toUpperCase() !== method) continue;
      st.re.lastIndex = 0;
      if (!st.re.test(rawPath)) continue;
      st.seen++;
      if (st.seen <= (st.rule.skip ?? 0)) continue;
      if (st.fired >= (st.rule.times ?? 1)) continue;
      st.fired++;
      const action = st.rule.action;
      if (action === 'hang') {
        served.push({ method, path: rawPath, status: null, requestId: null, globalRequestId });
        return;
      }
      if (action === 'reset' || action === 'close') {
        served.push({ method, path: rawPath, status: null, requestId: null, globalRequestId, reset: true });
        if (action === 'reset') req.socket.resetAndDestroy();
        else req.socket.destroy();
        return;
      }
      ctx.requestId = nextRequestId();
      if (action.status === 401 && action.revokeToken !== false) {
        const t = headerValue(req, 'x-auth-token');
        const info = t !== undefined ? tokens.get(t) : undefined;
        if (info) info.revoked = true;
      }
      const reply = faultReply(ctx, action.status, action.body);
      for (const [k, v] of Object.entries(action.headers ?? {})) {
        const i = reply.headers.findIndex(([hk]) => hk.toLowerCase() === k.toLowerCase());
        if (i >= 0) reply.headers.splice(i, 1);
        reply.headers.push([k, v]);
      }
      send(res, ctx, reply, globalRequestId);
      return;
    }

    ctx.requestId = nextRequestId();
    let reply: Reply;
    try {
      reply = route(ctx);
    } catch (err) {
      if (err instanceof HttpError) reply = faultReply(ctx, err.status, undefined, err.message);
      else throw err;
    }
    send(res, ctx, reply, globalRequestId);
  }

  function send(res: http.ServerResponse, ctx: RequestCtx, reply: Reply, globalRequestId: string | null): void {
    served.push({
      method: ctx.method,
      path: ctx.rawPath,
      status: reply.status,
      requestId: ctx.requestId,
      globalRequestId,
    });
    const buf = Buffer.from(reply.body, 'utf8');
    const headers: Array<[string, string]> = [['Connection', 'close']];
    if (options.serverHeader !== undefined) headers.push(['Server', options.serverHeader]);
    headers.push(['Content-Length', String(buf.length)]);
    for (const h of reply.headers) headers.push(h);
    if ((ctx.service === 'compute' || ctx.service === 'volume') && reply.noComputeRequestId !== true) {
      headers.push(['x-compute-request-id', ctx.requestId]);
    }
    headers.push(['x-openstack-request-id', ctx.requestId]);
    const flat: string[] = [];
    for (const [k, v] of headers) flat.push(k, v);
    res.writeHead(reply.status, REASONS[reply.status] ?? http.STATUS_CODES[reply.status] ?? '', flat);
    res.end(ctx.method === 'HEAD' ? undefined : buf);
  }

  // --- response builders -----------------------------------------------------

  function json(
    status: number,
    value: unknown,
    extraHeaders: Array<[string, string]> = [],
    contentType = 'application/json',
  ): Reply {
    return {
      status,
      headers: [['Content-Type', contentType], ...extraHeaders],
      body: pyJson(value),
    };
  }

  function empty(status: number, extraHeaders: Array<[string, string]> = [], contentType = 'application/json'): Reply {
    return { status, headers: [['Content-Type', contentType], ...extraHeaders], body: '' };
  }

  function defaultMessage(ctx: RequestCtx, status: number): string {
    if (status === 500) {
      if (ctx.service === 'compute') {
        return (
          'Unexpected API Error. Please report this at http://bugs.launchpad.net/nova/ and attach the Nova API log if possible.\n' +
          "<class 'nova.exception.InternalError'>"
        );
      }
      if (ctx.service === 'volume') {
        return 'The server has either erred or is incapable of performing the requested operation.';
      }
      return 'An unexpected error prevented the server from fulfilling your request.';
    }
    if (status === 409) {
      if (ctx.service === 'compute') {
        const m = /\/servers\/([^/]+)/.exec(ctx.pathname);
        return `Cannot 'attach_volume' instance ${m?.[1] ?? 'unknown'} while it is in task_state attaching_volume`;
      }
      return 'Conflict.';
    }
    if (status === 503) return 'The service is temporarily unavailable, please retry later.';
    if (status === 404) return 'The resource could not be found.';
    if (status === 400) return 'Bad request.';
    if (status === 403) return 'Policy does not allow this operation.';
    return REASONS[status] ?? `Error ${status}`;
  }

  /** A fault in the style of the service the path belongs to. */
  function faultReply(ctx: RequestCtx, status: number, body?: unknown, message?: string): Reply {
    const msg = message ?? defaultMessage(ctx, status);
    const svcHeaders = serviceHeaders(ctx);
    if (status === 401 && ctx.service !== 'identity') {
      // keystonemiddleware's answer, which is what nova/cinder send for a bad token.
      const b =
        body !== undefined
          ? body
          : {
              error: {
                code: 401,
                title: 'Unauthorized',
                message: 'The request you have made requires authentication.',
              },
            };
      return {
        status,
        headers: [
          ['Content-Type', 'application/json'],
          ['WWW-Authenticate', `Keystone uri="${baseUrl}/identity"`],
        ],
        body: typeof b === 'string' ? b : pyJson(b),
        noComputeRequestId: ctx.service === 'volume',
      };
    }
    if (body !== undefined) {
      return {
        status,
        headers: [['Content-Type', 'application/json'], ...svcHeaders],
        body: typeof body === 'string' ? body : pyJson(body),
      };
    }
    if (ctx.service === 'identity' || ctx.service === 'none' || ctx.service === 'image') {
      return json(status, { error: { code: status, message: msg, title: REASONS[status] ?? 'Error' } }, svcHeaders);
    }
    const name = FAULT_NAMES[status] ?? 'computeFault';
    const contentType = ctx.service === 'compute' ? 'application/json; charset=UTF-8' : 'application/json';
    return json(status, { [name]: { code: status, message: msg } }, svcHeaders, contentType);
  }

  /** Microversion headers nova/cinder add to every response (after the wsgi layer). */
  function serviceHeaders(ctx: RequestCtx): Array<[string, string]> {
    if (ctx.service === 'compute' && /^\/compute\/v2\.1\/.+/.test(ctx.pathname)) {
      const v = mvToString(computeVersionOf(ctx, false));
      return [
        ['OpenStack-API-Version', `compute ${v}`],
        ['Vary', 'OpenStack-API-Version, X-OpenStack-Nova-API-Version'],
        ['X-OpenStack-Nova-API-Version', v],
      ];
    }
    if (ctx.service === 'volume' && /^\/volume\/v3\/.+/.test(ctx.pathname)) {
      const v = mvToString(volumeVersionOf(ctx, false));
      return [
        ['OpenStack-API-Version', `volume ${v}`],
        ['Vary', 'OpenStack-API-Version'],
      ];
    }
    return [];
  }

  function computeVersionOf(ctx: RequestCtx, strict: boolean): Microversion {
    let raw: string | undefined;
    const h = headerValue(ctx.req, 'openstack-api-version');
    if (h !== undefined) {
      const m = /(?:^|,)\s*compute\s+([^,\s]+)/i.exec(h);
      if (m) raw = m[1];
    }
    if (raw === undefined) raw = headerValue(ctx.req, 'x-openstack-nova-api-version');
    if (raw === undefined) return computeMin;
    if (raw.trim().toLowerCase() === 'latest') return computeMax;
    const v = parseMv(raw);
    if (!v) {
      if (strict)
        throw new HttpError(
          400,
          `API Version String ${raw} is of invalid format. Must be of format MajorNum.MinorNum.`,
        );
      return computeMin;
    }
    if (mvCmp(v, computeMin) < 0 || mvCmp(v, computeMax) > 0) {
      if (strict) {
        throw new HttpError(
          406,
          `Version ${raw} is not supported by the API. Minimum is ${mvToString(computeMin)} and maximum is ${mvToString(computeMax)}.`,
        );
      }
      return computeMin;
    }
    return v;
  }

  function volumeVersionOf(ctx: RequestCtx, strict: boolean): Microversion {
    const h = headerValue(ctx.req, 'openstack-api-version');
    let raw: string | undefined;
    if (h !== undefined) {
      const m = /(?:^|,)\s*volume\s+([^,\s]+)/i.exec(h);
      if (m) raw = m[1];
    }
    if (raw === undefined) return volumeMin;
    if (raw.trim().toLowerCase() === 'latest') return volumeMax;
    const v = parseMv(raw);
    if (!v || mvCmp(v, volumeMin) < 0 || mvCmp(v, volumeMax) > 0) {
      if (strict) {
        throw new HttpError(
          406,
          `Version ${raw} is not supported by the API. Minimum is ${mvToString(volumeMin)} and maximum is ${mvToString(volumeMax)}.`,
        );
      }
      return volumeMin;
    }
    return v;
  }

  function requireToken(ctx: RequestCtx): void {
    const t = headerValue(ctx.req, 'x-auth-token');
    const info = t !== undefined ? tokens.get(t) : undefined;
    if (!info || info.revoked || info.expiresAt.getTime() <= Date.now()) {
      throw new HttpError(401, 'The request you have made requires authentication.');
    }
  }

  // --- routing -------------------------------------------------------------

  function route(ctx: RequestCtx): Reply {
    switch (ctx.service) {
      case 'identity':
        return routeIdentity(ctx);
      case 'compute':
        return routeCompute(ctx);
      case 'volume':
        return routeVolume(ctx);
      case 'image':
        return routeImage(ctx);
      default:
        throw new HttpError(404, 'The resource could not be found.');
    }
  }

  // keystone ------------------------------------------------------------------

  function identityV3Version(): unknown {
    return {
      id: 'v3.14',
      status: 'stable',
      updated: '2020-04-07T00:00:00Z',
      links: [{ rel: 'self', href: `${baseUrl}/identity/v3/` }],
      'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.identity-v3+json' }],
    };
  }

  function routeIdentity(ctx: RequestCtx): Reply {
    const p = ctx.pathname.replace(/\/+$/, '');
    const vary: Array<[string, string]> = [['Vary', 'X-Auth-Token']];
    if (p === '/identity' && ctx.method === 'GET') {
      return json(300, { versions: { values: [identityV3Version()] } }, vary);
    }
    if (p === '/identity/v3' && ctx.method === 'GET') {
      return json(200, { version: identityV3Version() }, vary);
    }
    if (p === '/identity/v3/auth/tokens' && ctx.method === 'POST') {
      return issueToken(ctx);
    }
    if (p === '/identity/v3/auth/tokens' && (ctx.method === 'GET' || ctx.method === 'HEAD')) {
      requireToken(ctx);
      const subject = headerValue(ctx.req, 'x-subject-token');
      const info = subject !== undefined ? tokens.get(subject) : undefined;
      if (!info || info.revoked) throw new HttpError(404, 'Could not find token.');
      return json(200, tokenBody(new Date(info.expiresAt.getTime() - tokenTtl * 1000), info.expiresAt, true), [
        ...vary,
        ['X-Subject-Token', subject ?? ''],
      ]);
    }
    throw new HttpError(404, 'The resource could not be found.');
  }

  function catalog(): unknown[] {
    const ep = (url: string, kind: string): unknown => ({
      id: nextHexStable(`endpoint:${kind}`),
      interface: 'public',
      region: region,
      region_id: region,
      url,
    });
    const svc = (type: string, name: string, url: string): unknown => ({
      endpoints: [ep(url, type)],
      id: nextHexStable(`service:${type}`),
      type,
      name,
    });
    return [
      svc('block-storage', 'cinder', `${baseUrl}/volume/v3/${projectId}`),
      svc('compute', 'nova', `${baseUrl}/compute/v2.1`),
      svc('identity', 'keystone', `${baseUrl}/identity`),
      svc('image', 'glance', `${baseUrl}/image`),
      svc('volumev3', 'cinderv3', `${baseUrl}/volume/v3/${projectId}`),
    ];
  }

  /** Stable ids for catalog entries (same for every token in one cloud). */
  const stableIds = new Map<string, string>();
  function nextHexStable(key: string): string {
    let v = stableIds.get(key);
    if (v === undefined) {
      v =
        seed !== undefined
          ? createHash('sha256').update(`${seed}\0${key}`).digest('hex').slice(0, 32)
          : randomUUID().replace(/-/g, '');
      stableIds.set(key, v);
    }
    return v;
  }

  function tokenBody(issued: Date, expires: Date, withCatalog: boolean): unknown {
    const token: Record<string, unknown> = {
      methods: ['password'],
      user: {
        domain: { id: 'default', name: domainName },
        id: userId,
        name: username,
        password_expires_at: null,
      },
      audit_ids: [
        createHash('sha256')
          .update(`${seed ?? randomUUID()}\0audit\0${tokensIssued.length}`)
          .digest('base64url')
          .slice(0, 22),
      ],
      expires_at: keystoneTime(expires),
      issued_at: keystoneTime(issued),
      project: { domain: { id: 'default', name: domainName }, id: projectId, name: projectName },
      is_domain: false,
      roles: [
        { id: nextHexStable('role:member'), name: 'member' },
        { id: nextHexStable('role:admin'), name: 'admin' },
        { id: nextHexStable('role:reader'), name: 'reader' },
      ],
    };
    if (withCatalog) token['catalog'] = catalog();
    return { token };
  }

  function issueToken(ctx: RequestCtx): Reply {
    let parsed: unknown;
    try {
      parsed = JSON.parse(ctx.body);
    } catch {
      throw new HttpError(400, 'Expecting to find auth in request body.');
    }
    const auth = (
      parsed as { auth?: { identity?: { methods?: unknown; password?: { user?: Record<string, unknown> } } } }
    ).auth;
    const user = auth?.identity?.password?.user;
    const okUser =
      user !== undefined && (user['name'] === username || user['id'] === userId) && user['password'] === password;
    if (!okUser) throw new HttpError(401, 'The request you have made requires authentication.');
    const issued = new Date();
    const expires = new Date(issued.getTime() + tokenTtl * 1000);
    const n = tokensIssued.length + 1;
    const token =
      'gAAAAA' +
      createHash('sha256')
        .update(`${seed ?? randomUUID()}\0token\0${n}`)
        .digest('base64url') +
      createHash('sha256')
        .update(`${seed ?? randomUUID()}\0token2\0${n}`)
        .digest('base64url');
    tokens.set(token, { expiresAt: expires, revoked: false });
    tokensIssued.push(token);
    const withCatalog = !ctx.query.has('nocatalog');
    return json(201, tokenBody(issued, expires, withCatalog), [
      ['Vary', 'X-Auth-Token'],
      ['X-Subject-Token', token],
    ]);
  }

  // nova ------------------------------------------------------------------------

  function computeVersionDoc(): Record<string, unknown> {
    return {
      id: 'v2.1',
      status: 'CURRENT',
      version: mvToString(computeMax),
      min_version: mvToString(computeMin),
      updated: '2013-07-23T11:33:21Z',
      links: [
        { rel: 'self', href: `${baseUrl}/compute/v2.1/` },
        { rel: 'describedby', type: 'text/html', href: 'http://docs.openstack.org/' },
      ],
      'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.compute+json;version=2.1' }],
    };
  }

  function findServer(idOrName: string, byNameToo: boolean): FakeServerState | undefined {
    return servers.find((s) => s.id === idOrName || (byNameToo && s.name === idOrName));
  }

  function serverLinks(id: string): unknown[] {
    return [
      { rel: 'self', href: `${baseUrl}/compute/v2.1/servers/${id}` },
      { rel: 'bookmark', href: `${baseUrl}/compute/servers/${id}` },
    ];
  }

  function serverDetail(s: FakeServerState, mv: Microversion): Record<string, unknown> {
    const ge = (minor: number): boolean => mvCmp(mv, { major: 2, minor }) >= 0;
    const flavor = ge(47)
      ? { vcpus: 1, ram: 512, disk: 1, ephemeral: 0, swap: 0, original_name: 'm1.tiny', extra_specs: {} }
      : {
          id: DEFAULT_FLAVOR_ID,
          links: [{ rel: 'bookmark', href: `${baseUrl}/compute/flavors/${DEFAULT_FLAVOR_ID}` }],
        };
    const d: Record<string, unknown> = {
      id: s.id,
      name: s.name,
      status: s.status,
      tenant_id: projectId,
      user_id: userId,
      metadata: {},
      hostId: createHash('sha224').update(`${projectId}${s.id}`).digest('hex'),
      image: {
        id: DEFAULT_IMAGE_ID,
        links: [{ rel: 'bookmark', href: `${baseUrl}/compute/images/${DEFAULT_IMAGE_ID}` }],
      },
      flavor,
      created: s.created,
      updated: s.created,
      addresses: {},
      accessIPv4: '',
      accessIPv6: '',
      links: serverLinks(s.id),
      'OS-DCF:diskConfig': 'MANUAL',
      'OS-EXT-AZ:availability_zone': 'nova',
      config_drive: '',
      key_name: null,
      'OS-SRV-USG:launched_at': '2026-11-25T20:00:05.000000',
      'OS-SRV-USG:terminated_at': null,
      'OS-EXT-SRV-ATTR:host': 'fakehost',
      'OS-EXT-SRV-ATTR:instance_name': 'instance-00000001',
      'OS-EXT-SRV-ATTR:hypervisor_hostname': 'fakehost',
      'OS-EXT-STS:task_state': null,
      'OS-EXT-STS:vm_state': s.status === 'ACTIVE' ? 'active' : s.status.toLowerCase(),
      'OS-EXT-STS:power_state': s.status === 'ACTIVE' ? 1 : 4,
      'os-extended-volumes:volumes_attached': s.attachments.map((a) =>
        ge(3) ? { id: a.volumeId, delete_on_termination: false } : { id: a.volumeId },
      ),
      security_groups: [{ name: 'default' }],
    };
    if (!ge(9)) d['progress'] = 0;
    else d['locked'] = false;
    if (ge(19)) d['description'] = null;
    if (ge(26)) d['tags'] = [];
    if (ge(16)) d['host_status'] = 'UP';
    if (ge(63)) d['trusted_image_certificates'] = null;
    if (ge(71)) d['server_groups'] = [];
    if (ge(73)) d['locked_reason'] = null;
    // nova's view adds the instance's last fault for a server in ERROR (or DELETED).
    if (s.fault) d['fault'] = s.fault;
    return d;
  }

  function nameFilter(query: URLSearchParams): ((name: string | null) => boolean) | null {
    const n = query.get('name');
    if (n === null) return null;
    let re: RegExp | null = null;
    try {
      re = new RegExp(n);
    } catch {
      re = null;
    }
    return (name) => name !== null && (re ? re.test(name) : name.includes(n));
  }

  function routeCompute(ctx: RequestCtx): Reply {
    const p = ctx.pathname.replace(/\/+$/, '');
    if (p === '/compute' && ctx.method === 'GET') {
      return json(200, { versions: [computeVersionDoc()] });
    }
    if (p === '/compute/v2.1' && ctx.method === 'GET') {
      // Unauthenticated version document (nova's oscomputeversion_v2 app).
      return json(200, { version: computeVersionDoc() }, [
        ['OpenStack-API-Version', 'compute 2.1'],
        ['Vary', 'OpenStack-API-Version, X-OpenStack-Nova-API-Version'],
        ['X-OpenStack-Nova-API-Version', '2.1'],
      ]);
    }
    if (!p.startsWith('/compute/v2.1/')) throw new HttpError(404, 'The resource could not be found.');
    requireToken(ctx);
    const mv = computeVersionOf(ctx, true);
    const hdrs = serviceHeaders(ctx);
    const rest = p.slice('/compute/v2.1/'.length).split('/');
    const ok = (status: number, v: unknown): Reply => json(status, v, hdrs);
    const notFoundServer = (id: string): HttpError => new HttpError(404, `Instance ${id} could not be found.`);

    if (rest[0] === 'servers') {
      if (rest.length === 1 || (rest.length === 2 && rest[1] === 'detail')) {
        if (ctx.method !== 'GET') throw new HttpError(405, 'The method specified is not allowed for this resource.');
        const f = nameFilter(ctx.query);
        const list = servers.filter((s) => (f ? f(s.name) : true));
        if (rest.length === 2) return ok(200, { servers: list.map((s) => serverDetail(s, mv)) });
        return ok(200, { servers: list.map((s) => ({ id: s.id, links: serverLinks(s.id), name: s.name })) });
      }
      const sid = rest[1] ?? '';
      if (rest.length === 2) {
        if (ctx.method !== 'GET') throw new HttpError(405, 'The method specified is not allowed for this resource.');
        const s = findServer(sid, false);
        if (!s) throw notFoundServer(sid);
        return ok(200, { server: serverDetail(s, mv) });
      }
      if (rest[2] === 'os-volume_attachments') {
        const s = findServer(sid, false);
        if (!s) throw notFoundServer(sid);
        if (rest.length === 3 && ctx.method === 'GET') {
          return ok(200, {
            volumeAttachments: s.attachments.map((a) => attachmentView(s, a, mv, false)),
          });
        }
        if (rest.length === 3 && ctx.method === 'POST') return attachVolume(ctx, s, mv, hdrs);
        if (rest.length === 4) {
          const vid = rest[3] ?? '';
          const a = s.attachments.find((x) => x.volumeId === vid);
          if (ctx.method === 'GET') {
            if (!a) throw new HttpError(404, `Volume ${vid} is not attached to ${s.id}`);
            return ok(200, { volumeAttachment: attachmentView(s, a, mv, false) });
          }
          if (ctx.method === 'DELETE') {
            if (!a) throw new HttpError(404, `Volume ${vid} is not attached to ${s.id}`);
            const vol = volumes.find((v) => v.id === vid);
            // Accepted, then failed on the compute host: nothing changes (roll_detaching, `in-use`).
            if (vol && (detachRolledBack.has(vol.id) || (vol.name !== null && detachRolledBack.has(vol.name))))
              return empty(202, hdrs);
            s.attachments = s.attachments.filter((x) => x !== a);
            if (vol) {
              vol.attachments = vol.attachments.filter((x) => x.serverId !== s.id);
              if (vol.attachments.length === 0) vol.status = 'available';
            }
            return empty(202, hdrs);
          }
        }
        throw new HttpError(405, 'The method specified is not allowed for this resource.');
      }
      throw new HttpError(404, 'The resource could not be found.');
    }

    if (rest[0] === 'flavors') {
      const flavor = (withDetail: boolean): Record<string, unknown> => {
        const links = [
          { rel: 'self', href: `${baseUrl}/compute/v2.1/flavors/${DEFAULT_FLAVOR_ID}` },
          { rel: 'bookmark', href: `${baseUrl}/compute/flavors/${DEFAULT_FLAVOR_ID}` },
        ];
        const base: Record<string, unknown> = { id: DEFAULT_FLAVOR_ID, name: 'm1.tiny', links };
        if (mvCmp(mv, { major: 2, minor: 55 }) >= 0) base['description'] = null;
        if (!withDetail) return base;
        return {
          ...base,
          ram: 512,
          disk: 1,
          swap: 0,
          'OS-FLV-EXT-DATA:ephemeral': 0,
          'OS-FLV-DISABLED:disabled': false,
          vcpus: 1,
          'os-flavor-access:is_public': true,
          rxtx_factor: 1.0,
          ...(mvCmp(mv, { major: 2, minor: 61 }) >= 0 ? { extra_specs: {} } : {}),
        };
      };
      if (rest.length === 1) return ok(200, { flavors: [flavor(false)] });
      if (rest.length === 2 && rest[1] === 'detail') return ok(200, { flavors: [flavor(true)] });
      if (rest.length === 2) {
        if (rest[1] === DEFAULT_FLAVOR_ID) return ok(200, { flavor: flavor(true) });
        throw new HttpError(404, `Flavor ${rest[1] ?? ''} could not be found.`);
      }
    }
    throw new HttpError(404, 'The resource could not be found.');
  }

  function attachmentView(
    s: FakeServerState,
    a: { volumeId: string; device: string; attachmentId: string },
    mv: Microversion,
    forCreate: boolean,
  ): Record<string, unknown> {
    const ge = (minor: number): boolean => mvCmp(mv, { major: 2, minor }) >= 0;
    const v: Record<string, unknown> = {};
    // 2.89 drops "id" and adds attachment_id/bdm_uuid for GET; POST keeps the old shape.
    if (forCreate || !ge(89)) v['id'] = a.volumeId;
    v['serverId'] = s.id;
    v['volumeId'] = a.volumeId;
    v['device'] = a.device;
    if (ge(70)) v['tag'] = null;
    if (ge(79)) v['delete_on_termination'] = false;
    if (!forCreate && ge(89)) {
      v['attachment_id'] = a.attachmentId;
      v['bdm_uuid'] = createHash('md5')
        .update(a.attachmentId)
        .digest('hex')
        .replace(/^(.{8})(.{4})(.{4})(.{4})/, '$1-$2-$3-$4-');
    }
    return v;
  }

  function attachVolume(ctx: RequestCtx, s: FakeServerState, mv: Microversion, hdrs: Array<[string, string]>): Reply {
    let parsed: unknown;
    try {
      parsed = JSON.parse(ctx.body);
    } catch {
      throw new HttpError(400, 'Malformed request body');
    }
    const va = (parsed as { volumeAttachment?: { volumeId?: unknown; device?: unknown } }).volumeAttachment;
    const volumeId = typeof va?.volumeId === 'string' ? va.volumeId : undefined;
    if (volumeId === undefined) {
      throw new HttpError(
        400,
        "Invalid input for field/attribute volumeAttachment. Value: None. 'volumeId' is a required property",
      );
    }
    const vol = volumes.find((v) => v.id === volumeId);
    if (!vol) throw new HttpError(404, `Volume ${volumeId} could not be found.`);
    if (vol.status !== 'available' && !(vol.multiattach && vol.status === 'in-use')) {
      throw new HttpError(
        400,
        `Invalid volume: volume ${volumeId} status must be 'available'. Currently in '${vol.status}'`,
      );
    }
    const device = typeof va?.device === 'string' && va.device !== '' ? va.device : nextDevice(s);
    attach(s, vol, device, cinderTime(new Date()));
    const a = s.attachments[s.attachments.length - 1];
    if (!a) throw new Error('attachment vanished');
    const answer = json(200, { volumeAttachment: attachmentView(s, a, mv, true) }, hdrs);
    if (rolledBack.has(vol.id) || (vol.name !== null && rolledBack.has(vol.name))) {
      s.attachments = s.attachments.filter((x) => x !== a);
      vol.attachments = vol.attachments.filter((x) => x.serverId !== s.id);
      if (vol.attachments.length === 0) vol.status = 'available';
    }
    return answer;
  }

  // cinder ----------------------------------------------------------------------

  function volumeVersionsDoc(): unknown {
    return {
      versions: [
        {
          id: 'v3.0',
          status: 'CURRENT',
          version: mvToString(volumeMax),
          min_version: mvToString(volumeMin),
          updated: '2022-08-31T00:00:00Z',
          links: [
            { rel: 'describedby', type: 'text/html', href: 'https://docs.openstack.org/' },
            { rel: 'self', href: `${baseUrl}/volume/v3/` },
          ],
          'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.volume+json;version=3' }],
        },
      ],
    };
  }

  function volumeLinks(id: string): unknown[] {
    return [
      { rel: 'self', href: `${baseUrl}/volume/v3/${projectId}/volumes/${id}` },
      { rel: 'bookmark', href: `${baseUrl}/volume/${projectId}/volumes/${id}` },
    ];
  }

  function volumeDetail(v: FakeVolumeState, mv: Microversion): Record<string, unknown> {
    const ge = (minor: number): boolean => mvCmp(mv, { major: 3, minor }) >= 0;
    const d: Record<string, unknown> = {
      id: v.id,
      status: v.status,
      size: v.size,
      availability_zone: 'nova',
      created_at: v.createdAt,
      updated_at: v.createdAt,
      name: v.name,
      description: null,
      volume_type: '__DEFAULT__',
      snapshot_id: null,
      source_volid: null,
      metadata: {},
      links: volumeLinks(v.id),
      user_id: userId,
      bootable: 'false',
      encrypted: false,
      replication_status: null,
      consistencygroup_id: null,
      multiattach: v.multiattach,
      attachments: v.attachments.map((a) => ({
        id: v.id,
        attachment_id: a.attachmentId,
        volume_id: v.id,
        server_id: a.serverId,
        host_name: 'fakehost',
        device: a.device,
        attached_at: a.attachedAt,
      })),
      migration_status: null,
      'os-vol-host-attr:host': 'fakehost@lvmdriver-1#lvmdriver-1',
      'os-vol-mig-status-attr:migstat': null,
      'os-vol-mig-status-attr:name_id': null,
      'os-vol-tenant-attr:tenant_id': projectId,
    };
    if (ge(48)) d['service_uuid'] = nextHexStable('cinder-volume-service');
    if (ge(48)) d['shared_targets'] = true;
    if (ge(61)) d['cluster_name'] = null;
    if (ge(63)) d['volume_type_id'] = nextHexStable('volume-type');
    if (ge(65)) d['consumes_quota'] = true;
    if (ge(69)) d['shared_targets'] = null;
    if (ge(13)) d['group_id'] = null;
    if (ge(21)) d['provider_id'] = null;
    return d;
  }

  function routeVolume(ctx: RequestCtx): Reply {
    const p = ctx.pathname.replace(/\/+$/, '');
    if (p === '/volume' && ctx.method === 'GET') {
      return json(300, volumeVersionsDoc());
    }
    if (p === '/volume/v3' && ctx.method === 'GET') {
      // Routed through keystonemiddleware in real cinder.
      if (volumeDiscoveryRequiresAuth) requireToken(ctx);
      return json(200, volumeVersionsDoc(), [
        ['OpenStack-API-Version', `volume ${mvToString(volumeVersionOf(ctx, false))}`],
        ['Vary', 'OpenStack-API-Version'],
      ]);
    }
    if (!p.startsWith('/volume/v3/')) throw new HttpError(404, 'The resource could not be found.');
    requireToken(ctx);
    const mv = volumeVersionOf(ctx, true);
    const hdrs = serviceHeaders(ctx);
    let rest = p.slice('/volume/v3/'.length).split('/');
    if (rest[0] !== 'volumes') {
      // Project-scoped URL.
      if (rest[0] !== projectId) throw new HttpError(404, 'The resource could not be found.');
      rest = rest.slice(1);
    }
    const ok = (status: number, v: unknown): Reply => json(status, v, hdrs);
    if (rest[0] !== 'volumes') throw new HttpError(404, 'The resource could not be found.');

    if (rest.length === 1 && ctx.method === 'POST') return createVolume(ctx, mv, hdrs);
    if (rest.length === 1 || (rest.length === 2 && rest[1] === 'detail')) {
      if (ctx.method !== 'GET') throw new HttpError(405, 'The method specified is not allowed for this resource.');
      const name = ctx.query.get('name');
      const status = ctx.query.get('status');
      const list = volumes.filter(
        (v) => (name === null || v.name === name) && (status === null || v.status === status),
      );
      if (rest.length === 2) return ok(200, { volumes: list.map((v) => volumeDetail(v, mv)) });
      return ok(200, { volumes: list.map((v) => ({ id: v.id, name: v.name, links: volumeLinks(v.id) })) });
    }
    const vid = rest[1] ?? '';
    if (rest.length === 2) {
      const vol = volumes.find((v) => v.id === vid);
      if (!vol) throw new HttpError(404, `Volume ${vid} could not be found.`);
      if (ctx.method === 'GET') {
        const reply = ok(200, { volume: volumeDetail(vol, mv) });
        if (vol.status === 'creating') vol.status = 'available';
        return reply;
      }
      if (ctx.method === 'DELETE') {
        if (
          vol.attachments.length > 0 ||
          !['available', 'error', 'error_restoring', 'error_extending', 'error_managing'].includes(vol.status)
        ) {
          throw new HttpError(
            400,
            `Invalid volume: Volume status must be available or error or error_restoring or error_extending or error_managing and must not be migrating, attached, belong to a group, have snapshots, awaiting a transfer, or be disassociated from snapshots after volume transfer.`,
          );
        }
        vol.status = 'deleting';
        volumes.splice(volumes.indexOf(vol), 1);
        return empty(202, hdrs);
      }
      throw new HttpError(405, 'The method specified is not allowed for this resource.');
    }
    throw new HttpError(404, 'The resource could not be found.');
  }

  function createVolume(ctx: RequestCtx, mv: Microversion, hdrs: Array<[string, string]>): Reply {
    let parsed: unknown;
    try {
      parsed = JSON.parse(ctx.body);
    } catch {
      throw new HttpError(400, 'Malformed request body');
    }
    const v = (parsed as { volume?: { size?: unknown; name?: unknown } }).volume;
    const size = typeof v?.size === 'number' ? v.size : typeof v?.size === 'string' ? Number(v.size) : NaN;
    if (!Number.isInteger(size) || size <= 0) {
      throw new HttpError(400, `Invalid input received: 'size' parameter must be an integer greater than 0.`);
    }
    const vol: FakeVolumeState = {
      id: nextId('volume'),
      name: typeof v?.name === 'string' ? v.name : null,
      size,
      status: 'creating',
      createdAt: cinderTime(new Date()),
      attachments: [],
      multiattach: false,
    };
    volumes.push(vol);
    const d = volumeDetail(vol, mv);
    d['updated_at'] = null;
    const reply = json(202, { volume: d }, hdrs);
    if (vol.name !== null && createFails.has(vol.name)) vol.status = 'error';
    return reply;
  }

  // glance ------------------------------------------------------------------------

  function routeImage(ctx: RequestCtx): Reply {
    const p = ctx.pathname.replace(/\/+$/, '');
    if ((p === '/image' || p === '/image/versions') && ctx.method === 'GET') {
      const versions = ['2.15', '2.9', '2.7', '2.6', '2.5', '2.4', '2.3', '2.2', '2.1', '2.0'].map((v, i) => ({
        id: `v${v}`,
        status: i === 0 ? 'CURRENT' : 'SUPPORTED',
        links: [{ rel: 'self', href: `${baseUrl}/image/v2/` }],
      }));
      return json(p === '/image' ? 300 : 200, { versions });
    }
    if (!p.startsWith('/image/v2/')) throw new HttpError(404, 'The resource could not be found.');
    requireToken(ctx);
    const image = {
      id: DEFAULT_IMAGE_ID,
      name: 'cirros',
      status: 'active',
      visibility: 'public',
      disk_format: 'qcow2',
      container_format: 'bare',
      size: 21430272,
      min_disk: 0,
      min_ram: 0,
      protected: false,
      owner: projectId,
      created_at: FIXED_CREATED,
      updated_at: FIXED_CREATED,
      tags: [],
      self: `/v2/images/${DEFAULT_IMAGE_ID}`,
      file: `/v2/images/${DEFAULT_IMAGE_ID}/file`,
      schema: '/v2/schemas/image',
    };
    if (p === '/image/v2/images' && ctx.method === 'GET') {
      const name = ctx.query.get('name');
      const list = name === null || name === image.name ? [image] : [];
      return json(200, { images: list, first: '/v2/images', schema: '/v2/schemas/images' });
    }
    const m = /^\/image\/v2\/images\/([^/]+)$/.exec(p);
    if (m && ctx.method === 'GET') {
      if (m[1] === image.id) return json(200, image);
      // Glance answers 404 with an HTML-ish text body.
      return {
        status: 404,
        headers: [['Content-Type', 'text/plain; charset=UTF-8']],
        body: `404 Not Found\n\nNo image found with ID ${m[1] ?? ''}\n\n   `,
      };
    }
    throw new HttpError(404, 'The resource could not be found.');
  }

  // --- start ----------------------------------------------------------------

  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    httpServer.once('error', onError);
    httpServer.listen(options.port ?? 0, '127.0.0.1', () => {
      httpServer.off('error', onError);
      resolve();
    });
  });
  const port = (httpServer.address() as AddressInfo).port;
  baseUrl = `http://127.0.0.1:${port}`;

  return {
    url: baseUrl,
    port,
    projectId,
    username,
    password,
    projectName,
    domainName,
    served,
    servers,
    volumes,
    tokensIssued,
    close: () =>
      new Promise<void>((resolve, reject) => {
        httpServer.close((err) => (err ? reject(err) : resolve()));
        httpServer.closeAllConnections();
      }),
  };
}
