// Which problems a run has: a command that failed or whose operation did not finish
// (its client flow, and the service-side flows its calls started), a service-side
// flow no client command started, and an operational error finding nothing else
// accounts for. Read from the flows and findings the earlier stages made.
import type { Analysis } from '../core/analysis.js';
import type { FlowResult } from '../model/flow-schema.js';
import type { Command, Exchange, Finding, RunResult } from '../model/schema.js';
import type { ServiceError } from '../model/service-schema.js';
import { bisectRight } from 'd3-array';
import { STEP_MESSAGES } from '../flows/replay.js';
import type { MarkedFailure } from '../flows/failure-steps.js';
import { defaultBudget, JsonStore } from '../rows/json-store.js';
import { rowsWhere, rowsWith, type Rows } from '../rows/rows.js';
import { own } from '../chain/own.js';
import { column, grownColumn } from '../core/columns.js';
import { RequestIds } from '../core/request-ids.js';
import { ALIKE_IDS, orphanAlikeKey, type AlikeIds } from './alike.js';

/** Rule groups whose error findings are about an operation going wrong (not hygiene: secrets, log shape, clocks). */
const OPERATION_GROUPS = new Set(['api', 'command', 'flow', 'http', 'known-bug', 'net']);

export function isOperationFinding(f: Finding): boolean {
  return f.severity === 'error' && OPERATION_GROUPS.has(groupOf(f));
}

/** A service's ERROR record no operation's story tells: a problem of its own, at any severity (a paste of one traceback). */
export const LOGGED_ERROR_RULE = 'service/error-logged';

/** Findings about the log itself, not about an operation: never linked to one by the ids they mention. */
const HYGIENE_GROUPS = new Set(['secret', 'log', 'time']);

function groupOf(f: Finding): string {
  return f.ruleId.split('/')[0]!;
}

/** Request ids and UUIDs: what a finding's message can name a problem by. */
const IDS = /^(req-)?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const IDS_IN_TEXT = /(?:req-)?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/** The request ids and resource UUIDs a flow names (a finding's message may name it by them). */
function idsOf(f: FlowResult): string[] {
  return [f.requestId, ...f.steps.map((st) => st.requestId), ...Object.values(f.captures ?? {})].filter(
    (id): id is string => typeof id === 'string' && IDS.test(id),
  );
}

/**
 * A place as the indexes key it. Line n of input i is the number n·inputs + i while that stays
 * below 2^30, a small integer V8 holds in the slot itself: a `source:line` string was ~60 bytes,
 * and the indexes of 16,000 findings (1 GB console log) held 61,000 of them. Any other place (a
 * source no input is, no line, a line past that) is its `source:line` string as before, a copy
 * of its own (a template's rope would hold the decoded row's copy of the input's name). A null
 * source is looked up as "null", as `${source}` made it: the keys meet exactly where the strings did.
 */
type PlaceKey = number | string;
type PlaceKeyOf = (source: string | null, line: number | null) => PlaceKey;

const SMALL_INTEGERS = 2 ** 30;

function placeKeys(inputs: readonly { name: string }[]): PlaceKeyOf {
  const count = inputs.length;
  const numberOf = new Map(inputs.map((input, i) => [input.name, i]));
  return (source, line) => {
    const input = numberOf.get(String(source));
    if (input !== undefined && line !== null && Number.isInteger(line) && line >= 0) {
      const key = line * count + input;
      if (key < SMALL_INTEGERS) return key;
    }
    return own(`${source}:${line}`);
  };
}

/**
 * What the findings are located at or name, each numbered as first seen: the problems' indexes
 * (Owners) keep only these, the only keys a finding asks them for. Keyed by every call, place and
 * id of every problem's flows, they held 49,000 places and 43,000 ids at 16,000 findings (1 GB
 * console log), where the findings have 12,300 of each.
 */
class FindingLocations {
  readonly exchanges = new Map<number, number>();
  readonly places = new Map<PlaceKey, number>();
  readonly ids = new Map<string, number>();

  constructor(
    findings: Iterable<Finding>,
    readonly placeKey: PlaceKeyOf,
  ) {
    for (const f of findings) {
      if (f.exchange !== null) numbered(this.exchanges, f.exchange);
      numbered(this.places, placeKey(f.source, f.line));
      // An id matched in a message is a view of the whole message: the key is a copy of its own.
      for (const id of f.message.match(IDS_IN_TEXT) ?? []) if (!this.ids.has(id)) numbered(this.ids, own(id));
    }
  }
}

function numbered<K>(numbers: Map<K, number>, key: K): void {
  if (!numbers.has(key)) numbers.set(key, numbers.size);
}

/**
 * The problem each of a finding's calls, places or ids is the first one's of: a slot per key the
 * findings have (FindingLocations), not a map entry per key every problem has.
 */
class Owners<K> {
  private readonly owners: Array<Problem | undefined>;

  constructor(private readonly numbers: ReadonlyMap<K, number>) {
    this.owners = new Array<Problem | undefined>(numbers.size).fill(undefined);
  }

  /** `p` is the owner of `key` unless an earlier problem is (a key no finding has is not kept). */
  claim(key: K, p: Problem): void {
    const n = this.numbers.get(key);
    if (n !== undefined && this.owners[n] === undefined) this.owners[n] = p;
  }

  get(key: K): Problem | undefined {
    const n = this.numbers.get(key);
    return n === undefined ? undefined : this.owners[n];
  }

  has(key: K): boolean {
    return this.get(key) !== undefined;
  }
}

/** The services whose logs were given. */
function logsGiven(result: RunResult): Set<string> {
  const out = new Set<string>();
  for (const input of result.inputs) if (input.service != null) out.add(input.service);
  return out;
}

interface OrphanEntry {
  /** The problem, or null when an alike operation's story tells it. */
  problem: Problem | null;
  /** Its flow while findings can be at it (as the owner of their places), else none. */
  flows: readonly FlowResult[];
  seq: number;
  order: [number, number];
  requestId: string | null;
}

/**
 * The unfinished flows no command started, as they stream: of the operations that went
 * the same way (alike.ts) only the first in log order is kept whole; the others are a
 * request id and a place each, and their flow only where a finding is.
 */
class AlikeOperations {
  private readonly entries: OrphanEntry[] = [];
  private readonly firstOf = new Map<string, AlikeGroup>();
  private seq = 0;

  constructor(
    private readonly findingAt: FindingLocations,
    private readonly logs: Set<string>,
    private readonly placeOf: (f: FlowResult) => [number, number],
  ) {}

  add(f: FlowResult): void {
    const order = this.placeOf(f);
    const entry: OrphanEntry = {
      problem: { command: null, flows: [f], findings: [], stray: null, order },
      flows: [f],
      seq: this.seq++,
      order,
      requestId: f.requestId,
    };
    const key = orphanAlikeKey(f, this.logs);
    if (key === null) {
      this.entries.push(entry);
      return;
    }
    const group = this.firstOf.get(key);
    if (!group) {
      this.firstOf.set(key, new AlikeGroup(entry));
      this.entries.push(entry);
      return;
    }
    if (compareOrder(entry, group.first) < 0) {
      this.drop(group.first);
      group.other(group.first);
      group.first = entry;
      this.entries.push(entry);
      return;
    }
    this.drop(entry);
    group.other(entry);
    if (entry.flows.length > 0) this.entries.push(entry);
  }

  /** The entries in the order the flows came; each first one with its alike request ids, in log order. */
  end(): OrphanEntry[] {
    for (const group of this.firstOf.values()) if (group.count > 0) group.first.problem!.alike = group.told();
    this.firstOf.clear();
    return this.entries.filter((e) => e.problem !== null || e.flows.length > 0);
  }

  private drop(entry: OrphanEntry): void {
    entry.problem = null;
    const f = entry.flows[0]!;
    const at = this.findingAt;
    const sink = { command: null, flows: [], findings: [], stray: null, order: entry.order } satisfies Problem;
    const where = locations(sink, entry.flows, at.placeKey);
    const found =
      [...where.exchanges].some((x) => at.exchanges.has(x)) ||
      [...where.places].some((pl) => at.places.has(pl)) ||
      idsOf(f).some((id) => at.ids.has(id));
    if (!found) entry.flows = [];
  }
}

/**
 * The first of alike operations and what its story tells of the others: their count and the
 * earliest of their request ids (as many as a story lists, and one more), not every entry.
 */
class AlikeGroup {
  count = 0;
  /** The others with a request id, in log order, at most ALIKE_IDS + 1. */
  private readonly earliest: OrphanEntry[] = [];

  constructor(public first: OrphanEntry) {}

  other(entry: OrphanEntry): void {
    this.count++;
    if (!entry.requestId) return;
    const list = this.earliest;
    let at = list.length;
    while (at > 0 && compareOrder(entry, list[at - 1]!) < 0) at--;
    if (at > ALIKE_IDS) return;
    list.splice(at, 0, entry);
    if (list.length > ALIKE_IDS + 1) list.pop();
  }

  told(): AlikeIds {
    return { count: this.count, ids: this.earliest.map((o) => o.requestId!) };
  }
}

function compareOrder(a: OrphanEntry, b: OrphanEntry): number {
  return a.order[0] - b.order[0] || a.order[1] - b.order[1] || a.seq - b.seq;
}

export interface Problem {
  command: Command | null;
  /** The client flow(s) of the command, then the service-side flows its calls started. */
  flows: FlowResult[];
  /** Findings located on one of its exchanges or steps. */
  findings: Finding[];
  /** An operational finding no command or flow accounts for. */
  stray: Finding | null;
  /** Where it starts, for ordering: input order, then line. */
  order: [number, number];
  /** The operations no command started that went the same way (alike.ts): its story tells them. */
  alike?: AlikeIds;
}

/** An exchange row's id, as JSON.stringify writes the row (id first). */
/** A spilled exchange row's head: its id and its source as a JSON string (Exchange's first two keys). */
const ROW_ID = /^\{"id":(\d+),"source":("(?:[^"\\]|\\.)*")/;
/** A command row's id, at its head (`Command` starts with it). */
const COMMAND_ID = /^\{"id":(\d+),/;

/**
 * The input of each server-side exchange, as runs of consecutive ids: server exchanges are
 * numbered input by input, so a day of service logs is a few runs, not a map entry per call.
 * Names are the inputs' own strings: one cut from a spilled row would hold its whole chunk.
 */
export class ServerSources {
  private readonly firstIds: number[] = [];
  private readonly lastIds: number[] = [];
  private readonly sources: string[] = [];
  private readonly names: Map<string, string>;

  constructor(inputNames: readonly string[]) {
    this.names = new Map(inputNames.map((n) => [n, n]));
  }

  /** Ids come in increasing order (the exchange list's); a run holds consecutive ids only, so no client call falls inside one. */
  add(id: number, source: string): void {
    const name = this.names.get(source) ?? source;
    const last = this.sources.length - 1;
    if (last >= 0 && this.sources[last] === name && this.lastIds[last] === id - 1) {
      this.lastIds[last] = id;
      return;
    }
    this.firstIds.push(id);
    this.lastIds.push(id);
    this.sources.push(name);
  }

  /** The input of server exchange `id`, if it is one. */
  get(id: number): string | undefined {
    const i = bisectRight(this.firstIds, id) - 1;
    return i >= 0 && id <= this.lastIds[i]! ? this.sources[i] : undefined;
  }
}

/** A call that showed a volume's status: where, and what it showed. */
export interface VolumeRead {
  id: number;
  source: string;
  line: number;
  resource: NonNullable<Exchange['resource']>;
}

/** What the problems need to read: exchanges by id (client ones only when a problem names them). */
export interface RunIndex {
  /** The exchanges the stories name (held to a budget, then read back from a file: a day's failures name tens of thousands). */
  exchanges: Pick<JsonStore<Exchange>, 'get'>;
  /** The input of every server-side exchange (a chain's calls, named in a story's grep hints). */
  serverSources: ServerSources;
  /** Client exchanges that showed one volume's status, in log order, by volume id and by name (`name:…`). */
  volumeReads: Map<string, VolumeRead[]>;
  inputOrder: Map<string, number>;
  /** The ERROR records the run's logged-error problems are about, by `source:line`. */
  loggedErrors: Map<string, ServiceError>;
  /** The calls those records quoted the answer of, by the record's `source:line`. */
  recordCalls: Map<string, RecordCall>;
  /** The run's flows' failure steps by the marker that reads them off a log line (null: two steps share it). */
  failures: ReadonlyMap<string, MarkedFailure | null>;
}

function unfinished(f: FlowResult): boolean {
  return f.verdict !== 'complete';
}

/**
 * The flows of each command: its client flows, then the service-side flows its calls
 * started (their global request id is the request id of one of its calls); the
 * service-side flows no command started are orphans.
 */
export function flowsByCommand(
  result: RunResult,
  /**
   * Which orphans to keep, what to keep of each flow (the flow results are read as they
   * stream), and of which commands: given, only the flows of those commands and of the
   * commands with an unfinished flow are kept (a day of clean commands holds none).
   */
  keep: {
    /** Which orphans to keep: all (the default), or only the unfinished ones. */
    orphans?: 'all' | 'unfinished';
    shape?: (f: FlowResult) => FlowResult;
    commands?: ReadonlySet<number>;
    /** Given: each orphan is handed to it as it is read, instead of being collected. */
    onOrphan?: (f: FlowResult) => void;
    /** Given: each flow of a kept command is handed to it as it is read, instead of being collected. */
    onCommandFlow?: (command: number, f: FlowResult) => void;
    /** The shape drops the steps' messages: a spilled row's are not decoded. */
    withoutMessages?: boolean;
  } = {},
): {
  flowsOfCommand: Map<number, FlowResult[]>;
  orphanFlows: FlowResult[];
} {
  const shape = keep.shape ?? ((f: FlowResult) => f);
  // Which command each request id belongs to: one pass over the client exchanges, made only
  // when a service-side flow asks (a client log alone has none, and its rows may live on disk).
  let requestCommands: CommandsByRequestId | null = null;
  const commandOfRequest = (id: string): number | undefined => {
    if (requestCommands === null) {
      const made = new CommandsByRequestId();
      // Only the client's rows are decoded: a day of service logs has no client call at all.
      for (const e of rowsWith(result.exchanges, '"side":"client"', (x) => x.side === 'client' && x.command !== null)) {
        if (e.command === null) continue;
        if (e.requestId) made.set(e.requestId, e.command);
        if (e.globalRequestId) made.set(e.globalRequestId, e.command);
      }
      requestCommands = made;
    }
    return requestCommands.get(id);
  };
  const commandOfFlow = (f: FlowResult) =>
    f.command ?? (f.requestId !== null ? commandOfRequest(f.requestId) : undefined);
  let kept: ReadonlySet<number> | null = null;
  if (keep.commands) {
    // A first pass finds the commands with an unfinished flow: their finished flows are part of their story too.
    const commands = new Set(keep.commands);
    // Only the unfinished rows are decoded: a spilled list finds them by their verdict's bytes.
    // A run without commands (service logs alone) has no flow of a command to find.
    if (result.commands.length > 0)
      for (const verdict of ['incomplete', 'failed'] as const)
        for (const f of rowsWith(result.flows, `"verdict":"${verdict}"`, (row) => row.verdict === verdict)) {
          const command = commandOfFlow(f);
          if (command !== undefined) commands.add(command);
        }
    kept = commands;
  }
  const flowsOfCommand = new Map<number, FlowResult[]>();
  const orphanFlows: FlowResult[] = [];
  const add = (id: number, f: FlowResult) => {
    const list = flowsOfCommand.get(id) ?? [];
    list.push(f);
    flowsOfCommand.set(id, list);
  };
  const unfinishedOnly = keep.orphans === 'unfinished';
  // No command keeps its finished flows and no finished orphan is wanted: the finished rows
  // (a day of clean operations) are skipped by their verdict's bytes, not decoded.
  const unread = keep.withoutMessages === true ? STEP_MESSAGES : undefined;
  const rows =
    unfinishedOnly && kept !== null && kept.size === 0
      ? withoutFinished(result.flows, keep.withoutMessages === true)
      : kept !== null
        ? // A spilled row of a command no story is about (a day of clean commands) is not decoded.
          rowsWhere(
            result.flows,
            (json) => keptCommand(json, kept),
            () => true,
            unread,
          )
        : result.flows;
  for (const f of rows) {
    const command = commandOfFlow(f);
    if (command !== undefined) {
      if (kept !== null && !kept.has(command)) continue;
      if (keep.onCommandFlow) keep.onCommandFlow(command, shape(f));
      else add(command, shape(f));
    } else if (!unfinishedOnly || unfinished(f)) {
      if (keep.onOrphan) keep.onOrphan(shape(f));
      else orphanFlows.push(shape(f));
    }
  }
  for (const list of flowsOfCommand.values())
    list.sort((a, b) => Number(a.command === null) - Number(b.command === null));
  return { flowsOfCommand, orphanFlows };
}

/**
 * The command of each client call's request id (and global id), the later call's where two
 * share one, as `Map.set` would keep it. Ids are numbers of a `RequestIds` (16 bytes a
 * `req-<uuid>`), commands a column by that number: a Map of every client call's id string
 * (~100 bytes each) was what a multi-service run's explain and diff held of its client calls.
 */
class CommandsByRequestId {
  private readonly ids = new RequestIds();
  private commands = column(Int32Array, 1024);

  set(id: string, command: number): void {
    const n = this.ids.intern(id);
    if (n >= this.commands.length) this.commands = grownColumn(this.commands, Math.max(2 * n, 1024));
    this.commands[n] = command;
  }

  get(id: string): number | undefined {
    const n = this.ids.find(id);
    return n < 0 ? undefined : this.commands[n];
  }
}

/** The `"command":` a flow result's JSON row names (replay.ts writes it before its steps). */
const COMMAND_KEY = '"command":';

/**
 * Whether a flow result's row may be of a command in `kept`: its command is one, or null (the
 * command of a service-side flow is that of its request id's call, known once it is decoded).
 */
function keptCommand(json: string, kept: ReadonlySet<number>): boolean {
  const at = json.indexOf(COMMAND_KEY);
  if (at < 0) return true;
  const n = Number.parseInt(json.slice(at + COMMAND_KEY.length, at + COMMAND_KEY.length + 16), 10);
  return Number.isNaN(n) || kept.has(n);
}

/** The flow results that are not complete, in order; a spilled list's complete rows are not decoded. */
function* withoutFinished(flows: RunResult['flows'], withoutMessages: boolean): Generator<FlowResult> {
  // A row has one verdict, and a JSON string value cannot hold its unescaped quotes: a
  // spilled complete row is passed over in the bytes, undecoded. The steps' messages (most
  // of a row's text, and its only non-ASCII) are null in the text decoded when unread.
  const lines = flows.jsonRowsWithAny?.(
    ['"verdict":"'],
    '"verdict":"complete"',
    withoutMessages ? STEP_MESSAGES : undefined,
  );
  if (!lines) {
    for (const f of flows) if (unfinished(f)) yield f;
    return;
  }
  for (const line of lines) yield JSON.parse(line) as FlowResult;
}

/**
 * What a story reads of a flow result: its steps without their messages (the findings tell
 * those), the steps' recurring names as one copy each. A day of nova logs without cinder's
 * has thousands of unfinished operations, all held until their stories are made.
 */
function storyShape(): (f: FlowResult) => FlowResult {
  const copies = new Map<string, string>();
  const one = <T extends string | null | undefined>(s: T): T => {
    if (typeof s !== 'string') return s;
    const had = copies.get(s);
    if (had !== undefined) return had as T;
    if (copies.size < 10_000) copies.set(s, s);
    return s;
  };
  return (f) => ({
    ...f,
    steps: f.steps.map((s) => ({
      ...s,
      step: one(s.step),
      observer: one(s.observer),
      title: one(s.title),
      call: one(s.call),
      after: one(s.after),
      source: one(s.source),
      message: null,
    })),
  });
}

/** Characters of the exchanges stories name held as objects before they are written out (~1,500 calls). */
const NAMED_EXCHANGES_BUDGET = 1 << 20;

/** Characters of problems' commands and flows held as objects before they are written out. */
const PARKED_BUDGET = 1 << 20;

/**
 * The commands and flows of problems, written out as each problem is made once they pass a
 * budget (a day's console log has thousands of failed commands, each a few KB of flow steps):
 * a problem reads its own back when a pass or its story asks, and only the last one read is
 * held. Below the budget a problem keeps its own objects. Its findings are kept as their
 * places in the run's list (itself on disk in a long run) and read back the same way.
 */
class ParkedBodies {
  /** The places of each parked problem's findings in the run's list, in the order attached. */
  private readonly findingPlaces = new WeakMap<Problem, number[]>();
  private lastFindingsKey = -1;
  private lastFindings: Finding[] = [];

  constructor(private readonly findings: Rows<Finding>) {}

  /** `f`, at `place` in the run's findings, is one of `p`'s. */
  attach(p: Problem, f: Finding, place: number): void {
    const places = this.findingPlaces.get(p);
    if (places) places.push(place);
    else p.findings.push(f);
  }

  private readonly store = new JsonStore<Pick<Problem, 'command' | 'flows'>>(
    (b) => 256 + (b.command?.argv.length ?? 0) * 32 + b.flows.reduce((n, f) => n + 512 + f.steps.length * 320, 0),
    Math.min(PARKED_BUDGET, defaultBudget()),
  );
  private lastKey = -1;
  private last: Pick<Problem, 'command' | 'flows'> | undefined;

  park(p: Problem): Problem {
    const key = this.store.size;
    this.store.set(key, { command: p.command, flows: p.flows });
    const body = () => {
      if (this.lastKey !== key) {
        this.last = this.store.get(key);
        this.lastKey = key;
      }
      return this.last!;
    };
    const places = p.findings.length === 0 ? [] : null;
    Object.defineProperty(p, 'command', { get: () => body().command, enumerable: true });
    Object.defineProperty(p, 'flows', { get: () => body().flows, enumerable: true });
    if (places !== null) {
      this.findingPlaces.set(p, places);
      Object.defineProperty(p, 'findings', {
        get: () => {
          if (this.lastFindingsKey !== key) {
            this.lastFindings = places.map((i) => this.findings.at(i)!);
            this.lastFindingsKey = key;
          }
          return this.lastFindings;
        },
        enumerable: true,
      });
    }
    return p;
  }

  get inMemory(): number {
    return this.store.inMemory;
  }

  dispose(): void {
    this.store.dispose();
    this.last = undefined;
    this.lastKey = -1;
    this.lastFindings = [];
    this.lastFindingsKey = -1;
  }
}

/**
 * The flows of the commands stories may be about, as flowsByCommand reads them: past a budget
 * written out (a day's console log has thousands of failed commands) and read back per command,
 * its client flows first, then the service-side flows its calls started.
 */
class CommandFlows {
  private readonly store = new JsonStore<FlowResult>(
    (f) => 512 + f.steps.length * 320,
    Math.min(PARKED_BUDGET, defaultBudget()),
  );
  private readonly places = new Map<number, number[]>();

  add(command: number, f: FlowResult): void {
    const at = this.store.size;
    this.store.set(at, f);
    const list = this.places.get(command);
    if (list) list.push(at);
    else this.places.set(command, [at]);
  }

  has(command: number): boolean {
    return this.places.has(command);
  }

  get(command: number): FlowResult[] {
    const flows = (this.places.get(command) ?? []).map((at) => this.store.get(at)!);
    return flows.sort((a, b) => Number(a.command === null) - Number(b.command === null));
  }

  /** The command's flows are a problem's now. */
  forget(command: number): void {
    this.places.delete(command);
  }

  get inMemory(): number {
    return this.store.inMemory;
  }

  dispose(): void {
    this.store.dispose();
    this.places.clear();
  }
}

/** The problems of a run, in log order, and the exchanges they name. */
export function findProblems(
  analysis: Analysis,
  failures: ReadonlyMap<string, MarkedFailure | null> = new Map(),
): {
  problems: Problem[];
  index: RunIndex;
  /** Close the files of the index and the parked problems once the stories are made. */
  dispose: () => void;
  /** Calls, problems' bodies and flows held as objects, not parked (what a long run must not hold). */
  heldInMemory: () => number;
} {
  const { result } = analysis;
  const inputOrder = new Map(result.inputs.map((input, i) => [input.name, i]));
  // Where the findings are: the problems' indexes below hold these only, and an alike operation's
  // flow is kept (as a place findings go to and are not told, like its story) only when a finding is there.
  const findingAt = new FindingLocations(result.findings, placeKeys(result.inputs));
  const placeKey = findingAt.placeKey;
  const findingCalls = findingAt.exchanges;
  // The commands a story can be about without an unfinished flow: a failed exit, or a finding on one of its calls.
  const storyCommands = new Set<number>();
  for (const c of result.commands)
    if ((c.exitCode !== null && c.exitCode !== 0) || c.exchanges.some((x) => findingCalls.has(x)))
      storyCommands.add(c.id);
  const problems: Problem[] = [];
  const place = (source: string | null | undefined, line: number | null | undefined): [number, number] => [
    inputOrder.get(source ?? '') ?? Number.MAX_SAFE_INTEGER,
    line ?? 0,
  ];
  const alike = new AlikeOperations(findingAt, logsGiven(result), (f) => place(f.source, f.line));
  const flowsOfCommand = new CommandFlows();
  flowsByCommand(result, {
    orphans: 'unfinished',
    shape: storyShape(),
    commands: storyCommands,
    onOrphan: (f) => alike.add(f),
    onCommandFlow: (command, f) => flowsOfCommand.add(command, f),
    withoutMessages: true,
  });
  // Only a command with a failed exit or a flow is a problem: a spilled row of another is not decoded.
  const candidates = (json: string) => {
    const id = COMMAND_ID.exec(json);
    return id === null || storyCommands.has(Number(id[1])) || flowsOfCommand.has(Number(id[1]));
  };
  const parked = new ParkedBodies(result.findings);
  for (const c of rowsWhere(result.commands, candidates, () => true)) {
    const flows = flowsOfCommand.get(c.id);
    const failedExit = c.exitCode !== null && c.exitCode !== 0;
    if (!failedExit && !flows.some(unfinished)) continue;
    // Its flows are the problem's now: a stray finding's command (below) is never a problem's.
    flowsOfCommand.forget(c.id);
    problems.push(parked.park({ command: c, flows, findings: [], stray: null, order: place(c.source, c.line) }));
  }
  // Owners of places and ids in the order the problems were made: the first one's they are.
  // A problem's own flows are read from it when needed (they may be parked), not held here.
  const owners: Array<{ problem: Problem; flows?: readonly FlowResult[] }> = problems.map((p) => ({ problem: p }));
  // Where the findings of an operation an alike one's story tells go: they are not told either.
  const sink: Problem = { command: null, flows: [], findings: [], stray: null, order: [Number.MAX_SAFE_INTEGER, 0] };
  for (const o of alike.end()) {
    if (o.problem !== null) problems.push(o.problem);
    owners.push({ problem: o.problem ?? sink, flows: o.flows });
  }

  // Findings: each goes to the problem it is about. An operational one about nothing else
  // makes its command a problem (a call that failed in a command with no END line), or
  // stands alone; two rules about one call (http/server-error, known-bug/…) make one problem.
  const byExchange = new Owners(findingAt.exchanges);
  const byPlace = new Owners(findingAt.places);
  const index = (p: Problem, flows: readonly FlowResult[] = p.flows) => {
    const at = locations(p, flows, placeKey);
    for (const x of at.exchanges) byExchange.claim(x, p);
    for (const pl of at.places) byPlace.claim(pl, p);
  };
  for (const o of owners) index(o.problem, o.flows ?? o.problem.flows);
  const byId = new Owners(findingAt.ids);
  for (const o of owners)
    for (const f of o.flows ?? o.problem.flows) for (const id of idsOf(f)) byId.claim(id, o.problem);
  const problemNamedBy = (message: string): Problem | undefined => {
    for (const id of message.match(IDS_IN_TEXT) ?? []) {
      const p = byId.get(id);
      if (p) return p;
    }
    return undefined;
  };
  // The command of a finding's call, for the calls of findings no problem owns (not every call of the run).
  const unowned = new Set<number>();
  // A finding of no call at a command's own line (command/failed of a run without --debug) is that command's.
  const unownedPlaces = new Set<PlaceKey>();
  for (const f of result.findings)
    if (f.exchange === null && f.source !== null && !byPlace.has(placeKey(f.source, f.line)))
      unownedPlaces.add(placeKey(f.source, f.line));
  const commandAt = new Map<PlaceKey, Command>();
  for (const f of result.findings)
    if (f.exchange !== null && !byExchange.has(f.exchange) && !byPlace.has(placeKey(f.source, f.line)))
      unowned.add(f.exchange);
  const commandOfExchange = new Map<number, Command>();
  if (unowned.size > 0 || unownedPlaces.size > 0)
    for (const c of result.commands) {
      for (const x of c.exchanges) if (unowned.has(x)) commandOfExchange.set(x, c);
      if (unownedPlaces.has(placeKey(c.source, c.line))) commandAt.set(placeKey(c.source, c.line), c);
    }
  // A service's ERROR record about a call whose answer a finding in the callee's log tells (nova-compute's
  // `Update attachment failed … (HTTP 500)` beside cinder-api's 500): one failed call, one problem.
  const callsOfRecords = recordCalls(result);
  const deferred: Array<{ finding: Finding; at: number; callee: number }> = [];
  let at = -1;
  for (const f of result.findings) {
    at++;
    const owner =
      (f.exchange !== null ? byExchange.get(f.exchange) : undefined) ?? byPlace.get(placeKey(f.source, f.line));
    if (owner) {
      parked.attach(owner, f, at);
      continue;
    }
    const callee = f.ruleId === LOGGED_ERROR_RULE ? callsOfRecords.get(`${f.source}:${f.line}`)?.callee : undefined;
    if (callee != null && findingCalls.has(callee)) {
      deferred.push({ finding: f, at, callee });
      continue;
    }
    const command =
      f.exchange !== null
        ? (commandOfExchange.get(f.exchange) ?? null)
        : (commandAt.get(placeKey(f.source, f.line)) ?? null);
    // A finding of no call that names a problem's request id or resource (a rule linking a
    // failure to the earlier operation that caused it) belongs to that problem's story.
    const named = command === null && !HYGIENE_GROUPS.has(groupOf(f)) ? problemNamedBy(f.message) : undefined;
    if (named) {
      parked.attach(named, f, at);
      continue;
    }
    if (!isOperationFinding(f) && f.ruleId !== LOGGED_ERROR_RULE) continue;
    const p: Problem = command
      ? parked.park({
          command,
          flows: flowsOfCommand.get(command.id),
          findings: [],
          stray: f,
          order: place(command.source, command.line),
        })
      : { command: null, flows: [], findings: [], stray: f, order: place(f.source, f.line) };
    parked.attach(p, f, at);
    problems.push(p);
    index(p);
    // A later finding may name this one's operation by its ids (nova's record of the same request).
    for (const fl of p.flows) for (const id of idsOf(fl)) byId.claim(id, p);
  }
  for (const { finding, at: told, callee } of deferred) {
    const owner = byExchange.get(callee);
    if (owner) parked.attach(owner, finding, told);
    else {
      const p: Problem = {
        command: null,
        flows: [],
        findings: [finding],
        stray: finding,
        order: place(finding.source, finding.line),
      };
      problems.push(p);
      index(p);
    }
  }
  problems.sort((a, b) => a.order[0] - b.order[0] || a.order[1] - b.order[1]);

  // The exchanges the stories name, and every status read of a resource.
  const wanted = new Set<number>();
  // The volumes the stories can name (their flows' captures): only their status reads are kept, slim.
  const volumes = new Set<string>();
  for (const p of problems) {
    for (const id of p.command?.exchanges ?? []) wanted.add(id);
    for (const f of p.flows) {
      for (const s of f.steps) if (s.exchange !== null) wanted.add(s.exchange);
      const v = f.captures?.volume;
      if (v !== undefined) volumes.add(v).add(`name:${v}`);
    }
    if (p.stray?.exchange != null) wanted.add(p.stray.exchange);
    for (const f of p.findings) if (f.exchange !== null) wanted.add(f.exchange);
  }
  const exchanges = new JsonStore<Exchange>(charsOfExchange, Math.min(NAMED_EXCHANGES_BUDGET, defaultBudget()));
  const volumeReads = new Map<string, VolumeRead[]>();
  const read = (key: string | null, e: Exchange) => {
    if (key === null || !volumes.has(key)) return;
    const list = volumeReads.get(key) ?? [];
    list.push({ id: e.id, source: e.source, line: e.line, resource: e.resource! });
    volumeReads.set(key, list);
  };
  const serverSources = new ServerSources(result.inputs.map((i) => i.name));
  const take = (e: Exchange) => {
    if (wanted.has(e.id)) exchanges.set(e.id, e);
    if (e.side === 'server') serverSources.add(e.id, e.source);
    if (e.resource?.type !== 'volume') return;
    read(e.resource.id, e);
    // A name is a key only when it is not also an id (names and UUIDs do not mix).
    if (e.resource.name !== e.resource.id) read(`name:${e.resource.name}`, e);
  };
  if (problems.length > 0) {
    // The run's rows may live on disk as JSON lines: a line is decoded only when it is a wanted
    // call, a server's call or a read of a volume a story names (not every client call of a day).
    // Picked from the bytes: a day's other client calls are not even made strings.
    const lines =
      result.exchanges.jsonRowsPicked?.((bytes, start, end) => mayBeNeeded(bytes, start, end, wanted)) ??
      result.exchanges.jsonRows?.();
    if (lines)
      for (const line of lines) {
        const id = ROW_ID.exec(line);
        const needed = id === null || wanted.has(Number(id[1])) || readsVolumeOf(line, volumes);
        if (needed) take(JSON.parse(line) as Exchange);
        else if (line.includes('"side":"server"')) {
          // Of a server's call only its input is read: from the row's head, without decoding it.
          serverSources.add(Number(id[1]), JSON.parse(id[2]!) as string);
        }
      }
    else for (const e of result.exchanges) take(e);
  }
  const loggedErrors = new Map<string, ServiceError>();
  const strayRecords = new Set(
    problems.filter((p) => p.stray?.ruleId === LOGGED_ERROR_RULE).map((p) => `${p.stray!.source}:${p.stray!.line}`),
  );
  for (const e of result.serviceErrors ?? [])
    if (strayRecords.has(`${e.source}:${e.line}`)) loggedErrors.set(`${e.source}:${e.line}`, e);
  return {
    problems,
    index: { exchanges, serverSources, volumeReads, inputOrder, loggedErrors, recordCalls: callsOfRecords, failures },
    // Made outside this scope: a closure here would keep every index above alive with it.
    dispose: disposerOf(exchanges, parked, flowsOfCommand),
    heldInMemory: heldBy(exchanges, parked, flowsOfCommand),
  };
}

const ROW_HEAD = Buffer.from('{"id":');
const VOLUME_TYPE = Buffer.from('"type":"volume"');
const SERVER_SIDE = Buffer.from('"side":"server"');

/**
 * Whether an exchange row's bytes may be one the stories need: a wanted call (its id at the
 * row's head), a read of a volume, a server's call (whose input is read), or a row of another shape.
 */
function mayBeNeeded(bytes: Buffer, start: number, end: number, wanted: ReadonlySet<number>): boolean {
  if (
    end - start < ROW_HEAD.length ||
    bytes.compare(ROW_HEAD, 0, ROW_HEAD.length, start, start + ROW_HEAD.length) !== 0
  )
    return true;
  let id = 0;
  let at = start + ROW_HEAD.length;
  for (; at < end && bytes[at]! >= 0x30 && bytes[at]! <= 0x39; at++) id = id * 10 + bytes[at]! - 0x30;
  if (at === start + ROW_HEAD.length || wanted.has(id)) return true;
  const row = bytes.subarray(start, end);
  return row.indexOf(VOLUME_TYPE) >= 0 || row.indexOf(SERVER_SIDE) >= 0;
}

/** A read's resource as an exchange row writes it (resourceOf: type, id and name first). */
const VOLUME_RESOURCE = /"resource":\{"type":"volume","id":("(?:[^"\\]|\\.)*"|null),"name":("(?:[^"\\]|\\.)*"|null)/;

/**
 * Whether an exchange row may be a read of one of `volumes` (ids, and names as `name:…`), told
 * from its text: the resource's id and name are looked up, where every volume was searched for
 * in every volume read (thousands of failed commands, each naming a volume of its own, against
 * a day of volume reads). A row whose resource is written otherwise is decoded to be sure.
 */
function readsVolumeOf(line: string, volumes: ReadonlySet<string>): boolean {
  if (!line.includes('"type":"volume"')) return false;
  const m = VOLUME_RESOURCE.exec(line);
  if (m === null) return true;
  const id = JSON.parse(m[1]!) as string | null;
  const name = JSON.parse(m[2]!) as string | null;
  return (id !== null && volumes.has(id)) || (name !== null && name !== id && volumes.has(`name:${name}`));
}

function heldBy(...stores: Array<{ readonly inMemory: number }>): () => number {
  return () => stores.reduce((n, s) => n + s.inMemory, 0);
}

function disposerOf(...stores: Array<{ dispose(): void }>): () => void {
  return () => {
    for (const s of stores) s.dispose();
  };
}

/** What an exchange costs against the store's budget: about its JSON's length (its URL and error text vary). */
function charsOfExchange(e: Exchange): number {
  return 512 + 2 * (e.url?.length ?? 0) + (e.error?.message?.length ?? 0);
}

/**
 * `source:line` of each service ERROR record → the call it quoted the answer of (Exchange.caller,
 * seen in an error text: `(HTTP 500) (Request-ID: req-…)`), and that call's server exchange in
 * the callee's log when a chain links them by its request id. Only such calls' rows are decoded.
 */
function recordCalls(result: RunResult): Map<string, RecordCall> {
  const out = new Map<string, RecordCall>();
  const records = result.serviceErrors ?? [];
  if (records.length === 0) return out;
  const bySource = new Map<string, Exchange[]>();
  for (const e of rowsWith(result.exchanges, '"seen":"error-text"', (x) => x.caller?.seen === 'error-text')) {
    const list = bySource.get(e.source) ?? [];
    list.push(e);
    bySource.set(e.source, list);
  }
  if (bySource.size === 0) return out;
  const callees = new Map<number, number>();
  for (const chain of result.chains)
    for (const link of chain.links)
      if (link.kind === 'request-id' && link.from[0] === 'x' && link.to[0] === 'x')
        callees.set(Number(link.from.slice(1)), Number(link.to.slice(1)));
  for (const r of records) {
    const call = bySource.get(r.source)?.find((c) => c.line >= r.line && c.line <= r.endLine);
    if (call) out.set(`${r.source}:${r.line}`, { call, callee: callees.get(call.id) ?? null });
  }
  return out;
}

/** A call a service's ERROR record quoted the answer of, and its server exchange in the callee's log (null: not given). */
export interface RecordCall {
  call: Exchange;
  callee: number | null;
}

interface Locations {
  exchanges: Set<number>;
  places: Set<PlaceKey>;
}

function locations(p: Problem, flows: readonly FlowResult[], placeKey: PlaceKeyOf): Locations {
  const exchanges = new Set<number>(p.command?.exchanges ?? []);
  const places = new Set<PlaceKey>();
  if (p.stray?.exchange != null) exchanges.add(p.stray.exchange);
  if (p.command) places.add(placeKey(p.command.source, p.command.line));
  for (const f of flows)
    for (const s of f.steps) {
      if (s.exchange !== null) exchanges.add(s.exchange);
      if (s.source !== null && s.line !== null) places.add(placeKey(s.source, s.line));
    }
  return { exchanges, places };
}
