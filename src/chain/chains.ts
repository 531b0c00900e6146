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
import { max, min } from 'd3-array';
import type { Analysis } from '../core/analysis.js';
import type { Chain, ClockSkew } from '../model/chain-schema.js';
import { SpanTable, type InputLabel, type ServiceIndex, type SpanColumn } from '../core/analysis.js';
import { normalPath, samePath } from './http.js';
import {
  CAUSALITY_TOLERANCE_MS,
  corrected,
  CausalEvidence,
  forEachByTime,
  mergeByTime,
  type CausalPair,
  type ClockEstimate,
} from './merge.js';
import { timestampMs } from '../core/time.js';
import { forEachUuid } from '../core/uuid.js';
import { rotationBase } from '../core/log-names.js';
import { NO_REQUEST_ID, type RequestIds } from '../core/request-ids.js';
import { UuidLists } from '../core/uuid-lists.js';
import { LogKeys } from '../core/log-keys.js';
import { NodeGroups, type NodeLookup } from './node-groups.js';
import type { Rows } from '../rows/rows.js';
import { SpillList } from '../rows/spill-list.js';
import type { ServiceEvent } from '../model/service-schema.js';
import { column, releasedColumn, setWidening } from '../core/columns.js';
import { traceStep } from '../core/step-trace.js';

type LinkKind = Chain['links'][number]['kind'];

/** A request, a span of lines or a client's exchange, as the joins see it: its row in the run's NodeTable. */
type Node = number;

/** What a node is made of, as the node list is filled. */
interface NodeFields {
  kind: (typeof NODE_KINDS)[number];
  source: string;
  inputIndex: number;
  line: number;
  /** Last line of the request in its input. */
  endLine: number;
  service: string;
  /** Numbers of the run's RequestIds (NO_REQUEST_ID: none). */
  requestId: number;
  globalRequestId: number;
  startMs: number | null;
  endMs: number | null;
  /** A number of the run's UuidLists. */
  uuidList: number;
  exchangeId: number | null;
  method: string | null;
  path: string | null;
  linesEncloseCalls: boolean;
  timedByCallee: boolean;
  caller: { requestId: string | null } | undefined;
}

const NODE_KINDS = ['client', 'server', 'span'] as const;
const KIND_BITS = 3;
const SPAN_KIND = NODE_KINDS.indexOf('span');
const LINES_ENCLOSE_CALLS = 4;
const TIMED_BY_CALLEE = 8;
const VERSION_PATH = 16;

/**
 * The run's nodes, as columns by node number. Hundreds of thousands of nodes: an object per
 * node cost 64 bytes besides its fields, a field 8 bytes and a time a boxed double; a column
 * costs 1 to 8 bytes a node. Strings that repeat (input, service, method, path) are numbers of
 * `names` (a few inputs, services and methods: 2 bytes a node) and `pathNames`; the ids and UUID
 * lists, which differ from node to node, are kept as they are.
 */
class NodeTable {
  /** How many nodes have been added: they are 0 up to count - 1, in that order (ties of the joins go to the earlier). */
  count = 0;
  /** NaN: unknown. */
  private starts: Float64Array;
  private ends: Float64Array;
  private lines: Uint32Array;
  private endLines: Uint32Array;
  /** The kind's number (NODE_KINDS) and the LINES_ENCLOSE_CALLS, TIMED_BY_CALLEE and VERSION_PATH bits. */
  private flags: Uint8Array;
  /** The input, its order and the service: a number of `logKeys`; 2 bytes until there are more. */
  private logs: Uint16Array | Uint32Array;
  private readonly logKeys = new LogKeys();
  /** The method (0: null) as a number of `names` + 1; 2 bytes until there are more. */
  private methods: Uint16Array | Uint32Array;
  private readonly names = new NameNumbers();
  /**
   * The exchanges' ids, for nodes below `exchanges` (the spans' nodes come after them and have
   * none): `firstExchangeId` + node while they are consecutive (they are numbered as they are
   * read), a column only once one is not.
   */
  private exchangeIds: Int32Array | null = null;
  private firstExchangeId = 0;
  /**
   * An exchange's path (number + 1 of `pathNames`; 0: null); sized, like `methods`, for the
   * exchanges' nodes alone, and kept only when a client's call may be looked up by its route
   * (`keepsPaths`). Without a client log only whether a path is a version document's is asked:
   * a day of older nova logs names 70,000 paths (~12 MB of strings at the chains stage's peak).
   */
  private paths: Uint32Array;
  private readonly pathNames = new NameNumbers();
  /** Numbers of `ids`: an id read from two logs is one number, its text made when asked. */
  private requestIds: Int32Array;
  /** Made at the first node with a global id: older clouds' logs (a million requests) have none. */
  private globalRequestIds: Int32Array | null = null;
  /** Numbers of `lists`: a span's list is the node's, shared by alike requests. */
  private uuidLists: Int32Array;
  /** A service's own calls (Exchange.caller), by node: a few among hundreds of thousands. */
  private readonly callers = new Map<Node, { requestId: string | null }>();

  /**
   * `size`: exactly the number of nodes that will be added, the first `exchanges` of them
   * exchanges; `ids` and `lists`: the run's request ids and UUID lists.
   */
  constructor(
    readonly size: number,
    private readonly exchanges: number,
    readonly ids: RequestIds,
    readonly lists: UuidLists,
    readonly keepsPaths: boolean,
  ) {
    this.starts = column(Float64Array, size);
    this.ends = column(Float64Array, size);
    this.lines = column(Uint32Array, size);
    this.endLines = column(Uint32Array, size);
    this.flags = column(Uint8Array, size);
    this.logs = column(Uint16Array, size);
    this.methods = column(Uint16Array, exchanges);
    this.paths = column(Uint32Array, keepsPaths ? exchanges : 0);
    this.requestIds = column(Int32Array, size);
    this.uuidLists = column(Int32Array, size);
  }

  add(f: NodeFields): Node {
    const at = this.count++;
    if (at >= this.size) throw new Error(`chains: more than ${this.size} nodes`);
    this.requestIds[at] = f.requestId;
    this.setGlobalNumber(at, f.globalRequestId);
    this.uuidLists[at] = f.uuidList;
    if (f.exchangeId !== null) {
      if (at >= this.exchanges) throw new Error(`chains: exchange node ${at} past the ${this.exchanges} exchanges`);
      this.setExchangeId(at, f.exchangeId);
      this.methods = setWidening(this.methods, at, this.names.numberOf(f.method));
      if (this.keepsPaths) this.paths[at] = this.pathNames.numberOf(f.path);
    } else if (at < this.exchanges) throw new Error(`chains: node ${at} of a span among the exchanges' nodes`);
    if (f.caller !== undefined) this.callers.set(at, f.caller);
    this.logs = setWidening(this.logs, at, this.logKeys.numberOf(f.source, f.inputIndex, f.service));
    this.starts[at] = f.startMs ?? Number.NaN;
    this.ends[at] = f.endMs ?? Number.NaN;
    this.lines[at] = f.line;
    this.endLines[at] = f.endLine;
    this.flags[at] =
      NODE_KINDS.indexOf(f.kind) |
      (f.linesEncloseCalls ? LINES_ENCLOSE_CALLS : 0) |
      (f.timedByCallee ? TIMED_BY_CALLEE : 0) |
      (isVersionPath(f.path) ? VERSION_PATH : 0);
    return at;
  }

  /**
   * The spans `rows` of `spans` as nodes `from` on, column by column, each of the spans' columns
   * but `kept` given back as soon as it is copied: the whole span table beside the whole node
   * table was the chains stage's peak on older nova logs. The spans' flags go with the table's
   * `release`. The nodes count once `count` is moved past them (the nodes before them are added first).
   */
  addSpans(spans: SpanTable, rows: Int32Array, from: number, kept: readonly SpanColumn[]): void {
    if (from + rows.length > this.size) throw new Error(`chains: more than ${this.size} nodes`);
    if (from < this.exchanges) throw new Error(`chains: spans' nodes from ${from}, among the exchanges' nodes`);
    const copy = (name: SpanColumn, write: (node: Node, at: number) => void) => {
      for (let k = 0; k < rows.length; k++) write(from + k, rows[k]!);
      if (!kept.includes(name)) spans.releaseColumn(name);
    };
    // the same run's numbers (the table was made with its ids)
    copy('requestIds', (n, at) => void (this.requestIds[n] = spans.requestNumber(at)));
    copy('globalRequestIds', (n, at) => this.setGlobalNumber(n, spans.globalRequestNumber(at)));
    copy('firstLines', (n, at) => void (this.lines[n] = spans.firstLine(at)));
    copy('lastLines', (n, at) => void (this.endLines[n] = spans.lastLine(at)));
    copy('firstMs', (n, at) => void (this.starts[n] = spans.firstMs(at) ?? Number.NaN));
    copy('lastMs', (n, at) => void (this.ends[n] = spans.lastMs(at) ?? Number.NaN));
    // a span's log is numbered here once (a handful for a million spans)
    const logOf = new Map<number, number>();
    copy('logs', (n, at) => {
      const log = spans.logNumber(at);
      let own = logOf.get(log);
      if (own === undefined) {
        own = this.logKeys.numberOf(spans.source(at), spans.inputIndex(at), spans.service(at));
        logOf.set(log, own);
      }
      this.logs = setWidening(this.logs, n, own);
    });
    // the same run's lists (the table was made with its pool)
    copy('uuids', (n, at) => void (this.uuidLists[n] = spans.uuidList(at)));
    // its kind, and whether its lines enclose its calls (no exchange, method or path: past `exchanges`)
    for (let k = 0; k < rows.length; k++) {
      const n = from + k;
      this.flags[n] = SPAN_KIND | (spans.debug(rows[k]!) ? LINES_ENCLOSE_CALLS : 0);
    }
  }

  /**
   * The links are made: what only the joins asked (last lines, methods, paths, global ids, UUID
   * lists, callers) goes back before the chains are written — on 1 GB of older nova logs the
   * writing set the stage's peak with every column still held.
   */
  releaseJoinColumns(): void {
    this.endLines = releasedColumn(this.endLines);
    this.methods = releasedColumn(this.methods);
    this.paths = releasedColumn(this.paths);
    if (this.globalRequestIds) this.globalRequestIds = releasedColumn(this.globalRequestIds);
    this.uuidLists = releasedColumn(this.uuidLists);
    this.callers.clear();
  }

  /** The chains are written: the columns' memory goes back at once (the next stages allocate before a collection would free it). */
  release(): void {
    this.starts = releasedColumn(this.starts);
    this.ends = releasedColumn(this.ends);
    this.lines = releasedColumn(this.lines);
    this.endLines = releasedColumn(this.endLines);
    this.flags = releasedColumn(this.flags);
    this.logs = releasedColumn(this.logs);
    this.methods = releasedColumn(this.methods);
    if (this.exchangeIds) this.exchangeIds = releasedColumn(this.exchangeIds);
    this.paths = releasedColumn(this.paths);
    this.requestIds = releasedColumn(this.requestIds);
    if (this.globalRequestIds) this.globalRequestIds = releasedColumn(this.globalRequestIds);
    this.uuidLists = releasedColumn(this.uuidLists);
    this.callers.clear();
    this.count = 0;
  }

  /** The request id's text, made on each call: loops compare `requestNumber`s. */
  requestId(n: Node): string | null {
    return this.text(this.requestIds[n]!);
  }

  requestNumber(n: Node): number {
    return this.requestIds[n]!;
  }

  globalRequestId(n: Node): string | null {
    return this.text(this.globalNumber(n));
  }

  globalNumber(n: Node): number {
    return this.globalRequestIds ? this.globalRequestIds[n]! : NO_REQUEST_ID;
  }

  private setGlobalNumber(n: Node, number: number): void {
    if (number === NO_REQUEST_ID && !this.globalRequestIds) return;
    if (!this.globalRequestIds) this.globalRequestIds = column(Int32Array, this.size).fill(NO_REQUEST_ID);
    this.globalRequestIds[n] = number;
  }

  /** A request id's number (an empty id is none, as it was no group's key). */
  idNumber(id: string | null): number {
    return id ? this.ids.intern(id) : NO_REQUEST_ID;
  }

  text(number: number): string | null {
    return number === NO_REQUEST_ID ? null : this.ids.text(number);
  }

  /** Its UUIDs' list, a number of `lists`. */
  uuidList(n: Node): number {
    return this.uuidLists[n]!;
  }

  source(n: Node): string {
    return this.logKeys.source(this.logs[n]!);
  }

  service(n: Node): string {
    return this.logKeys.service(this.logs[n]!);
  }

  /** One number per input and service (one stream of several services is several logs). */
  logNumber(n: Node): number {
    return this.logs[n]!;
  }

  /** The exchange's id, method and path (null for a span of lines). */
  exchangeId(n: Node): number | null {
    if (n >= this.exchanges) return null;
    return this.exchangeIds ? this.exchangeIds[n]! : this.firstExchangeId + n;
  }

  method(n: Node): string | null {
    return n < this.exchanges ? this.names.name(this.methods[n]!) : null;
  }

  path(n: Node): string | null {
    if (!this.keepsPaths) throw new Error('chains: paths are kept only for a run with client calls');
    return n < this.exchanges ? this.pathNames.name(this.paths[n]!) : null;
  }

  /** How many distinct paths it holds. */
  get pathCount(): number {
    return this.pathNames.size;
  }

  /** Its path is a version document's (`GET /`, `/v3/`): see isVersionPath. */
  versionPath(n: Node): boolean {
    return (this.flags[n]! & VERSION_PATH) !== 0;
  }

  private setExchangeId(n: Node, id: number): void {
    if (n === 0) this.firstExchangeId = id;
    if (!this.exchangeIds && id === this.firstExchangeId + n) return;
    if (!this.exchangeIds) {
      this.exchangeIds = column(Int32Array, this.exchanges);
      for (let k = 0; k < n; k++) this.exchangeIds[k] = this.firstExchangeId + k;
    }
    this.exchangeIds[n] = id;
  }

  /**
   * A call a service logged of its own (Exchange.caller): the request that made it, by its own
   * id (null: the record named none), under which the call hangs in its chain.
   */
  caller(n: Node): { requestId: string | null } | undefined {
    return this.callers.get(n);
  }

  kind(n: Node): (typeof NODE_KINDS)[number] {
    return NODE_KINDS[this.flags[n]! & KIND_BITS]!;
  }

  startMs(n: Node): number | null {
    return orNull(this.starts[n]!);
  }

  endMs(n: Node): number | null {
    return orNull(this.ends[n]!);
  }

  inputIndex(n: Node): number {
    return this.logKeys.inputIndex(this.logs[n]!);
  }

  line(n: Node): number {
    return this.lines[n]!;
  }

  /** Last line of the request in its input. */
  endLine(n: Node): number {
    return this.endLines[n]!;
  }

  /**
   * Its lines enclose the calls it made: an API request (its start and its requestlog line,
   * written as the response leaves) or a span with DEBUG lines. A worker logging at INFO may
   * log its first line after its calls and nothing after them: its lines bound nothing.
   */
  linesEncloseCalls(n: Node): boolean {
    return (this.flags[n]! & LINES_ENCLOSE_CALLS) !== 0;
  }

  /**
   * Its times are the callee's clock, not its own input's: a client exchange timed by the
   * response's `Date:` header (written by the server, whole seconds, at the response).
   */
  timedByCallee(n: Node): boolean {
    return (this.flags[n]! & TIMED_BY_CALLEE) !== 0;
  }
}

const orNull = (ms: number): number | null => (Number.isNaN(ms) ? null : ms);

/** Strings numbered from 1 in the order they come; 0 is null. */
class NameNumbers {
  private readonly names: string[] = [];
  private readonly numbers = new Map<string, number>();

  numberOf(name: string | null): number {
    if (name === null) return 0;
    let n = this.numbers.get(name);
    if (n === undefined) {
      n = this.names.push(name);
      this.numbers.set(name, n);
    }
    return n;
  }

  name(n: number): string | null {
    return n === 0 ? null : this.names[n - 1]!;
  }

  get size(): number {
    return this.names.length;
  }
}

/** Candidates the time and UUID joins looked at in the last `buildChains` (a test proves they grow linearly). */
export const chainJoinStats = { comparisons: 0, uuidEntries: 0, paths: 0 };

/** How far a time-only match may be off (uwsgi and Date headers have whole seconds). */
const TIME_MATCH_MS = 2000;
/** Slack when asking whether a moment lies inside a request's lines. */
const CONTAIN_SLACK_MS = 50;
/** Version discovery is answered and the real call sent within this (same input's clock). */
const DISCOVERY_GAP_MS = 1000;

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
  const { nodes, links, clocks, clock } = linkNodes(analysis, svc);
  const at = (n: Node, ms: number | null) => corrected(clocks.skewed, clock.of(nodes.source(n)), ms);
  const start = (n: Node) => at(n, nodes.startMs(n));
  const end = (n: Node) => at(n, nodes.endMs(n));

  // ---- chains ------------------------------------------------------------------
  const children = links.children();
  traceStep('chains: children');
  const orderedRoots = rootsByTime(links.roots(), nodes, start);
  // Tens of thousands of chains on a day of service logs: kept as rows that go to disk (as the
  // exchanges do), not held to the end of the run; a story reads its own by id (`at`).
  traceStep('chains: roots');
  const chains = new SpillList<Chain>({ indexed: true });
  // Explain's late services read a chain's span starts with the chain: rows like it, on disk.
  const spanStarts = new SpillList<Array<number | null>>({ indexed: true });
  for (const root of orderedRoots) {
    // A node is in one chain: its id is made once, for its links, lineServices and spanStarts.
    const ids = new Map<Node, string>();
    const idOf = (n: Node) => {
      let id = ids.get(n);
      if (id === undefined) ids.set(n, (id = nodeId(nodes, n)));
      return id;
    };
    const members: Node[] = [];
    const stack = [root];
    while (stack.length > 0) {
      const n = stack.pop()!;
      members.push(n);
      children.forEach(n, (c) => void stack.push(c));
    }
    const streams = [
      ...groupBy(
        members.filter((m) => m !== root),
        (m) => String(nodes.inputIndex(m)),
      ).values(),
    ].map((l) => l.sort((a, b) => nodes.line(a) - nodes.line(b)));
    const ordered = mergeByTime(streams, (n) => start(n));
    const times = members.flatMap((m) => [start(m), end(m)]).filter((t): t is number => t !== null);
    const services: string[] = [];
    for (const m of [root, ...ordered]) if (!services.includes(nodes.service(m))) services.push(nodes.service(m));
    const id = chains.length + 1;
    const rootExchange = nodes.exchangeId(root);
    const rootId =
      nodes.kind(root) === 'client' && rootExchange !== null ? rootExchange : (nodes.requestId(root) ?? idOf(root));
    const chainLinks = asTree(ordered.map((m) => ({ from: idOf(links.from(m)), to: idOf(m), kind: links.kind(m) })));
    const spanMs = times.length > 1 ? Math.round(((max(times) ?? 0) - (min(times) ?? 0)) * 1000) / 1000 : null;
    const spans = members.filter((m) => nodes.kind(m) === 'span');
    // Chains are kept to the end of the run, tens of thousands of them: their lists at their
    // exact length (a push reserves room for 16), and each made with all its fields (one set
    // afterwards would take a property store of its own in each chain).
    chains.push(
      spans.length > 0
        ? {
            id,
            root: rootId,
            links: chainLinks,
            services: services.slice(),
            spanMs,
            lineServices: Object.fromEntries(spans.map((m) => [idOf(m), nodes.service(m)])),
          }
        : { id, root: rootId, links: chainLinks, services: services.slice(), spanMs },
    );
    // in lineServices' order; two spans starting on one line share an id, the last one's start is its
    const starts = new Map<string, number | null>();
    for (const m of spans) starts.set(idOf(m), nodes.startMs(m));
    spanStarts.push([...starts.values()]);
  }
  traceStep('chains: written');
  children.release();
  links.release();
  nodes.release();
  result.chains = chains;
  svc.chainSpanStarts = spanStarts;
  // Step events of all inputs on the common time line (skew removed).
  result.serviceEvents = mergedEvents(result.serviceEvents, (e) =>
    corrected(clocks.skewed, clock.of(e.source), e.timestamp ? timestampMs(e.timestamp, analysis.yearBasis) : null),
  );
}

/**
 * The chains' roots in the order the chains are written: each input's by line (ties in the order
 * given), the inputs interleaved by start time. In columns: they were three arrays of 8 bytes a
 * root at the stage's peak (a quarter of a million on 1 GB of older nova logs).
 */
function rootsByTime(roots: Int32Array, nodes: NodeTable, start: (n: Node) => number | null): Int32Array {
  // by input (a counting sort keeps the given order within one)
  let inputs = 0;
  for (const n of roots) inputs = Math.max(inputs, nodes.inputIndex(n) + 1);
  const firsts = new Int32Array(inputs + 1);
  for (const n of roots) firsts[nodes.inputIndex(n) + 1]!++;
  for (let i = 0; i < inputs; i++) firsts[i + 1]! += firsts[i]!;
  const count = roots.length;
  const byInput = column(Int32Array, count);
  const next = firsts.slice(0, inputs);
  for (const n of roots) byInput[next[nodes.inputIndex(n)]!++] = n;
  releasedColumn(roots);
  const streams: Int32Array[] = [];
  for (let i = 0; i < inputs; i++) {
    const stream = byInput.subarray(firsts[i]!, firsts[i + 1]!);
    if (stream.length === 0) continue;
    sortByLine(stream, (n) => nodes.line(n));
    streams.push(stream);
  }
  const ordered = column(Int32Array, count);
  let at = 0;
  forEachByTime(streams, start, (n) => void (ordered[at++] = n));
  releasedColumn(byInput);
  return ordered;
}

/** Roots of one input a sort key can number, and lines it can hold: their product stays an exact double. */
const ENTRY_LIMIT = 2 ** 26;
const LINE_LIMIT = 2 ** 27;

/**
 * `nodes` sorted in place by `lineOf`, ties in the order given. Line and place in one exact
 * number, sorted without a comparator (a comparator's sort copies the array into V8's heap);
 * past the limits (the tests' to lower), a comparator's sort.
 */
export function sortByLine(
  nodes: Int32Array,
  lineOf: (n: Node) => number,
  entryLimit = ENTRY_LIMIT,
  lineLimit = LINE_LIMIT,
): void {
  let maxLine = 0;
  for (const n of nodes) maxLine = Math.max(maxLine, lineOf(n));
  if (nodes.length > entryLimit || maxLine >= lineLimit) {
    nodes.set(Array.from(nodes).sort((a, b) => lineOf(a) - lineOf(b)));
    return;
  }
  const keys = column(Float64Array, nodes.length);
  for (let k = 0; k < nodes.length; k++) keys[k] = lineOf(nodes[k]!) * ENTRY_LIMIT + k;
  keys.sort();
  const given = column(Int32Array, nodes.length);
  given.set(nodes);
  for (let k = 0; k < nodes.length; k++) nodes[k] = given[keys[k]! % ENTRY_LIMIT]!;
  releasedColumn(given);
  releasedColumn(keys);
}

/**
 * The events of every input merged by time, each input's in its own order. Tens of thousands
 * on a day of logs, most of them on disk: the merge orders their places (a number and a time
 * each), then the events are copied in that order, read one at a time.
 */
function mergedEvents(events: Rows<ServiceEvent>, timeOf: (e: ServiceEvent) => number | null): Rows<ServiceEvent> {
  const streamOf = new Map<string, number>();
  const streams: number[][] = [];
  const times = column(Float64Array, events.length);
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
  nodes: NodeTable;
  links: Links;
  clocks: ClockEstimate;
  clock: ReturnType<typeof hostClocks>;
} {
  const result = analysis.result;
  const inputIndex = (source: string) => svc.inputIndex.get(source) ?? 0;
  // The spans and server times were kept for the nodes alone: nodesOf lets them go.
  const nodes = nodesOf(analysis, svc, inputIndex);
  traceStep('chains: nodes');
  // One copy of each request id: read from two logs (nova-api's and nova-compute's lines of one
  // request) it was two strings, a fifth of the nodes' memory on older nova logs.
  const byRequest = new NodeGroups(nodes.count, (n) =>
    nodes.kind(n) !== 'client' ? nodes.requestNumber(n) : NO_REQUEST_ID,
  );
  const byGlobal = new NodeGroups(nodes.count, (n) =>
    nodes.kind(n) !== 'client' && nodes.globalNumber(n) !== nodes.requestNumber(n)
      ? nodes.globalNumber(n)
      : NO_REQUEST_ID,
  );
  const clientByRequest = new NodeGroups(nodes.count, (n) =>
    nodes.kind(n) === 'client' ? nodes.requestNumber(n) : NO_REQUEST_ID,
  );
  traceStep('chains: groups');

  // ---- clocks ------------------------------------------------------------------
  // Twice: the calls a request made are assigned to its API or worker lines by
  // time, so they bound the clocks only once a first estimate is there.
  // With --same-clock every input shares one clock: nothing to estimate, no skew.
  // A global id the client itself sent (cinderclient sends its first call's request id as the
  // global id of the next ones) makes no caller of the request that has it as its own id: that
  // request had ended, the later ones with the id are the client's and their callees'.
  const clientSent = new Set<number>();
  for (let n = 0; n < nodes.count; n++) {
    const g = nodes.globalNumber(n);
    if (nodes.kind(n) === 'client' && g !== NO_REQUEST_ID) clientSent.add(g);
  }
  const calledBy: NodeLookup = { get: (id) => (clientSent.has(id) ? undefined : byGlobal.get(id)) };
  // Inputs whose records name one host (journald exports of one machine's services) share its clock.
  const clock = hostClocks(svc.inputs);
  // Causal pairs are folded as they are found (merge.ts): a day of logs gives hundreds of thousands.
  const evidence = new CausalEvidence();
  const found = (p: CausalPair) => evidence.add(clock.onClock(p));
  if (!analysis.sameClock) causalPairs(nodes, byRequest, calledBy, clientByRequest, found);
  const first = evidence.estimate();
  if (!analysis.sameClock)
    callPairs(nodes, byRequest, calledBy, (n, ms) => corrected(first.skewed, clock.of(nodes.source(n)), ms), found);
  const clocks = evidence.estimate();
  traceStep('chains: clocks');
  result.clockSkews = clocks.skews.map(clock.inInputs);
  const at = (n: Node, ms: number | null) => corrected(clocks.skewed, clock.of(nodes.source(n)), ms);
  const start = (n: Node) => at(n, nodes.startMs(n));
  const end = (n: Node) => at(n, nodes.endMs(n));

  // ---- links -------------------------------------------------------------------
  const links = new Links(nodes.count);
  const link = (from: Node, to: Node, kind: LinkKind) => links.link(from, to, kind);
  // Request ids by number here: their texts are made only where a chain or a reason names them.
  const apiOf = (req: number) => (byRequest.get(req) ?? []).filter((n) => nodes.kind(n) === 'server');
  const workersOf = (req: number) => (byRequest.get(req) ?? []).filter((n) => nodes.kind(n) === 'span');
  // Of a request's workers without its API line, the one that began first heads it (a worker
  // casts to the next: cinder-backup's request reaches cinder-volume), not the first given.
  const earliest = (workers: readonly Node[]): Node | undefined => {
    let best: Node | undefined;
    let bestStart: number | null = null;
    for (const w of workers) {
      const s = start(w);
      if (best === undefined || (s !== null && (bestStart === null || s < bestStart))) {
        best = w;
        bestStart = s;
      }
    }
    return best;
  };

  /** Link a request's own nodes under `entryParent`, then the requests that carry its global id. */
  const expand = (req: number, entryParent: Node | null, entryKind: LinkKind) => {
    let api = apiOf(req);
    // nova's requestlog may log a version request under a stale context of the
    // worker thread (reference §B6): the client's own request is the one that fits.
    const sent = entryParent !== null && nodes.exchangeId(entryParent) !== null ? entryParent : null;
    if (sent !== null && api.length > 1) {
      const fits = api.filter(
        (a) => nodes.method(a) === nodes.method(sent) && samePath(nodes.path(a), nodes.path(sent)),
      );
      if (fits.length > 0) api = fits;
    }
    const workers = workersOf(req);
    const head = api[0] ?? earliest(workers);
    if (head === undefined) return;
    if (entryParent !== null) for (const a of api.length > 0 ? api : [head]) link(entryParent, a, entryKind);
    for (const w of workers)
      if (w !== head) link(head, w, entryParent !== null && api.length === 0 ? entryKind : 'request-id');
    // A service's call reached a request that carries the caller's global id: the requests with
    // that id are the caller's other calls, its siblings, not calls it made.
    const headGlobal = nodes.globalNumber(head);
    if (entryParent !== null && nodes.caller(entryParent) && headGlobal !== NO_REQUEST_ID && headGlobal !== req) return;
    const global = headGlobal !== NO_REQUEST_ID ? headGlobal : req;
    const children = groupBy(
      (byGlobal.get(global) ?? []).filter((n) => nodes.requestNumber(n) !== req),
      (n) => String(nodes.requestNumber(n)),
    );
    const ownNodes = [...api, ...workers];
    for (const childNodes of children.values()) {
      const childHead = childNodes.find((n) => nodes.kind(n) === 'server') ?? earliest(childNodes)!;
      const from = callerOf(nodes, childHead, api, workers, start, end) ?? head;
      if (!ownNodes.includes(from)) continue;
      const childApi = childNodes.filter((n) => nodes.kind(n) === 'server');
      for (const a of childApi.length > 0 ? childApi : [childHead]) link(from, a, 'global-request-id');
      for (const w of childNodes)
        if (nodes.kind(w) === 'span' && w !== childHead)
          link(childHead, w, childApi.length > 0 ? 'request-id' : 'global-request-id');
    }
  };

  // 1. client exchanges → the request with their id. A service's own calls first: the request
  // it called is that call's, not a child of the caller's request by its global id.
  for (const callers of [true, false])
    for (const [req, clients] of clientByRequest) {
      if (!byRequest.has(req)) continue;
      for (const c of clients) if ((nodes.caller(c) !== undefined) === callers) expand(req, c, 'request-id');
    }
  // 2. requests no client log shows: roots of their own
  for (const req of byRequest.keys()) {
    const head = apiOf(req)[0] ?? earliest(workersOf(req))!;
    if (links.has(head) || clientByRequest.has(req)) continue;
    const g = nodes.globalNumber(head);
    if (g !== NO_REQUEST_ID && g !== req && byRequest.has(g)) continue; // reached from its global id's request
    expand(req, null, 'request-id');
  }
  // 2b. a service's own calls hang under the request that made them: its lines in the caller's
  // log around the call, else its first node there, else its API.
  for (let c = 0; c < nodes.count; c++) {
    const callerId = nodes.caller(c)?.requestId;
    if (!callerId || links.has(c)) continue;
    const req = nodes.ids.find(callerId);
    const own = byRequest.get(req);
    if (!own) continue;
    const here = own.filter((n) => nodes.source(n) === nodes.source(c));
    const line = nodes.line(c);
    const from =
      here.find((n) => nodes.line(n) <= line && line <= nodes.endLine(n)) ?? here[0] ?? apiOf(req)[0] ?? own[0]!;
    link(from, c, 'request-id');
  }
  traceStep('chains: request ids');
  // 3. lines without any request id (uwsgi), and client exchanges without a server id: method, path and time.
  // Before the UUID fallback: a request the client itself sent is the client's.
  // The index is made at the first such call: service logs alone have none (a day of older nova
  // logs: 30 MB of routes for nothing).
  let routes: RouteBuckets | null = null;
  for (let c = 0; c < nodes.count; c++) {
    if (nodes.kind(c) !== 'client' || nodes.startMs(c) === null) continue;
    if (byRequest.has(nodes.requestNumber(c))) continue;
    const cs = start(c)!;
    const path = nodes.path(c);
    if (path === null) continue;
    routes ??= new RouteBuckets(nodes, start);
    const bucket = routes.get(nodes.method(c), path);
    if (!bucket) continue;
    const { members, starts } = routes;
    let best: Node | null = null;
    let bestGap = Number.POSITIVE_INFINITY;
    for (let i = firstAtLeast(starts, bucket.from, bucket.to, cs - TIME_MATCH_MS - 1); i < bucket.to; i++) {
      const s = members[i]!;
      const ms = starts[i]!;
      if (ms > cs + TIME_MATCH_MS + 1) break;
      chainJoinStats.comparisons++;
      if (links.has(s)) continue;
      const gap = Math.abs(ms - cs);
      if (gap <= TIME_MATCH_MS && (gap < bestGap || (gap === bestGap && s < best!))) {
        best = s;
        bestGap = gap;
      }
    }
    if (best !== null) link(c, best, 'time');
  }
  // Each join's index is let go when its step is done: the next one builds its own.
  routes?.clear();
  // 4. no global id: a request that shares resource UUIDs with one running at that moment.
  // Nodes by the UUIDs they carry, each bucket in start order with the widest span
  // and the latest end so far, so only those that can contain a moment are looked at.
  /** `req`'s API request when step 4 looks it up by its UUIDs: nothing linked it, and it names some. */
  const uuidHead = (req: number, own: readonly Node[]): Node | null => {
    const head = own.find((n) => nodes.kind(n) === 'server');
    if (head === undefined || links.has(head) || clientByRequest.has(req)) return null;
    if (nodes.lists.length(nodes.uuidList(head)) === 0) return null;
    const headGlobal = nodes.globalNumber(head);
    if (headGlobal !== NO_REQUEST_ID && headGlobal !== req && byRequest.has(headGlobal)) return null;
    return start(head) === null ? null : head;
  };
  // Only what a lookup can find is indexed: the UUIDs some looked-up request names, on nodes of
  // another project than some looked-up request's. Older nova logs (nova-api and nova-compute,
  // one project) index nothing: the index was the chains stage's peak there at 1 GB.
  const asked = new Uint8Array(nodes.lists.uuidCount);
  const askingProjects = new Set<string>();
  for (const [req, own] of byRequest) {
    const head = uuidHead(req, own);
    if (head === null) continue;
    const list = nodes.uuidList(head);
    for (let k = 0; k < nodes.lists.length(list); k++) asked[nodes.lists.at(list, k)] = 1;
    askingProjects.add(projectOf(nodes.service(head)));
  }
  const onlyProject = askingProjects.size === 1 ? [...askingProjects][0]! : null;
  const uuidBuckets = new UuidBuckets(
    nodes,
    start,
    end,
    (n, uuid) => asked[uuid] === 1 && projectOf(nodes.service(n)) !== onlyProject,
  );
  for (const [req, own] of byRequest) {
    const head = uuidHead(req, own);
    if (head === null) continue;
    const headList = nodes.uuidList(head);
    const s = start(head)!;
    const project = projectOf(nodes.service(head));
    let best: Node | null = null;
    let bestWidth = Number.POSITIVE_INFINITY;
    for (let k = 0; k < nodes.lists.length(headList); k++) {
      const bucket = uuidBuckets.get(nodes.lists.at(headList, k));
      if (!bucket) continue;
      const { from, to, widest } = bucket;
      const { members, latestEnd } = uuidBuckets;
      // those starting (with slack) by s, latest first, back to where none can still be open at s
      for (let i = uuidBuckets.firstStartAtLeast(from, to, s + CONTAIN_SLACK_MS + 1) - 1; i >= from; i--) {
        const cand = members[i]!;
        const cs = start(cand)!;
        const ce = end(cand)!;
        if (latestEnd[i]! < s - CONTAIN_SLACK_MS - 1 || cs < s - CONTAIN_SLACK_MS - widest - 1) break;
        chainJoinStats.comparisons++;
        // A service does not call its own project's API over HTTP: cinder-volume lines
        // of a concurrent cinder request on the same volume belong to that request.
        if (nodes.requestNumber(cand) === req || projectOf(nodes.service(cand)) === project) continue;
        if (s < cs - CONTAIN_SLACK_MS || s > ce + CONTAIN_SLACK_MS) continue;
        const width = ce - cs;
        if (width < bestWidth || (width === bestWidth && cand < best!)) {
          best = cand;
          bestWidth = width;
        }
      }
    }
    if (best !== null) {
      link(best, head, 'resource-uuid');
      for (const w of workersOf(req)) link(head, w, 'request-id');
    }
  }
  traceStep('chains: resource UUIDs');
  uuidBuckets.clear();
  // 5. version discovery (`GET /`, `GET /v3/`: no global id, no UUIDs) that a
  // service's client library sends just before its real call: it belongs to
  // whoever made the call that follows it in that API's log, when only one did.
  // by input and service: one stream of several services (a journal of many units) is several logs here
  // made at the first such request, as step 3's
  let servers: ServerTimelines | null = null;
  for (let d = 0; d < nodes.count; d++) {
    if (nodes.kind(d) !== 'server' || links.has(d) || nodes.method(d) !== 'GET' || !nodes.versionPath(d)) continue;
    const global = nodes.globalNumber(d);
    if (global !== NO_REQUEST_ID && global !== nodes.requestNumber(d)) continue;
    const dStart = nodes.startMs(d);
    const dEnd = nodes.endMs(d) ?? dStart;
    if (dEnd === null) continue;
    const callers = new Set<string>();
    let next: Node | null = null;
    servers ??= new ServerTimelines(nodes);
    const { from, to } = servers.of(d);
    const { members, starts } = servers;
    for (let i = firstAtLeast(starts, from, to, dStart ?? dEnd); i < to; i++) {
      const f = members[i]!;
      if (starts[i]! > dEnd + DISCOVERY_GAP_MS) break;
      if (f === d || nodes.line(f) < nodes.line(d)) continue;
      if (!links.has(f)) continue;
      const viaKind = links.kind(f);
      if (viaKind === 'request-id' || viaKind === 'time') continue; // a client's own request, not a service's call
      const caller = links.from(f);
      callers.add(nodes.requestId(caller) ?? nodeId(nodes, caller));
      // the call right after it (the list is in time order): its caller, API or worker, is the one that asked
      next ??= caller;
    }
    if (callers.size === 1 && next !== null) link(next, d, 'time');
  }
  servers?.clear();
  for (const groups of [byRequest, byGlobal, clientByRequest]) groups.release();
  nodes.releaseJoinColumns();
  traceStep('chains: linked');

  return { nodes, links, clocks, clock };
}

/** A node for every exchange, and for each request span that answered no API call. */
function nodesOf(analysis: Analysis, svc: ServiceIndex, inputIndex: (source: string) => number): NodeTable {
  const result = analysis.result;
  // Rows read back from disk are fresh copies: a node keeps one copy of its input's name,
  // service and path (a busy API's paths repeat: `…/servers/detail`).
  const one = shared();
  const lists = svc.spans.lists;

  // ---- nodes -------------------------------------------------------------------
  // a node per exchange and per span that answered no call (that span's exchange is its node):
  // the columns made at their size, not cut to it (a copy of tens of MB next to the first)
  const serverExchanges = analysis.serverExchangeCount ?? result.exchanges.filter((e) => e.side === 'server').length;
  const nodes = new NodeTable(
    result.exchanges.length + svc.spans.unanswered,
    result.exchanges.length,
    svc.spans.ids,
    lists,
    serverExchanges < result.exchanges.length,
  );
  // The spans' nodes first, after where the exchanges' go: their columns are given back as they
  // are copied, but for the UUID lists, which the exchanges' nodes read (the span each answered
  // was found when it was made: svc.serverTimes).
  // The exchanges' nodes made while every span waited were the chains stage's peak at 1 GB.
  const spans = svc.spans;
  svc.spans = new SpanTable();
  // By column: a row object would make its request ids' texts, which the nodes take as numbers.
  const unanswered = column(Int32Array, spans.unanswered);
  for (let at = 0, k = 0; at < spans.size; at++) if (!spans.answersCall(at)) unanswered[k++] = at;
  const spanNodes = unanswered.length;
  nodes.addSpans(spans, unanswered, result.exchanges.length, ['uuids']);
  releasedColumn(unanswered);
  traceStep('chains: span nodes');
  for (const e of result.exchanges) {
    if (e.side === 'client') {
      const start = e.startedAt && (e.timing === 'log' || e.timing === 'date-header') ? timestampMs(e.startedAt) : null;
      nodes.add({
        kind: 'client',
        source: one(e.source),
        inputIndex: inputIndex(e.source),
        line: e.line,
        endLine: e.endLine,
        service: e.caller ? one(e.caller.service ?? 'unknown') : 'client',
        requestId: nodes.idNumber(e.requestId),
        globalRequestId: nodes.idNumber(e.globalRequestId),
        startMs: start,
        endMs: start !== null && e.durationMs !== null ? start + e.durationMs : null,
        // only service-side requests are joined by the resources they name
        uuidList: UuidLists.EMPTY,
        exchangeId: e.id,
        method: one(e.method),
        path: one(e.path),
        linesEncloseCalls: true,
        timedByCallee: e.timing === 'date-header',
        caller: e.caller ? { requestId: e.caller.requestId } : undefined,
      });
      continue;
    }
    const t = svc.serverTimes.get(e.id);
    // a draft without a service is `unknown`'s (analyze.ts)
    const service = e.service ?? 'unknown';
    const spanAt = svc.serverTimes.span(e.id);
    // The path's UUIDs, then its lines': most often the path's are among its lines', and the
    // span's list (one for alike spans) serves. The joins look a node's UUIDs up one by one,
    // in no needed order.
    const spanList = spanAt === undefined ? UuidLists.EMPTY : spans.uuidList(spanAt);
    let uuidList = UuidLists.EMPTY;
    let pathOnly = false;
    if (e.path)
      forEachUuid(e.path, (u) => {
        const number = lists.uuidNumber(u);
        if (!lists.has(uuidList, number)) uuidList = lists.with(uuidList, number);
        if (!lists.has(spanList, number)) pathOnly = true;
      });
    if (!pathOnly) uuidList = spanList;
    else
      for (let k = 0; k < lists.length(spanList); k++)
        if (!lists.has(uuidList, lists.at(spanList, k))) uuidList = lists.with(uuidList, lists.at(spanList, k));
    nodes.add({
      kind: 'server',
      source: one(e.source),
      inputIndex: inputIndex(e.source),
      line: e.line,
      endLine: e.endLine,
      service: one(service),
      requestId: nodes.idNumber(e.requestId),
      globalRequestId: nodes.idNumber(e.globalRequestId),
      startMs: t?.startMs ?? null,
      endMs: t?.endMs ?? null,
      uuidList,
      exchangeId: e.id,
      method: one(e.method),
      path: nodes.keepsPaths ? one(e.path) : e.path,
      linesEncloseCalls: true,
      timedByCallee: false,
      caller: undefined,
    });
  }
  // The server times and spans are done with (the nodes took their UUID lists).
  svc.serverTimes.clear();
  spans.release();
  nodes.count += spanNodes;
  chainJoinStats.paths = nodes.pathCount;
  if (nodes.count !== nodes.size) throw new Error(`chains: ${nodes.count} nodes for ${nodes.size} rows`);
  return nodes;
}

/**
 * Which of a request's nodes made a call that started at `child`'s start: while
 * the API request is still open it is the API service (or a worker that is
 * inside its lines); after the API has answered, only a worker still holds the id.
 */
function callerOf(
  nodes: NodeTable,
  child: Node,
  api: Node[],
  workers: Node[],
  start: (n: Node) => number | null,
  end: (n: Node) => number | null,
): Node | null {
  const s = start(child);
  if (s === null) return api[0] ?? workers[0] ?? null;
  const a = api[0];
  const aEnd = a !== undefined ? end(a) : null;
  // the requestlog line is written as the response leaves: no slack after it
  if (a !== undefined && (aEnd === null || s <= aEnd)) return a;
  let best: Node | null = null;
  for (const w of workers) {
    const ws = start(w);
    const we = end(w);
    if (ws === null || ws > s + CONTAIN_SLACK_MS) continue;
    if (we !== null && s <= we + CONTAIN_SLACK_MS) return w;
    if (best === null || (start(best) ?? 0) < ws) best = w;
  }
  if (best !== null) return best;
  // After the API answered only a worker holds the id, even if its clock puts all
  // of its lines after the call: the first of them.
  if (a !== undefined && aEnd !== null) {
    let first: Node | null = null;
    for (const w of workers)
      if (
        nodes.source(w) !== nodes.source(a) &&
        (start(w) ?? Infinity) < (first !== null ? (start(first) ?? Infinity) : Infinity)
      )
        first = w;
    if (first !== null) return first;
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
  nodes: NodeTable,
  byRequest: NodeGroups,
  byGlobal: NodeLookup,
  clientByRequest: NodeLookup,
  found: (pair: CausalPair) => void,
): void {
  const point = (n: Node, ms: number) => ({ source: nodes.source(n), ms, line: nodes.line(n) });
  for (const [reqNumber, own] of byRequest) {
    // the id's text, for the reasons of the pairs found (made once a group)
    const req = nodes.ids.text(reqNumber);
    const api = apiOf(nodes, own);
    for (const c of clientByRequest.get(reqNumber) ?? []) {
      const cStart = nodes.startMs(c);
      const cEnd = nodes.endMs(c);
      // A time read from the server's Date header says nothing of the client's clock.
      if (api === undefined || cStart === null || nodes.timedByCallee(c)) continue;
      found({
        earlier: point(c, cStart),
        later: point(api, nodes.startMs(api)!),
        why: `the client sent request ${req}`,
      });
      const apiEnd = nodes.endMs(api);
      if (cEnd !== null && apiEnd !== null)
        found({
          earlier: point(api, apiEnd),
          later: point(c, cEnd),
          why: `the server answered request ${req}`,
        });
    }
    if (api === undefined) continue;
    const apiStart = nodes.startMs(api)!;
    const apiSource = nodes.source(api);
    // A worker of another service (an RPC call or cast carries the request id) cannot
    // start before the API did. Nothing bounds it from above: a cast is worked on
    // after the API answered, and a worker's first line may come at any point of
    // its work (the API's requestlog line is written at its end), so a late worker
    // line is no evidence of a clock running ahead.
    for (const w of own) {
      const wStart = nodes.startMs(w);
      if (nodes.kind(w) === 'span' && nodes.source(w) !== apiSource && wStart !== null) {
        found({
          earlier: point(api, apiStart),
          later: point(w, wStart),
          why: `request ${req} was passed on by ${nodes.service(api)}`,
        });
      }
    }
    // A synchronous callee answers while the caller waits: its line lies inside the
    // caller's request window (the requestlog line is written as the response leaves).
    const apiEnd = nodes.endMs(api);
    const until = apiEnd !== null ? { ms: apiEnd, line: nodes.endLine(api), slackMs: CAUSALITY_TOLERANCE_MS } : null;
    // Without workers elsewhere only the API can have made the calls, while it was open.
    const apiAlone = !own.some((w) => nodes.kind(w) === 'span' && nodes.source(w) !== apiSource);
    // Requests carrying this one's id as their global id were called by it; when it
    // carries another's global id itself, those are its siblings.
    const apiGlobal = nodes.globalNumber(api);
    if (apiGlobal !== NO_REQUEST_ID && apiGlobal !== reqNumber) continue;
    for (const child of byGlobal.get(reqNumber) ?? []) {
      const childStart = nodes.startMs(child);
      if (
        nodes.requestNumber(child) === reqNumber ||
        nodes.source(child) === apiSource ||
        childStart === null ||
        workerOfCalled(nodes, child, byRequest)
      )
        continue;
      found({
        earlier: point(api, apiStart),
        later: point(child, childStart),
        until: apiAlone && nodes.kind(child) === 'server' ? until : null,
        why: `request ${nodes.requestId(child)} carries global id ${req}`,
      });
    }
  }
}

/**
 * A request's API: the server that took it first. A service that logs its caller's id as
 * its own (glance, called by nova with nova's id) is a callee, whatever the input order.
 */
function apiOf(nodes: NodeTable, own: readonly Node[]): Node | undefined {
  let api: Node | undefined;
  for (const n of own) {
    const ms = nodes.startMs(n);
    if (nodes.kind(n) === 'server' && ms !== null && (api === undefined || ms < nodes.startMs(api)!)) api = n;
  }
  return api;
}

/**
 * Calls a request made (requests carrying its id as global id) lie inside the
 * lines of whichever of its nodes made them: the API while it is open, else the
 * worker still holding the id. `at` gives times on the first estimate's clock.
 */
function callPairs(
  nodes: NodeTable,
  byRequest: NodeGroups,
  byGlobal: NodeLookup,
  at: (n: Node, ms: number | null) => number | null,
  found: (pair: CausalPair) => void,
): void {
  const start = (n: Node) => at(n, nodes.startMs(n));
  const end = (n: Node) => at(n, nodes.endMs(n));
  for (const [reqNumber, own] of byRequest) {
    const entry = apiOf(nodes, own);
    const api = own.filter(
      (n) => nodes.kind(n) === 'server' && (entry === undefined || nodes.source(n) === nodes.source(entry)),
    );
    const workers = own.filter((n) => nodes.kind(n) === 'span');
    const head = api[0] ?? workers[0]!;
    const headGlobal = nodes.globalNumber(head);
    if (headGlobal !== NO_REQUEST_ID && headGlobal !== reqNumber) continue;
    for (const child of byGlobal.get(reqNumber) ?? []) {
      const childStart = nodes.startMs(child);
      if (nodes.requestNumber(child) === reqNumber || childStart === null || workerOfCalled(nodes, child, byRequest))
        continue;
      const caller = callerOf(nodes, child, api, workers, start, end);
      if (caller === null) continue;
      const callerStart = nodes.startMs(caller);
      const callerEnd = nodes.endMs(caller);
      if (
        !nodes.linesEncloseCalls(caller) ||
        nodes.source(caller) === nodes.source(child) ||
        callerStart === null ||
        callerEnd === null
      )
        continue;
      // Only an HTTP call (a server node) is answered while the caller waits, so it
      // lies inside the caller's lines; work a cast started (a span) may go on after.
      const sync = nodes.kind(child) === 'server';
      found({
        earlier: { source: nodes.source(caller), ms: callerStart, line: nodes.line(caller) },
        later: { source: nodes.source(child), ms: childStart, line: nodes.line(child) },
        until: sync ? { ms: callerEnd, line: nodes.endLine(caller), slackMs: CAUSALITY_TOLERANCE_MS } : null,
        why: `${nodes.service(caller)} made request ${nodes.requestId(child)} while handling ${nodes.ids.text(reqNumber)}`,
      });
    }
  }
}

/**
 * A node's id in the chains: `x<exchange id>`, or `line:<input>:<first line>` for a span of
 * lines. Made when a chain is written, not held by each of the run's nodes.
 */
function nodeId(nodes: NodeTable, n: Node): string {
  const exchangeId = nodes.exchangeId(n);
  // join makes one flat string; a template literal makes a rope of pieces (twice the memory)
  return exchangeId !== null ? `x${exchangeId}` : ['line', nodes.source(n), nodes.line(n)].join(':');
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

/**
 * Each log's timed server requests (step 5's index), by input and service, in start order
 * (ties: node order), as ranges of two columns: a list per log of all its requests, keyed by a
 * string made per request, cost the chains stage's peak ~10 MB on a 1 GB multi-service set.
 */
class ServerTimelines {
  private readonly rangeOf = new Map<number, { from: number; to: number }>();
  members: Int32Array;
  starts: Float64Array;

  constructor(private readonly nodes: NodeTable) {
    let total = 0;
    for (let n = 0; n < nodes.count; n++) if (nodes.kind(n) === 'server' && nodes.startMs(n) !== null) total++;
    const members = column(Int32Array, total);
    let at = 0;
    for (let n = 0; n < nodes.count; n++)
      if (nodes.kind(n) === 'server' && nodes.startMs(n) !== null) members[at++] = n;
    members.sort((x, y) => nodes.logNumber(x) - nodes.logNumber(y) || nodes.startMs(x)! - nodes.startMs(y)! || x - y);
    const starts = column(Float64Array, total);
    for (let i = 0; i < total; i++) {
      const n = members[i]!;
      starts[i] = nodes.startMs(n)!;
      const log = nodes.logNumber(n);
      const range = this.rangeOf.get(log);
      if (range) range.to = i + 1;
      else this.rangeOf.set(log, { from: i, to: i + 1 });
    }
    this.members = members;
    this.starts = starts;
  }

  /** The range of `n`'s log (empty when it has no timed server request). */
  of(n: Node): { from: number; to: number } {
    return this.rangeOf.get(this.nodes.logNumber(n)) ?? { from: 0, to: 0 };
  }

  /** Step 5 is done: the index is let go. */
  clear(): void {
    this.rangeOf.clear();
    this.members = releasedColumn(this.members);
    this.starts = releasedColumn(this.starts);
  }
}

/**
 * Server requests by method and normalized path (step 3's index), each bucket in time order
 * (ties: node order), as ranges of two columns shared by all routes: an object of a node and
 * its time per request cost 22 MB at the chains stage's peak of a 1 GB multi-service set.
 */
class RouteBuckets {
  private readonly bucketOf = new Map<string, { from: number; to: number }>();
  members: Int32Array;
  starts: Float64Array;

  constructor(nodes: NodeTable, start: (n: Node) => number | null) {
    // Counted, then filled in place (as UuidBuckets): a busy API's route has hundreds of
    // thousands of requests, whose list of nodes and sort order were arrays of 8 bytes each.
    const routeOf = column(Int32Array, nodes.count).fill(-1);
    const buckets: { from: number; to: number }[] = [];
    const numberOf = new Map<string, number>();
    let total = 0;
    for (let n = 0; n < nodes.count; n++) {
      const path = nodes.path(n);
      if (nodes.kind(n) !== 'server' || path === null || nodes.startMs(n) === null) continue;
      const key = routeKey(nodes.method(n), path);
      let route = numberOf.get(key);
      if (route === undefined) {
        route = buckets.push({ from: 0, to: 0 }) - 1;
        numberOf.set(key, route);
        this.bucketOf.set(key, buckets[route]!);
      }
      routeOf[n] = route;
      buckets[route]!.to++;
      total++;
    }
    this.members = column(Int32Array, total);
    this.starts = column(Float64Array, total);
    let at = 0;
    for (const bucket of buckets) {
      const size = bucket.to;
      bucket.from = bucket.to = at;
      at += size;
    }
    for (let n = 0; n < nodes.count; n++) {
      const route = routeOf[n]!;
      if (route < 0) continue;
      const bucket = buckets[route]!;
      this.members[bucket.to] = n;
      this.starts[bucket.to] = start(n)!;
      bucket.to++;
    }
    releasedColumn(routeOf);
    for (const bucket of buckets) sortByStart(this.members, this.starts, null, bucket.from, bucket.to);
  }

  get(method: string | null, path: string): { from: number; to: number } | undefined {
    return this.bucketOf.get(routeKey(method, path));
  }

  /** Step 3 is done: the index is let go. */
  clear(): void {
    this.bucketOf.clear();
    this.members = releasedColumn(this.members);
    this.starts = releasedColumn(this.starts);
  }
}

/**
 * The nodes that carry each resource UUID (step 4's index), as ranges of columns shared by
 * all UUIDs: a bucket's nodes in start order (ties: node order), with their start, end and
 * the latest end so far. An object with two boxed times per node and lists per UUID cost
 * three times as much, at the chains stage's peak.
 */
class UuidBuckets {
  /** By UUID number (of the run's UuidLists). */
  private readonly bucketOf = new Map<number, { from: number; to: number; widest: number }>();
  members: Int32Array;
  /** latestEnd[i]: the latest end among the bucket's entries up to i. */
  latestEnd: Float64Array;

  /**
   * An entry's start and end are its node's (`start(n)`, `end(n)`), read when needed: columns of
   * them beside the members were two thirds of the index, the chains stage's peak on older nova
   * logs; the starts are a column only while the buckets are sorted.
   */
  constructor(
    nodes: NodeTable,
    private readonly start: (n: Node) => number | null,
    end: (n: Node) => number | null,
    /** Whether node `n` can be found by `uuid` (a lookup asks for it). */
    wanted: (n: Node, uuid: number) => boolean,
  ) {
    // Counted, then filled in place: no list of nodes per UUID (hundreds of thousands of them
    // on a day of nova logs, each with room reserved) beside the columns.
    const eligible = (n: Node) => nodes.kind(n) !== 'client' && nodes.startMs(n) !== null && nodes.endMs(n) !== null;
    const lists = nodes.lists;
    let total = 0;
    for (let n = 0; n < nodes.count; n++) {
      if (!eligible(n)) continue;
      const list = nodes.uuidList(n);
      for (let k = 0; k < lists.length(list); k++) {
        const u = lists.at(list, k);
        if (!wanted(n, u)) continue;
        const bucket = this.bucketOf.get(u);
        if (bucket) bucket.to++;
        else this.bucketOf.set(u, { from: 0, to: 1, widest: 0 });
        total++;
      }
    }
    chainJoinStats.uuidEntries = total;
    this.members = column(Int32Array, total);
    this.latestEnd = column(Float64Array, total);
    // `to` counts the bucket's entries, then is where its next one goes, then its end
    let at = 0;
    for (const bucket of this.bucketOf.values()) {
      const size = bucket.to;
      bucket.from = bucket.to = at;
      at += size;
    }
    for (let n = 0; n < nodes.count; n++) {
      if (!eligible(n)) continue;
      const list = nodes.uuidList(n);
      for (let k = 0; k < lists.length(list); k++) {
        const u = lists.at(list, k);
        if (!wanted(n, u)) continue;
        const bucket = this.bucketOf.get(u)!;
        this.members[bucket.to] = n;
        bucket.to++;
      }
    }
    for (const bucket of this.bucketOf.values()) {
      this.sortBucket(bucket.from, bucket.to);
      let latest = Number.NEGATIVE_INFINITY;
      for (let k = bucket.from; k < bucket.to; k++) {
        const n = this.members[k]!;
        const endMs = end(n)!;
        bucket.widest = Math.max(bucket.widest, endMs - start(n)!);
        latest = Math.max(latest, endMs);
        this.latestEnd[k] = latest;
      }
    }
  }

  /**
   * A bucket's entries by start, then node. Most buckets hold a few (a UUID named by one
   * request and its calls): sorted in place, their starts read from the nodes; a large one
   * gets a column of its starts for the time of its sort. A column of every entry's start
   * beside the members was the chains stage's peak on older nova logs at 1 GB.
   */
  private sortBucket(from: number, to: number): void {
    const members = this.members;
    if (to - from > 32) {
      const starts = column(Float64Array, to - from);
      for (let k = from; k < to; k++) starts[k - from] = this.start(members[k]!)!;
      sortByStart(members.subarray(from, to), starts, null, 0, to - from);
      releasedColumn(starts);
      return;
    }
    for (let k = from + 1; k < to; k++) {
      const n = members[k]!;
      const ms = this.start(n)!;
      let j = k - 1;
      for (; j >= from; j--) {
        const m = members[j]!;
        const mMs = this.start(m)!;
        if (mMs < ms || (mMs === ms && m < n)) break;
        members[j + 1] = m;
      }
      members[j + 1] = n;
    }
  }

  /** The first entry in [from, to) of a bucket that starts at `x` or later, else `to`. */
  firstStartAtLeast(from: number, to: number, x: number): number {
    let lo = from;
    let hi = to;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.start(this.members[mid]!)! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  get(uuid: number): { from: number; to: number; widest: number } | undefined {
    return this.bucketOf.get(uuid);
  }

  /** Step 4 is done: the index is let go. */
  clear(): void {
    this.bucketOf.clear();
    this.members = releasedColumn(this.members);
    this.latestEnd = releasedColumn(this.latestEnd);
  }
}

/** The first index in [from, to) whose value is at least `x` (the values ascend there), else `to`. */
function firstAtLeast(values: Float64Array | Uint32Array, from: number, to: number, x: number): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * A bucket's entries [from, to) in start order, ties in node order (they were filled in node
 * order, so most buckets already are), `ends` moved along when given: a typed order sorted,
 * not an object per entry.
 */
function sortByStart(
  members: Int32Array,
  starts: Float64Array,
  ends: Float64Array | null,
  from: number,
  to: number,
): void {
  let sorted = true;
  for (let k = from + 1; k < to && sorted; k++) sorted = starts[k - 1]! <= starts[k]!;
  if (sorted) return;
  const order = column(Int32Array, to - from);
  for (let i = 0; i < order.length; i++) order[i] = from + i;
  order.sort((a, b) => starts[a]! - starts[b]! || members[a]! - members[b]!);
  // copies outside malloc too (a route's bucket can be a few MB)
  const m = column(Int32Array, to - from);
  m.set(members.subarray(from, to));
  const s = column(Float64Array, to - from);
  s.set(starts.subarray(from, to));
  const e = ends === null ? null : column(Float64Array, to - from);
  e?.set(ends!.subarray(from, to));
  for (let i = 0; i < order.length; i++) {
    const o = order[i]! - from;
    members[from + i] = m[o]!;
    starts[from + i] = s[o]!;
    if (ends) ends[from + i] = e![o]!;
  }
  for (const copy of [order, m, s, e]) if (copy) releasedColumn(copy);
}

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
function workerOfCalled(nodes: NodeTable, n: Node, byRequest: NodeGroups): boolean {
  return (
    nodes.kind(n) === 'span' && (byRequest.get(nodes.requestNumber(n)) ?? []).some((m) => nodes.kind(m) === 'server')
  );
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

const NO_PARENT = -1;
const LINK_KINDS: readonly LinkKind[] = ['request-id', 'global-request-id', 'resource-uuid', 'time'];

/**
 * The links made, by node: its parent and how it was reached, and the order the links were made
 * in (the order a chain lists its members). A Map of a link object per node cost about 70 bytes
 * a node at the chains stage's peak; these columns cost 9.
 */
class Links {
  private parents: Int32Array;
  private kinds: Uint8Array;
  /** The linked nodes, in the order they were linked. */
  private order: Int32Array;
  private made = 0;

  constructor(private readonly size: number) {
    this.parents = column(Int32Array, size).fill(NO_PARENT);
    this.kinds = column(Uint8Array, size);
    this.order = column(Int32Array, size);
  }

  has(n: Node): boolean {
    return this.parents[n] !== NO_PARENT;
  }

  /** The parent of a linked node. */
  from(n: Node): Node {
    return this.parents[n]!;
  }

  kind(n: Node): LinkKind {
    return LINK_KINDS[this.kinds[n]!]!;
  }

  /** `to` under `from`, unless `to` has a parent already or is one of `from`'s ancestors. */
  link(from: Node, to: Node, kind: LinkKind): void {
    if (from === to || this.has(to) || this.isAncestor(to, from)) return;
    this.parents[to] = from;
    this.kinds[to] = LINK_KINDS.indexOf(kind);
    this.order[this.made++] = to;
  }

  /**
   * Nodes that are a parent and have none: in the order they were first linked under. A column:
   * a day of nova logs has hundreds of thousands of chains, 8 bytes each in an array.
   */
  roots(): Int32Array {
    const seen = column(Uint8Array, this.size);
    let count = 0;
    for (let k = 0; k < this.made; k++) {
      const from = this.parents[this.order[k]!]!;
      if (!seen[from] && !this.has(from)) count++;
      seen[from] = 1;
    }
    seen.fill(0);
    const roots = column(Int32Array, count);
    for (let k = 0, r = 0; k < this.made; k++) {
      const from = this.parents[this.order[k]!]!;
      if (!seen[from] && !this.has(from)) roots[r++] = from;
      seen[from] = 1;
    }
    releasedColumn(seen);
    return roots;
  }

  /** Each node's children, in the order they were linked. */
  children(): { forEach(n: Node, f: (child: Node) => void): void; release(): void } {
    // counted, summed to where each node's children end, then placed from the last link back,
    // each at its parent's end moved one back: that end becomes the parent's start (no column of
    // where each node's next child goes: 4 bytes a node at the stage's peak)
    let firsts = column(Int32Array, this.size + 2);
    for (let k = 0; k < this.made; k++) firsts[this.parents[this.order[k]!]! + 1]!++;
    for (let n = 0; n < this.size; n++) firsts[n + 1]! += firsts[n]!;
    let members = column(Int32Array, this.made);
    for (let k = this.made - 1; k >= 0; k--) {
      const to = this.order[k]!;
      members[--firsts[this.parents[to]! + 1]!] = to;
    }
    firsts[this.size + 1] = this.made;
    // node n's children: members[firsts[n + 1]] up to members[firsts[n + 2]]
    return {
      forEach(n, f) {
        for (let at = firsts[n + 1]!; at < firsts[n + 2]!; at++) f(members[at]!);
      },
      release() {
        firsts = releasedColumn(firsts);
        members = releasedColumn(members);
      },
    };
  }

  /** The chains are written: the links' memory goes back at once. */
  release(): void {
    this.parents = releasedColumn(this.parents);
    this.kinds = releasedColumn(this.kinds);
    this.order = releasedColumn(this.order);
  }

  private isAncestor(candidate: Node, of: Node): boolean {
    let cur = of;
    for (let guard = 0; cur !== NO_PARENT && guard < 10000; guard++) {
      if (cur === candidate) return true;
      cur = this.parents[cur]!;
    }
    return false;
  }
}
