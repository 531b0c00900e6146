// Request chains across services: the client's exchange → the API request with
// the same local id (nova-api) → lines of other services with that id (nova-compute
// over RPC) → requests whose *global* id is it (cinder-api, called by nova) → their
// own workers' lines (cinder-volume). Where the global id is missing (`None`),
// resource UUIDs shared at the right time link requests instead; a request line
// without any id (uwsgi) is joined by method, path and time, and a version request
// (`GET /`) by the call that follows it. Every link says which of these it used.
// Clock skew between inputs is estimated first (merge.ts) and removed from every
// time comparison.
//
// Every join is indexed (maps by request id, global id, resource UUID and method +
// path, time-sorted buckets): the stage is linear in the number of requests, not
// pairwise. Nodes keep only the few fields the join needs, not the exchanges.
import { bisector, max, min } from 'd3-array';
import type { Analysis } from '../core/analysis.js';
import type { Chain, ClockSkew } from '../model/chain-schema.js';
import { SpanLookup, SpanTable, type InputLabel, type ServiceIndex } from '../core/analysis.js';
import { normalPath, samePath } from './http.js';
import {
  CAUSALITY_TOLERANCE_MS,
  corrected,
  CausalEvidence,
  mergeByTime,
  type CausalPair,
  type ClockEstimate,
} from './merge.js';
import { timestampMs } from '../core/time.js';
import { forEachUuid } from '../core/uuid.js';
import { rotationBase } from '../core/log-names.js';
import type { Rows } from '../rows/rows.js';
import { SpillList } from '../rows/spill-list.js';
import type { ServiceEvent } from '../model/service-schema.js';

type LinkKind = Chain['links'][number]['kind'];

/**
 * The numbers of a run's nodes, by node index. Hundreds of thousands of nodes: a field costs
 * each node 8 bytes and a time a boxed double besides; a column costs 1 to 8 bytes a node.
 */
interface NodeColumns {
  /** NaN: unknown. */
  starts: Float64Array;
  ends: Float64Array;
  inputIndexes: Uint32Array;
  lines: Uint32Array;
  endLines: Uint32Array;
  /** The kind's number (NODE_KINDS) and the LINES_ENCLOSE_CALLS and TIMED_BY_CALLEE bits. */
  flags: Uint8Array;
  /** The input's name and the service, as numbers of `names` (a few inputs and services for every node). */
  sources: Uint32Array;
  services: Uint32Array;
  /** An exchange's id (NO_EXCHANGE: a span of lines), method and path (NO_NAME: null). */
  exchangeIds: Int32Array;
  methods: Uint32Array;
  paths: Uint32Array;
  names: string[];
  numberOf: Map<string, number>;
  /** A service's own calls (Exchange.caller), by node index: a few among hundreds of thousands. */
  callers: Map<number, { requestId: string | null }>;
}

const NO_EXCHANGE = -1;
const NO_NAME = 0xffffffff;

function nodeColumns(count: number): NodeColumns {
  return {
    starts: new Float64Array(count),
    ends: new Float64Array(count),
    inputIndexes: new Uint32Array(count),
    lines: new Uint32Array(count),
    endLines: new Uint32Array(count),
    flags: new Uint8Array(count),
    sources: new Uint32Array(count),
    services: new Uint32Array(count),
    exchangeIds: new Int32Array(count),
    methods: new Uint32Array(count),
    paths: new Uint32Array(count),
    names: [],
    numberOf: new Map(),
    callers: new Map(),
  };
}

function nameNumber(columns: NodeColumns, name: string | null): number {
  if (name === null) return NO_NAME;
  let n = columns.numberOf.get(name);
  if (n === undefined) {
    n = columns.names.push(name) - 1;
    columns.numberOf.set(name, n);
  }
  return n;
}

const NODE_KINDS = ['client', 'server', 'span'] as const;
const KIND_BITS = 3;
const LINES_ENCLOSE_CALLS = 4;
const TIMED_BY_CALLEE = 8;

/** What a node is made of: its fields and the numbers that go to the run's columns. */
type NodeFields = Pick<Node, keyof Node>;

/**
 * A request, a span of lines or a client's exchange, as the joins see it. Hundreds of thousands
 * on a day of service logs: numbers, and strings that repeat (input, service, method, path), live
 * in the run's columns; a node object holds only what differs from node to node.
 */
class Node {
  /** Position in the node list: ties of the joins go to the earlier node; its row in the columns. */
  readonly index: number;
  /** Written once more by `shareRequestId`: the same id read from two logs becomes one string. */
  requestId: string | null;
  readonly globalRequestId: string | null;
  readonly uuids: readonly string[];
  private readonly columns: NodeColumns;

  // Every field assigned here, in this order: one shape, all fields inside the object.
  constructor(columns: NodeColumns, f: NodeFields) {
    this.index = f.index;
    this.requestId = f.requestId;
    this.globalRequestId = f.globalRequestId;
    this.uuids = f.uuids;
    this.columns = columns;
    const at = f.index;
    columns.exchangeIds[at] = f.exchangeId ?? NO_EXCHANGE;
    columns.methods[at] = nameNumber(columns, f.method);
    columns.paths[at] = nameNumber(columns, f.path);
    if (f.caller !== undefined) columns.callers.set(at, f.caller);
    columns.sources[at] = nameNumber(columns, f.source);
    columns.services[at] = nameNumber(columns, f.service);
    columns.starts[at] = f.startMs ?? Number.NaN;
    columns.ends[at] = f.endMs ?? Number.NaN;
    columns.inputIndexes[at] = f.inputIndex;
    columns.lines[at] = f.line;
    columns.endLines[at] = f.endLine;
    columns.flags[at] =
      NODE_KINDS.indexOf(f.kind) |
      (f.linesEncloseCalls ? LINES_ENCLOSE_CALLS : 0) |
      (f.timedByCallee ? TIMED_BY_CALLEE : 0);
  }

  get source(): string {
    return this.columns.names[this.columns.sources[this.index]!]!;
  }

  get service(): string {
    return this.columns.names[this.columns.services[this.index]!]!;
  }

  /** The exchange's id, method and path (null for a span of lines). */
  get exchangeId(): number | null {
    const id = this.columns.exchangeIds[this.index]!;
    return id === NO_EXCHANGE ? null : id;
  }

  get method(): string | null {
    return this.name(this.columns.methods[this.index]!);
  }

  get path(): string | null {
    return this.name(this.columns.paths[this.index]!);
  }

  /**
   * A call a service logged of its own (Exchange.caller): the request that made it, by its own
   * id (null: the record named none), under which the call hangs in its chain.
   */
  get caller(): { requestId: string | null } | undefined {
    return this.columns.callers.get(this.index);
  }

  private name(n: number): string | null {
    return n === NO_NAME ? null : this.columns.names[n]!;
  }

  get kind(): (typeof NODE_KINDS)[number] {
    return NODE_KINDS[this.columns.flags[this.index]! & KIND_BITS]!;
  }

  get startMs(): number | null {
    return orNull(this.columns.starts[this.index]!);
  }

  get endMs(): number | null {
    return orNull(this.columns.ends[this.index]!);
  }

  get inputIndex(): number {
    return this.columns.inputIndexes[this.index]!;
  }

  get line(): number {
    return this.columns.lines[this.index]!;
  }

  /** Last line of the request in its input. */
  get endLine(): number {
    return this.columns.endLines[this.index]!;
  }

  /**
   * Its lines enclose the calls it made: an API request (its start and its requestlog line,
   * written as the response leaves) or a span with DEBUG lines. A worker logging at INFO may
   * log its first line after its calls and nothing after them: its lines bound nothing.
   */
  get linesEncloseCalls(): boolean {
    return (this.columns.flags[this.index]! & LINES_ENCLOSE_CALLS) !== 0;
  }

  /**
   * Its times are the callee's clock, not its own input's: a client exchange timed by the
   * response's `Date:` header (written by the server, whole seconds, at the response).
   */
  get timedByCallee(): boolean {
    return (this.columns.flags[this.index]! & TIMED_BY_CALLEE) !== 0;
  }
}

const orNull = (ms: number): number | null => (Number.isNaN(ms) ? null : ms);

/** Candidates the time and UUID joins looked at in the last `buildChains` (a test proves they grow linearly). */
export const chainJoinStats = { comparisons: 0 };

/** How far a time-only match may be off (uwsgi and Date headers have whole seconds). */
const TIME_MATCH_MS = 2000;
/** Slack when asking whether a moment lies inside a request's lines. */
const CONTAIN_SLACK_MS = 50;
/** Version discovery is answered and the real call sent within this (same input's clock). */
const DISCOVERY_GAP_MS = 1000;
const NO_UUIDS: readonly string[] = [];

export function buildChains(analysis: Analysis): void {
  const svc = analysis.service;
  if (!svc) return;
  // Chains cross into service logs: without any, there is nothing to link, and the
  // client exchanges (which may live on disk) are not read at all.
  if (
    svc.spans.size === 0 &&
    (analysis.serverExchangeCount ?? analysis.result.exchanges.filter((e) => e.side === 'server').length) === 0
  )
    return;
  const result = analysis.result;
  chainJoinStats.comparisons = 0;
  // The joins' indexes (by request id, global id, UUID, route, a third of the stage's memory)
  // are let go once the links are made: the chains are written from the links alone.
  const { nodeCount, parent, clocks, clock } = linkNodes(analysis, svc);
  const at = (n: Node, ms: number | null) => corrected(clocks.skewed, clock.of(n.source), ms);
  const start = (n: Node) => at(n, n.startMs);
  const end = (n: Node) => at(n, n.endMs);

  // ---- chains ------------------------------------------------------------------
  const children = new Map<Node, Node[]>();
  for (const [to, { from }] of parent) pushTo(children, from, to);
  const roots = [...children.keys()].filter((n) => !parent.has(n));
  const rootStreams = groupBy(roots, (n) => String(n.inputIndex));
  const orderedRoots = mergeByTime(
    [...rootStreams.values()].map((l) => l.sort((a, b) => a.line - b.line)),
    (n) => start(n),
  );
  // Tens of thousands of chains on a day of service logs: kept as rows that go to disk (as the
  // exchanges do), not held to the end of the run; a story reads its own by id (`at`).
  const chains = new SpillList<Chain>({ indexed: true });
  const spanStarts = new Map<string, number | null>();
  // Each node's id is made once: its links, the chain's lineServices and spanStarts share the string.
  const ids = new Array<string | undefined>(nodeCount);
  const idOf = (n: Node) => (ids[n.index] ??= nodeId(n));
  for (const root of orderedRoots) {
    const members: Node[] = [];
    const stack = [root];
    while (stack.length > 0) {
      const n = stack.pop()!;
      members.push(n);
      for (const c of children.get(n) ?? []) stack.push(c);
    }
    const streams = [
      ...groupBy(
        members.filter((m) => m !== root),
        (m) => String(m.inputIndex),
      ).values(),
    ].map((l) => l.sort((a, b) => a.line - b.line));
    const ordered = mergeByTime(streams, (n) => start(n));
    const times = members.flatMap((m) => [start(m), end(m)]).filter((t): t is number => t !== null);
    const services: string[] = [];
    for (const m of [root, ...ordered]) if (!services.includes(m.service)) services.push(m.service);
    const id = chains.length + 1;
    const rootId =
      root.kind === 'client' && root.exchangeId !== null ? root.exchangeId : (root.requestId ?? idOf(root));
    const links = asTree(
      ordered.map((m) => {
        const { from, kind } = parent.get(m)!;
        return { from: idOf(from), to: idOf(m), kind };
      }),
    );
    const spanMs = times.length > 1 ? Math.round(((max(times) ?? 0) - (min(times) ?? 0)) * 1000) / 1000 : null;
    const spans = members.filter((m) => m.kind === 'span');
    // Chains are kept to the end of the run, tens of thousands of them: their lists at their
    // exact length (a push reserves room for 16), and each made with all its fields (one set
    // afterwards would take a property store of its own in each chain).
    chains.push(
      spans.length > 0
        ? {
            id,
            root: rootId,
            links,
            services: services.slice(),
            spanMs,
            lineServices: Object.fromEntries(spans.map((m) => [idOf(m), m.service])),
          }
        : { id, root: rootId, links, services: services.slice(), spanMs },
    );
    for (const m of spans) spanStarts.set(idOf(m), m.startMs);
  }
  result.chains = chains;
  svc.chainedSpanStarts = spanStarts;
  // Step events of all inputs on the common time line (skew removed).
  result.serviceEvents = mergedEvents(result.serviceEvents, (e) =>
    corrected(clocks.skewed, clock.of(e.source), e.timestamp ? timestampMs(e.timestamp, analysis.yearBasis) : null),
  );
}

/**
 * The events of every input merged by time, each input's in its own order. Tens of thousands
 * on a day of logs, most of them on disk: the merge orders their places (a number and a time
 * each), then the events are copied in that order, read one at a time.
 */
function mergedEvents(events: Rows<ServiceEvent>, timeOf: (e: ServiceEvent) => number | null): Rows<ServiceEvent> {
  const streamOf = new Map<string, number>();
  const streams: number[][] = [];
  const times = new Float64Array(events.length);
  let at = 0;
  for (const e of events) {
    let s = streamOf.get(e.source);
    if (s === undefined) {
      s = streams.push([]) - 1;
      streamOf.set(e.source, s);
    }
    streams[s]!.push(at);
    times[at++] = timeOf(e) ?? Number.NaN;
  }
  const order = mergeByTime(streams, (i) => (Number.isNaN(times[i]!) ? null : times[i]!));
  if (order.every((place, i) => place === i)) return events;
  const merged = new SpillList<ServiceEvent>({ indexed: true });
  for (const place of order) merged.push(events.at(place)!);
  if (events instanceof SpillList) events.dispose();
  return merged;
}

/** The run's nodes linked each to its parent (the clock skews found on the way go to the result). */
function linkNodes(
  analysis: Analysis,
  svc: ServiceIndex,
): {
  nodeCount: number;
  parent: Map<Node, { from: Node; kind: LinkKind }>;
  clocks: ClockEstimate;
  clock: ReturnType<typeof hostClocks>;
} {
  const result = analysis.result;
  const inputIndex = (source: string) => svc.inputIndex.get(source) ?? 0;
  // The spans and server times were kept for the nodes alone: nodesOf lets them go.
  const nodes = nodesOf(analysis, svc, inputIndex);
  // One copy of each request id: read from two logs (nova-api's and nova-compute's lines of one
  // request) it was two strings, a fifth of the nodes' memory on older nova logs.
  const byRequest = new NodeGroups(
    nodes,
    (n) => (n.kind !== 'client' ? n.requestId : null),
    (n, key) => void (n.requestId = key),
  );
  const byGlobal = new NodeGroups(nodes, (n) =>
    n.kind !== 'client' && n.globalRequestId !== n.requestId ? n.globalRequestId : null,
  );
  const clientByRequest = new NodeGroups(nodes, (n) => (n.kind === 'client' ? n.requestId : null));

  // ---- clocks ------------------------------------------------------------------
  // Twice: the calls a request made are assigned to its API or worker lines by
  // time, so they bound the clocks only once a first estimate is there.
  // With --same-clock every input shares one clock: nothing to estimate, no skew.
  // A global id the client itself sent (cinderclient sends its first call's request id as the
  // global id of the next ones) makes no caller of the request that has it as its own id: that
  // request had ended, the later ones with the id are the client's and their callees'.
  const clientSent = new Set(
    nodes.filter((n) => n.kind === 'client' && n.globalRequestId).map((n) => n.globalRequestId),
  );
  const calledBy: NodeLookup = { get: (id) => (clientSent.has(id) ? undefined : byGlobal.get(id)) };
  // Inputs whose records name one host (journald exports of one machine's services) share its clock.
  const clock = hostClocks(svc.inputs);
  // Causal pairs are folded as they are found (merge.ts): a day of logs gives hundreds of thousands.
  const evidence = new CausalEvidence();
  const found = (p: CausalPair) => evidence.add(clock.onClock(p));
  if (!analysis.sameClock) causalPairs(byRequest, calledBy, clientByRequest, found);
  const first = evidence.estimate();
  if (!analysis.sameClock)
    callPairs(byRequest, calledBy, (n, ms) => corrected(first.skewed, clock.of(n.source), ms), found);
  const clocks = evidence.estimate();
  result.clockSkews = clocks.skews.map(clock.inInputs);
  const at = (n: Node, ms: number | null) => corrected(clocks.skewed, clock.of(n.source), ms);
  const start = (n: Node) => at(n, n.startMs);
  const end = (n: Node) => at(n, n.endMs);

  // ---- links -------------------------------------------------------------------
  const parent = new Map<Node, { from: Node; kind: LinkKind }>();
  const link = (from: Node, to: Node, kind: LinkKind) => {
    if (from === to || parent.has(to) || isAncestor(parent, to, from)) return;
    parent.set(to, { from, kind });
  };
  const apiOf = (req: string) => (byRequest.get(req) ?? []).filter((n) => n.kind === 'server');
  const workersOf = (req: string) => (byRequest.get(req) ?? []).filter((n) => n.kind === 'span');

  /** Link a request's own nodes under `entryParent`, then the requests that carry its global id. */
  const expand = (req: string, entryParent: Node | null, entryKind: LinkKind) => {
    let api = apiOf(req);
    // nova's requestlog may log a version request under a stale context of the
    // worker thread (reference §B6): the client's own request is the one that fits.
    const sent = entryParent?.exchangeId !== null ? entryParent : null;
    if (sent && api.length > 1) {
      const fits = api.filter((a) => a.method === sent.method && samePath(a.path, sent.path));
      if (fits.length > 0) api = fits;
    }
    const workers = workersOf(req);
    const head = api[0] ?? workers[0];
    if (!head) return;
    if (entryParent) for (const a of api.length > 0 ? api : [head]) link(entryParent, a, entryKind);
    for (const w of workers) if (w !== head) link(head, w, entryParent && api.length === 0 ? entryKind : 'request-id');
    // A service's call reached a request that carries the caller's global id: the requests with
    // that id are the caller's other calls, its siblings, not calls it made.
    if (entryParent?.caller && head.globalRequestId && head.globalRequestId !== req) return;
    const global = head.globalRequestId ?? req;
    const children = groupBy(
      (byGlobal.get(global) ?? []).filter((n) => n.requestId !== req),
      (n) => n.requestId ?? '',
    );
    const ownNodes = [...api, ...workers];
    for (const childNodes of children.values()) {
      const childHead = childNodes.find((n) => n.kind === 'server') ?? childNodes[0]!;
      const from = callerOf(childHead, api, workers, start, end) ?? head;
      if (!ownNodes.includes(from)) continue;
      const childApi = childNodes.filter((n) => n.kind === 'server');
      for (const a of childApi.length > 0 ? childApi : [childHead]) link(from, a, 'global-request-id');
      for (const w of childNodes)
        if (w.kind === 'span' && w !== childHead)
          link(childHead, w, childApi.length > 0 ? 'request-id' : 'global-request-id');
    }
  };

  // 1. client exchanges → the request with their id. A service's own calls first: the request
  // it called is that call's, not a child of the caller's request by its global id.
  for (const callers of [true, false])
    for (const [req, clients] of clientByRequest) {
      if (!byRequest.has(req)) continue;
      for (const c of clients) if ((c.caller !== undefined) === callers) expand(req, c, 'request-id');
    }
  // 2. requests no client log shows: roots of their own
  for (const req of byRequest.keys()) {
    const head = apiOf(req)[0] ?? workersOf(req)[0]!;
    if (parent.has(head) || clientByRequest.has(req)) continue;
    const g = head.globalRequestId;
    if (g && g !== req && byRequest.has(g)) continue; // reached from its global id's request
    expand(req, null, 'request-id');
  }
  // 2b. a service's own calls hang under the request that made them: its lines in the caller's
  // log around the call, else its first node there, else its API.
  for (const c of nodes) {
    const req = c.caller?.requestId;
    if (!req || parent.has(c)) continue;
    const own = byRequest.get(req);
    if (!own) continue;
    const here = own.filter((n) => n.source === c.source);
    const from = here.find((n) => n.line <= c.line && c.line <= n.endLine) ?? here[0] ?? apiOf(req)[0] ?? own[0]!;
    link(from, c, 'request-id');
  }
  // 3. lines without any request id (uwsgi), and client exchanges without a server id: method, path and time.
  // Before the UUID fallback: a request the client itself sent is the client's.
  // Server requests by method and normalized path, each bucket in time order.
  const byRoute = new Map<string, Timed[]>();
  for (const s of nodes) {
    if (s.kind !== 'server' || s.path === null || s.startMs === null) continue;
    pushTo(byRoute, routeKey(s.method, s.path), { node: s, ms: start(s)! });
  }
  for (const list of byRoute.values()) list.sort(byTimeThenIndex);
  for (const c of nodes) {
    if (c.kind !== 'client' || c.startMs === null) continue;
    if (c.requestId && byRequest.has(c.requestId)) continue;
    const cs = start(c)!;
    const list = c.path === null ? undefined : byRoute.get(routeKey(c.method, c.path));
    if (!list) continue;
    let best: Node | null = null;
    let bestGap = Number.POSITIVE_INFINITY;
    for (let i = timedAtOrAfter(list, cs - TIME_MATCH_MS - 1); i < list.length; i++) {
      const { node: s, ms } = list[i]!;
      if (ms > cs + TIME_MATCH_MS + 1) break;
      chainJoinStats.comparisons++;
      if (parent.has(s)) continue;
      const gap = Math.abs(ms - cs);
      if (gap <= TIME_MATCH_MS && (gap < bestGap || (gap === bestGap && s.index < best!.index))) {
        best = s;
        bestGap = gap;
      }
    }
    if (best) link(c, best, 'time');
  }
  // Each join's index is let go when its step is done: the next one builds its own.
  byRoute.clear();
  // 4. no global id: a request that shares resource UUIDs with one running at that moment.
  // Nodes by the UUIDs they carry, each bucket in start order with the widest span
  // and the latest end so far, so only those that can contain a moment are looked at.
  const uuidBuckets = new UuidBuckets(nodes, start, end);
  for (const [req, own] of byRequest) {
    const head = own.find((n) => n.kind === 'server');
    if (!head || parent.has(head) || clientByRequest.has(req) || head.uuids.length === 0) continue;
    if (head.globalRequestId && head.globalRequestId !== req && byRequest.has(head.globalRequestId)) continue;
    const s = start(head);
    if (s === null) continue;
    const project = projectOf(head.service);
    let best: Node | null = null;
    let bestWidth = Number.POSITIVE_INFINITY;
    for (const u of head.uuids) {
      const bucket = uuidBuckets.get(u);
      if (!bucket) continue;
      const { from, to, widest } = bucket;
      const { members, starts, ends, latestEnd } = uuidBuckets;
      // those starting (with slack) by s, latest first, back to where none can still be open at s
      for (let i = firstAtLeast(starts, from, to, s + CONTAIN_SLACK_MS + 1) - 1; i >= from; i--) {
        const cand = nodes[members[i]!]!;
        const cs = starts[i]!;
        const ce = ends[i]!;
        if (latestEnd[i]! < s - CONTAIN_SLACK_MS - 1 || cs < s - CONTAIN_SLACK_MS - widest - 1) break;
        chainJoinStats.comparisons++;
        // A service does not call its own project's API over HTTP: cinder-volume lines
        // of a concurrent cinder request on the same volume belong to that request.
        if (cand.requestId === req || projectOf(cand.service) === project) continue;
        if (s < cs - CONTAIN_SLACK_MS || s > ce + CONTAIN_SLACK_MS) continue;
        const width = ce - cs;
        if (width < bestWidth || (width === bestWidth && cand.index < best!.index)) {
          best = cand;
          bestWidth = width;
        }
      }
    }
    if (best) {
      link(best, head, 'resource-uuid');
      for (const w of workersOf(req)) link(head, w, 'request-id');
    }
  }
  uuidBuckets.clear();
  // 5. version discovery (`GET /`, `GET /v3/`: no global id, no UUIDs) that a
  // service's client library sends just before its real call: it belongs to
  // whoever made the call that follows it in that API's log, when only one did.
  // by input and service: one stream of several services (a journal of many units) is several logs here
  const serverByInput = groupBy(
    nodes.filter((n) => n.kind === 'server' && n.startMs !== null),
    (n) => `${n.source}\u0000${n.service}`,
  );
  for (const list of serverByInput.values()) list.sort((x, y) => x.startMs! - y.startMs!);
  for (const d of nodes) {
    if (d.kind !== 'server' || parent.has(d) || d.method !== 'GET' || !isVersionPath(d.path)) continue;
    if (d.globalRequestId && d.globalRequestId !== d.requestId) continue;
    const dEnd = d.endMs ?? d.startMs;
    if (dEnd === null) continue;
    const callers = new Set<string>();
    let next: Node | null = null;
    const sameInput = serverByInput.get(`${d.source}\u0000${d.service}`) ?? [];
    for (let i = firstAtOrAfter(sameInput, d.startMs ?? dEnd); i < sameInput.length; i++) {
      const f = sameInput[i]!;
      if (f.startMs! > dEnd + DISCOVERY_GAP_MS) break;
      if (f === d || f.line < d.line) continue;
      const via = parent.get(f);
      if (!via || via.kind === 'request-id' || via.kind === 'time') continue; // a client's own request, not a service's call
      const caller = via.from;
      callers.add(caller.requestId ?? nodeId(caller));
      // the call right after it (the list is in time order): its caller, API or worker, is the one that asked
      next ??= caller;
    }
    if (callers.size === 1 && next) link(next, d, 'time');
  }

  return { nodeCount: nodes.length, parent, clocks, clock };
}

/** A node for every exchange, and for each request span that answered no API call. */
function nodesOf(analysis: Analysis, svc: ServiceIndex, inputIndex: (source: string) => number): Node[] {
  const result = analysis.result;
  let spanOf: SpanLookup | null = new SpanLookup(svc.spans);
  // Rows read back from disk are fresh copies: a node keeps one copy of its input's name,
  // service and path (a busy API's paths repeat: `…/servers/detail`).
  const one = shared();

  // ---- nodes -------------------------------------------------------------------
  const nodes: Node[] = [];
  // a node per exchange and per span that answered no call (that span's exchange is its node):
  // the columns made at their size, not cut to it (a copy of tens of MB next to the first)
  const columns = nodeColumns(result.exchanges.length + svc.spans.unanswered);
  for (const e of result.exchanges) {
    if (e.side === 'client') {
      const start = e.startedAt && (e.timing === 'log' || e.timing === 'date-header') ? timestampMs(e.startedAt) : null;
      nodes.push(
        new Node(columns, {
          index: nodes.length,
          kind: 'client',
          source: one(e.source),
          inputIndex: inputIndex(e.source),
          line: e.line,
          endLine: e.endLine,
          service: e.caller ? one(e.caller.service ?? 'unknown') : 'client',
          requestId: e.requestId,
          globalRequestId: e.globalRequestId,
          startMs: start,
          endMs: start !== null && e.durationMs !== null ? start + e.durationMs : null,
          // only service-side requests are joined by the resources they name
          uuids: NO_UUIDS,
          exchangeId: e.id,
          method: one(e.method),
          path: one(e.path),
          linesEncloseCalls: true,
          timedByCallee: e.timing === 'date-header',
          caller: e.caller ? { requestId: e.caller.requestId } : undefined,
        }),
      );
      continue;
    }
    const t = svc.serverTimes.get(e.id);
    // a draft without a service is `unknown`'s (analyze.ts)
    const service = e.service ?? 'unknown';
    const spanAt = e.requestId ? spanOf!.get(e.source, service, e.requestId) : undefined;
    const span = spanAt === undefined ? undefined : svc.spans.row(spanAt);
    // The span's copies of its ids and UUIDs (shared by the collector), not the row's: a node
    // holds no string of its own that would also keep its decoded row's path alive.
    const uuids = new Set<string>();
    if (e.path) forEachUuid(e.path, (u) => void uuids.add(uuidCopy(u)));
    for (const u of span?.uuids ?? []) uuids.add(u);
    // The path's UUIDs are most often among its lines': then the span's list (one copy for
    // alike spans) serves. The joins look a node's UUIDs up one by one, in no needed order.
    const sameAsSpan = span !== undefined && uuids.size === span.uuids.length;
    nodes.push(
      new Node(columns, {
        index: nodes.length,
        kind: 'server',
        source: one(e.source),
        inputIndex: inputIndex(e.source),
        line: e.line,
        endLine: e.endLine,
        service: one(service),
        requestId: span?.requestId === e.requestId ? span.requestId : e.requestId,
        globalRequestId: span?.globalRequestId === e.globalRequestId ? span.globalRequestId : e.globalRequestId,
        startMs: t?.startMs ?? null,
        endMs: t?.endMs ?? null,
        uuids: uuids.size === 0 ? NO_UUIDS : sameAsSpan ? span.uuids : [...uuids],
        exchangeId: e.id,
        method: one(e.method),
        path: one(e.path),
        linesEncloseCalls: true,
        timedByCallee: false,
        caller: undefined,
      }),
    );
  }
  // The lookup and server times are done with; the spans are, once their nodes are made
  // (the nodes take their strings and UUID lists).
  // eslint-disable-next-line no-useless-assignment -- the variable is done with; its lookup is let go here
  spanOf = null;
  svc.serverTimes.clear();
  const spans = svc.spans;
  svc.spans = new SpanTable();
  for (let at = 0; at < spans.size; at++) {
    const s = spans.row(at);
    if (s.answersCall) continue;
    nodes.push(
      new Node(columns, {
        index: nodes.length,
        kind: 'span',
        source: s.source,
        inputIndex: s.inputIndex,
        line: s.firstLine,
        endLine: s.lastLine,
        service: s.service,
        requestId: s.requestId,
        globalRequestId: s.globalRequestId,
        startMs: s.firstMs,
        endMs: s.lastMs,
        uuids: s.uuids,
        exchangeId: null,
        method: null,
        path: null,
        linesEncloseCalls: s.debug,
        timedByCallee: false,
        caller: undefined,
      }),
    );
  }
  if (nodes.length !== columns.flags.length)
    throw new Error(`chains: ${nodes.length} nodes for ${columns.flags.length} rows`);
  return nodes;
}

/**
 * Which of a request's nodes made a call that started at `child`'s start: while
 * the API request is still open it is the API service (or a worker that is
 * inside its lines); after the API has answered, only a worker still holds the id.
 */
function callerOf(
  child: Node,
  api: Node[],
  workers: Node[],
  start: (n: Node) => number | null,
  end: (n: Node) => number | null,
): Node | null {
  const s = start(child);
  if (s === null) return api[0] ?? workers[0] ?? null;
  const a = api[0];
  const aEnd = a ? end(a) : null;
  // the requestlog line is written as the response leaves: no slack after it
  if (a && (aEnd === null || s <= aEnd)) return a;
  let best: Node | null = null;
  for (const w of workers) {
    const ws = start(w);
    const we = end(w);
    if (ws === null || ws > s + CONTAIN_SLACK_MS) continue;
    if (we !== null && s <= we + CONTAIN_SLACK_MS) return w;
    if (!best || (start(best) ?? 0) < ws) best = w;
  }
  if (best) return best;
  // After the API answered only a worker holds the id, even if its clock puts all
  // of its lines after the call: the first of them.
  if (a && aEnd !== null) {
    let first: Node | null = null;
    for (const w of workers)
      if (w.source !== a.source && (start(w) ?? Infinity) < (first ? (start(first) ?? Infinity) : Infinity)) first = w;
    if (first) return first;
  }
  return a ?? null;
}

/**
 * The clock of each input: its own, or its host's when several inputs name the same one host
 * in their records (journald's `host ident[pid]:`). Causal pairs are put on clocks, and a
 * skew found for a host's clock is told for the inputs that share it.
 */
function hostClocks(inputs: readonly InputLabel[]): {
  of: (source: string) => string;
  onClock: (pair: CausalPair) => CausalPair;
  inInputs: (skew: ClockSkew) => ClockSkew;
} {
  // One host's logs share its clock: the records name the host (journald, syslog), or the
  // files are one log and its logrotate rotations (`nova-api.log`, `nova-api.log.1`, `….2.gz`).
  const byHost = new Map<string, string[]>();
  for (const i of inputs) {
    const rotated = rotationBase(i.source);
    if (i.host) pushTo(byHost, `\u0000host ${i.host}`, i.source);
    else if (rotated !== null) pushTo(byHost, `\u0000log ${rotated}`, i.source);
  }
  const clockOf = new Map<string, string>();
  const members = new Map<string, string[]>();
  for (const [clock, sources] of byHost) {
    if (sources.length < 2) continue;
    members.set(clock, sources);
    for (const s of sources) clockOf.set(s, clock);
  }
  const of = (source: string) => clockOf.get(source) ?? source;
  const inputsOf = (clock: string) => members.get(clock) ?? [clock];
  return {
    of,
    onClock: (p) =>
      members.size === 0
        ? p
        : {
            ...p,
            earlier: { ...p.earlier, source: of(p.earlier.source), input: p.earlier.source },
            later: { ...p.later, source: of(p.later.source), input: p.later.source },
          },
    inInputs: (skew) => (members.size === 0 ? skew : { ...skew, inputs: [...new Set(skew.inputs.flatMap(inputsOf))] }),
  };
}

/** Pairs of lines whose order causality fixes, whatever the clocks say. */
function causalPairs(
  byRequest: NodeGroups,
  byGlobal: NodeLookup,
  clientByRequest: NodeLookup,
  found: (pair: CausalPair) => void,
): void {
  const point = (n: Node, ms: number) => ({ source: n.source, ms, line: n.line });
  for (const [req, own] of byRequest) {
    const api = apiOf(own);
    for (const c of clientByRequest.get(req) ?? []) {
      // A time read from the server's Date header says nothing of the client's clock.
      if (!api || c.startMs === null || c.timedByCallee === true) continue;
      found({
        earlier: point(c, c.startMs),
        later: point(api, api.startMs!),
        why: `the client sent request ${req}`,
      });
      if (c.endMs !== null && api.endMs !== null)
        found({
          earlier: point(api, api.endMs),
          later: point(c, c.endMs),
          why: `the server answered request ${req}`,
        });
    }
    if (!api) continue;
    // A worker of another service (an RPC call or cast carries the request id) cannot
    // start before the API did. Nothing bounds it from above: a cast is worked on
    // after the API answered, and a worker's first line may come at any point of
    // its work (the API's requestlog line is written at its end), so a late worker
    // line is no evidence of a clock running ahead.
    for (const w of own) {
      if (w.kind === 'span' && w.source !== api.source && w.startMs !== null) {
        found({
          earlier: point(api, api.startMs!),
          later: point(w, w.startMs),
          why: `request ${req} was passed on by ${api.service}`,
        });
      }
    }
    // A synchronous callee answers while the caller waits: its line lies inside the
    // caller's request window (the requestlog line is written as the response leaves).
    const until = api.endMs !== null ? { ms: api.endMs, line: api.endLine, slackMs: CAUSALITY_TOLERANCE_MS } : null;
    // Without workers elsewhere only the API can have made the calls, while it was open.
    const apiAlone = !own.some((w) => w.kind === 'span' && w.source !== api.source);
    // Requests carrying this one's id as their global id were called by it; when it
    // carries another's global id itself, those are its siblings.
    if (api.globalRequestId && api.globalRequestId !== req) continue;
    for (const child of byGlobal.get(req) ?? []) {
      if (
        child.requestId === req ||
        child.source === api.source ||
        child.startMs === null ||
        workerOfCalled(child, byRequest)
      )
        continue;
      found({
        earlier: point(api, api.startMs!),
        later: point(child, child.startMs),
        until: apiAlone && child.kind === 'server' ? until : null,
        why: `request ${child.requestId} carries global id ${req}`,
      });
    }
  }
}

/**
 * A request's API: the server that took it first. A service that logs its caller's id as
 * its own (glance, called by nova with nova's id) is a callee, whatever the input order.
 */
function apiOf(own: readonly Node[]): Node | undefined {
  let api: Node | undefined;
  for (const n of own)
    if (n.kind === 'server' && n.startMs !== null && (api === undefined || n.startMs < api.startMs!)) api = n;
  return api;
}

/**
 * Calls a request made (requests carrying its id as global id) lie inside the
 * lines of whichever of its nodes made them: the API while it is open, else the
 * worker still holding the id. `at` gives times on the first estimate's clock.
 */
function callPairs(
  byRequest: NodeGroups,
  byGlobal: NodeLookup,
  at: (n: Node, ms: number | null) => number | null,
  found: (pair: CausalPair) => void,
): void {
  const start = (n: Node) => at(n, n.startMs);
  const end = (n: Node) => at(n, n.endMs);
  for (const [req, own] of byRequest) {
    const entry = apiOf(own);
    const api = own.filter((n) => n.kind === 'server' && (entry === undefined || n.source === entry.source));
    const workers = own.filter((n) => n.kind === 'span');
    const head = api[0] ?? workers[0]!;
    if (head.globalRequestId && head.globalRequestId !== req) continue;
    for (const child of byGlobal.get(req) ?? []) {
      if (child.requestId === req || child.startMs === null || workerOfCalled(child, byRequest)) continue;
      const caller = callerOf(child, api, workers, start, end);
      if (
        !caller ||
        !caller.linesEncloseCalls ||
        caller.source === child.source ||
        caller.startMs === null ||
        caller.endMs === null
      )
        continue;
      // Only an HTTP call (a server node) is answered while the caller waits, so it
      // lies inside the caller's lines; work a cast started (a span) may go on after.
      const sync = child.kind === 'server';
      found({
        earlier: { source: caller.source, ms: caller.startMs, line: caller.line },
        later: { source: child.source, ms: child.startMs, line: child.line },
        until: sync ? { ms: caller.endMs, line: caller.endLine, slackMs: CAUSALITY_TOLERANCE_MS } : null,
        why: `${caller.service} made request ${child.requestId} while handling ${req}`,
      });
    }
  }
}

/**
 * A node's id in the chains: `x<exchange id>`, or `line:<input>:<first line>` for a span of
 * lines. Made when a chain is written, not held by each of the run's nodes.
 */
function nodeId(n: Node): string {
  // join makes one flat string; a template literal makes a rope of pieces (twice the memory)
  return n.exchangeId !== null ? `x${n.exchangeId}` : ['line', n.source, n.line].join(':');
}

/**
 * The links as written, a tree by node id. Two spans can start on one line (a paste that joined
 * two records) and so share an id: a link between them, one giving an id a second parent, or one
 * that would close a loop is left out, so every reader can walk up from a node and stop.
 */
function asTree(links: Array<Chain['links'][number]>): Chain['links'] {
  const parentOf = new Map<string, string>();
  const out: Chain['links'] = [];
  for (const l of links) {
    if (l.from === l.to || parentOf.has(l.to)) continue;
    let up: string | undefined = l.from;
    while (up !== undefined && up !== l.to) up = parentOf.get(up);
    if (up === l.to) continue;
    parentOf.set(l.to, l.from);
    out.push(l);
  }
  // kept to the end of the run: at its exact length (a push reserves room for 16)
  return out.slice();
}

/** A node at a time on the common clock (and its end, in the UUID index). */
interface Timed {
  node: Node;
  ms: number;
  end?: number;
}

/**
 * The nodes that carry each resource UUID (step 4's index), as ranges of columns shared by
 * all UUIDs: a bucket's nodes in start order (ties: node order), with their start, end and
 * the latest end so far. An object with two boxed times per node and lists per UUID cost
 * three times as much, at the chains stage's peak.
 */
class UuidBuckets {
  private readonly bucketOf = new Map<string, { from: number; to: number; widest: number }>();
  members: Int32Array;
  starts: Float64Array;
  ends: Float64Array;
  /** latestEnd[i]: the latest end among the bucket's entries up to i. */
  latestEnd: Float64Array;

  constructor(nodes: readonly Node[], start: (n: Node) => number | null, end: (n: Node) => number | null) {
    const byUuid = new Map<string, number[]>();
    let total = 0;
    for (const n of nodes) {
      if (n.kind === 'client' || n.startMs === null || n.endMs === null) continue;
      for (const u of n.uuids) pushTo(byUuid, u, n.index);
      total += n.uuids.length;
    }
    this.members = new Int32Array(total);
    this.starts = new Float64Array(total);
    this.ends = new Float64Array(total);
    this.latestEnd = new Float64Array(total);
    let at = 0;
    for (const [u, indexes] of byUuid) {
      byUuid.delete(u);
      const list: Timed[] = indexes.map((i) => ({ node: nodes[i]!, ms: start(nodes[i]!)!, end: end(nodes[i]!)! }));
      list.sort(byTimeThenIndex);
      const from = at;
      let widest = 0;
      let latest = Number.NEGATIVE_INFINITY;
      for (const t of list) {
        widest = Math.max(widest, t.end! - t.ms);
        latest = Math.max(latest, t.end!);
        this.members[at] = t.node.index;
        this.starts[at] = t.ms;
        this.ends[at] = t.end!;
        this.latestEnd[at] = latest;
        at++;
      }
      this.bucketOf.set(u, { from, to: at, widest });
    }
  }

  get(uuid: string): { from: number; to: number; widest: number } | undefined {
    return this.bucketOf.get(uuid);
  }

  /** Step 4 is done: the index is let go. */
  clear(): void {
    this.bucketOf.clear();
    this.members = new Int32Array(0);
    this.starts = this.ends = this.latestEnd = new Float64Array(0);
  }
}

/** The first index in [from, to) whose value is at least `x` (the values ascend there), else `to`. */
function firstAtLeast(values: Float64Array, from: number, to: number, x: number): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const byTimeThenIndex = (a: Timed, b: Timed) => a.ms - b.ms || a.node.index - b.node.index;
const byTimed = bisector((t: Timed) => t.ms);
const timedAtOrAfter = (list: Timed[], ms: number): number => byTimed.left(list, ms);

const routeKey = (method: string | null, path: string) => `${method ?? ''}\u0000${normalPath(path)}`;

function pushTo<K, T>(map: Map<K, T[]>, key: K, item: T): void {
  const list = map.get(key);
  if (list) list.push(item);
  else map.set(key, [item]);
}

/** What the joins need of an exchange: not its headers and bodies. */
type Shared = <T extends string | null>(s: T) => T;

/** One copy of each recurring string (bounded: forgotten when it grows large). */
function shared(): Shared {
  const copies = new Map<string, string>();
  return <T extends string | null>(s: T): T => {
    if (s === null) return s;
    const had = copies.get(s);
    if (had !== undefined) return had as T;
    if (copies.size >= 10_000) copies.clear();
    copies.set(s, s);
    return s;
  };
}

/** First index of `list` (sorted by startMs) starting at or after `ms`. */
const byStart = bisector((n: Node) => n.startMs!);
const firstAtOrAfter = (list: Node[], ms: number): number => byStart.left(list, ms);

/** `nova-compute` → `nova`: services of one project share a code base and a database, not HTTP calls. */
function projectOf(service: string): string {
  const dash = service.indexOf('-');
  return dash > 0 ? service.slice(0, dash) : service;
}

/** `/`, `/v3/`, `/v2.1`, devstack's `/volume/`: a version document, not a resource. */
function isVersionPath(path: string | null): boolean {
  if (path === null) return false;
  const q = path.indexOf('?');
  const segments = (q >= 0 ? path.slice(0, q) : path).split('/');
  return segments.every((seg) => seg === '' || VERSION_SEGMENT.test(seg) || DEVSTACK_PREFIXES.has(seg));
}
const VERSION_SEGMENT = /^v\d+(\.\d+)?$/;
const DEVSTACK_PREFIXES = new Set(['compute', 'volume', 'identity', 'image', 'placement', 'network']);

/** A worker's lines of a called request that has API lines too: that request is the call, not these. */
function workerOfCalled(n: Node, byRequest: NodeLookup): boolean {
  return n.kind === 'span' && (byRequest.get(n.requestId ?? '') ?? []).some((m) => m.kind === 'server');
}

/** One flat copy of each UUID a path names (a slice would keep its whole path alive); bounded. */
const uuidCopies = new Map<string, string>();
function uuidCopy(uuid: string): string {
  const had = uuidCopies.get(uuid);
  if (had !== undefined) return had;
  if (uuidCopies.size >= 50_000) uuidCopies.clear();
  // Built from its characters: a new string, not a view into the path it was cut from.
  const copy = String.fromCharCode(...Array.from(uuid, (c) => c.charCodeAt(0)));
  uuidCopies.set(copy, copy);
  return copy;
}

/** Nodes by a key: a group's nodes in node order, a new array on each call. */
interface NodeLookup {
  get(key: string): Node[] | undefined;
}

/**
 * The run's nodes grouped by a key (request id, global id), as index ranges: the members of all
 * groups in one Int32Array sorted by key, each group's in node order, found by binary search; the
 * groups are gone through in the order their keys first appear (as a Map of arrays would hold
 * them). Hundreds of thousands of groups of one to three nodes: a Map of their keys cost 7 MB
 * on 200 MB of older nova logs, these arrays 12 bytes a node.
 */
class NodeGroups implements NodeLookup {
  /** Node numbers, by key, then node order. */
  private readonly members: Int32Array;
  /** Group g (in key order) is members[firsts[g]] up to members[firsts[g + 1]]. */
  private readonly firsts: Int32Array;
  /** Group numbers in the order their keys first appear. */
  private readonly order: Int32Array;

  /**
   * `keyOf` null or empty: the node is in no group. `share`: given each later node of a group the
   * key string of its first (an equal string, maybe another copy), to keep instead of its own.
   */
  constructor(
    private readonly nodes: readonly Node[],
    private readonly keyOf: (n: Node) => string | null,
    share?: (n: Node, key: string) => void,
  ) {
    const keys = new Array<string | null>(nodes.length);
    let keyed = 0;
    for (const n of nodes) if ((keys[n.index] = keyOf(n) || null) !== null) keyed++;
    const members = new Int32Array(keyed);
    let at = 0;
    for (let i = 0; i < nodes.length; i++) if (keys[i] !== null) members[at++] = i;
    members.sort((x, y) => {
      const kx = keys[x]!;
      const ky = keys[y]!;
      return kx < ky ? -1 : kx > ky ? 1 : x - y;
    });
    const firsts: number[] = [];
    for (let m = 0; m < members.length; m++) {
      const key = keys[members[m]!]!;
      if (m === 0 || key !== keys[members[m - 1]!]) firsts.push(m);
      // equal strings compare equal: which copy a node holds is not seen
      else if (share) share(nodes[members[m]!]!, keys[members[firsts[firsts.length - 1]!]!]!);
    }
    firsts.push(members.length);
    this.members = members;
    this.firsts = Int32Array.from(firsts);
    // A group's first member is its earliest node: groups in that order are in first-appearance order.
    this.order = Int32Array.from({ length: firsts.length - 1 }, (_, g) => g).sort(
      (g, h) => members[firsts[g]!]! - members[firsts[h]!]!,
    );
  }

  has(key: string): boolean {
    return this.find(key) >= 0;
  }

  get(key: string): Node[] | undefined {
    const g = this.find(key);
    return g < 0 ? undefined : this.group(g);
  }

  *keys(): Generator<string> {
    for (const g of this.order) yield this.keyOfGroup(g);
  }

  *[Symbol.iterator](): Generator<[string, Node[]]> {
    for (const g of this.order) yield [this.keyOfGroup(g), this.group(g)];
  }

  /** The group of `key` (in key order), or -1. */
  private find(key: string): number {
    let lo = 0;
    let hi = this.firsts.length - 2;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const k = this.keyOfGroup(mid);
      if (k === key) return mid;
      if (k < key) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  private keyOfGroup(g: number): string {
    return this.keyOf(this.nodes[this.members[this.firsts[g]!]!]!)!;
  }

  private group(g: number): Node[] {
    const out: Node[] = [];
    for (let at = this.firsts[g]!; at < this.firsts[g + 1]!; at++) out.push(this.nodes[this.members[at]!]!);
    return out;
  }
}

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  // A grown array keeps room for 17 or more: most groups (a request's API and worker lines)
  // hold two or three of the run's hundreds of thousands of nodes, so they are copied to size.
  for (const [k, list] of out) if (list.length > 1) out.set(k, list.slice());
  return out;
}

function isAncestor(parent: Map<Node, { from: Node }>, candidate: Node, of: Node): boolean {
  let cur: Node | undefined = of;
  for (let guard = 0; cur !== undefined && guard < 10000; guard++) {
    if (cur === candidate) return true;
    cur = parent.get(cur)?.from;
  }
  return false;
}
