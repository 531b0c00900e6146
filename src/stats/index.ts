// The timing statistics stage: per service, per endpoint template and per command
// (count, errors, min/p50/p90/p95/p99/max/total with d3-array), the slowest exchanges,
// client/server pairs by request id (network + queueing gap) and the critical path
// of each chain. Reporters only render what this writes into `result.stats`.
import type { Analysis } from '../core/analysis.js';
import type { Exchange, RunResult } from '../model/schema.js';
import type {
  CommandStat,
  CriticalPath,
  EndpointStat,
  ServerPair,
  ServiceStat,
  SlowExchange,
  Stats,
} from '../model/stats-schema.js';
import { defaultBudget, JsonStore } from '../rows/json-store.js';
import { forEachCommand } from '../rows/by-command.js';
import type { Rows } from '../rows/rows.js';
import { SpillList } from '../rows/spill-list.js';
import { criticalPathOf } from './critical-path.js';
import { Digest } from './digest.js';
import { ExchangeFactTable } from './exchange-facts.js';
import { ChainExchanges, FamilyBuilder, familyLookup, joinChainLinks, UNKNOWN_SERVICE } from './family.js';
import { pathTemplate } from './template.js';
import { durationOf, isError, roundMs, startOf } from './timing.js';

export const SLOWEST_COUNT = 10;
export { UNKNOWN_SERVICE };

export function computeStats(analysis: Analysis): void {
  analysis.result.stats = statsOf(analysis.result, analysis.serverExchangeCount);
}

/** Counts and durations of one group of exchanges, in bounded memory. */
class GroupStats {
  count = 0;
  errors = 0;
  readonly durations = new Digest();
  readonly server = new Digest();

  add(e: Exchange, duration: number | null, server: number | null): void {
    this.count++;
    if (isError(e)) this.errors++;
    if (duration !== null) this.durations.add(duration);
    if (server !== null) this.server.add(server);
  }

  row() {
    return {
      count: this.count,
      errors: this.errors,
      timed: this.durations.size,
      durationMs: this.durations.summary(),
      serverMs: this.server.summary(),
    };
  }
}

/**
 * The statistics of a run, in one pass over its exchanges and commands (both may
 * live on disk): per-group digests, the slowest few, and client/server pairs by
 * request id. Only the server-side exchanges a client exchange pairs with are held.
 */
export function statsOf(run: RunResult, serverExchangeCount?: number): Stats {
  // With one side only (a client log alone, service logs alone) nothing pairs: the rows are not read for it.
  const oneSide = serverExchangeCount === 0 || serverExchangeCount === run.exchanges.length;
  const serverById = oneSide ? new Map<string, PairableServer>() : pairableServerExchanges(run.exchanges);

  const families = new FamilyBuilder();
  // The chains are read once: the exchanges they name, and the links between two of them.
  const chainExchanges = new ChainExchanges(run.chains);
  const chained = chainExchanges.ids;
  const exchangeById = new ExchangeFactTable();
  const byService = new Map<string, { side: Exchange['side']; service: string; group: GroupStats }>();
  const byEndpoint = new Map<
    string,
    { side: Exchange['side']; service: string; method: string; template: string; group: GroupStats }
  >();
  const byCommand = new SpillList<CommandStat>();
  const pairs = new SpillList<ServerPair>();
  const serverMsOf = new Map<number, number>();
  const sources = new Set<string>();
  const slowest: Array<{ e: Exchange; d: number; server: number | null }> = [];
  let total = 0;
  let timed = 0;

  const visit = (e: Exchange): { d: number | null; server: number | null } => {
    total++;
    families.add(e);
    if (chained.has(e.id)) exchangeById.add(e);
    // A client exchange learns the time its server reported (when the access line was found).
    let serverMs = e.serverTimeMs;
    if (e.side === 'client' && e.requestId !== null) {
      const s = serverById.get(e.requestId);
      if (s) {
        families.join(e, s);
        const pair = pairOf(e, s);
        pairs.push(pair);
        if (serverMs === null && pair.serverMs !== null) {
          serverMs = pair.serverMs;
          serverMsOf.set(e.id, pair.serverMs);
        }
      }
    }
    const d = durationOf(e);
    if (d !== null) {
      timed++;
      const source = e.timing ?? (e.side === 'server' ? 'server' : null);
      if (source !== null) sources.add(source);
      keepSlowest(slowest, e, d, serverMs);
    }
    const service = e.service ?? UNKNOWN_SERVICE;
    const sk = `${e.side}\u0000${service}`;
    let sg = byService.get(sk);
    if (!sg) {
      sg = { side: e.side, service, group: new GroupStats() };
      byService.set(sk, sg);
    }
    sg.group.add(e, d, serverMs);
    const method = e.method ?? '?';
    const template = pathTemplate(e.path) ?? '?';
    const ek = `${sk}\u0000${method}\u0000${template}`;
    let eg = byEndpoint.get(ek);
    if (!eg) {
      eg = { side: e.side, service, method, template, group: new GroupStats() };
      byEndpoint.set(ek, eg);
    }
    eg.group.add(e, d, serverMs);
    return { d, server: serverMs };
  };

  forEachCommand(run, (command, exchanges) => {
    const group = new GroupStats();
    for (const e of exchanges) {
      const { d, server: s } = visit(e);
      if (command) group.add(e, d, s);
    }
    if (command) byCommand.push({ command: command.id, name: command.name, ...group.row(), spanMs: spanOf(exchanges) });
  });
  // Reports read a client exchange's server time from the exchange itself.
  if (serverMsOf.size > 0) patchRows(run.exchanges, serverTimesOf(serverMsOf));
  joinChainLinks(families, chainExchanges, exchangeById);
  const familyList = families.families();
  const familyOf = familyLookup(familyList);

  // Grouped by family so that a service's client and server rows sit together.
  const serviceRows: ServiceStat[] = [...byService.values()]
    .map(({ side, service, group }) => ({ side, service, family: familyOf(side, service), ...group.row() }))
    .sort((a, b) => cmp(a.family, b.family) || cmp(a.side, b.side) || cmp(a.service, b.service));
  // Within a family, the same endpoint seen by client and server: adjacent rows.
  const endpointRows: EndpointStat[] = [...byEndpoint.values()]
    .map(({ side, service, method, template, group }) => ({
      side,
      service,
      family: familyOf(side, service),
      method,
      template,
      ...group.row(),
    }))
    .sort(
      (a, b) =>
        cmp(a.family, b.family) ||
        cmp(a.template, b.template) ||
        cmp(a.method, b.method) ||
        cmp(a.side, b.side) ||
        cmp(a.service, b.service),
    );

  const slow: SlowExchange[] = slowest.map(({ e, d, server: s }) => ({
    exchange: e.id,
    side: e.side,
    service: e.service,
    method: e.method,
    template: pathTemplate(e.path),
    status: e.status,
    command: e.command,
    durationMs: roundMs(d),
    serverTimeMs: s === null ? null : roundMs(s),
    gapMs: e.side === 'client' && s !== null ? roundMs(d - s) : null,
  }));

  const criticalPath = criticalPathsOf(run.chains, exchangeById);

  return {
    exchanges: total,
    timed,
    timingSources: [...sources].sort() as Stats['timingSources'],
    note: noteFor(total, timed),
    families: familyList,
    byService: serviceRows,
    byEndpoint: endpointRows,
    byCommand,
    slowest: slow,
    pairs,
    criticalPath,
  };
}

/**
 * The critical path of every chain that goes somewhere (a path of one request says nothing a
 * table row does not), longest first: the chains a reader came for. One per chain, so they
 * wait on disk past a budget for the order to be known, with only their sort keys in memory.
 */
function criticalPathsOf(chains: RunResult['chains'], facts: ExchangeFactTable): Rows<CriticalPath> {
  const made = new JsonStore<CriticalPath>((p) => 64 * p.steps.length, Math.min(defaultBudget(), 1 << 20));
  const spans: number[] = [];
  const chainIds: number[] = [];
  for (const chain of chains) {
    const path = criticalPathOf(chain, facts);
    if (path === null || path.steps.length <= 1) continue;
    made.set(spans.length, path);
    spans.push(path.spanMs ?? path.totalMs ?? -1);
    chainIds.push(path.chain);
  }
  const order = spans.map((_, i) => i).sort((a, b) => spans[b]! - spans[a]! || chainIds[a]! - chainIds[b]!);
  const sorted = new SpillList<CriticalPath>();
  for (const i of order) sorted.push(made.get(i)!);
  made.dispose();
  return sorted;
}

/** What a pair and the families read of the server side. */
interface PairableServer {
  id: number;
  service: string | null;
  serverMs: number | null;
}

/** The first server-side exchange of each request id some client exchange has (no second pass when either side has none). */
function pairableServerExchanges(exchanges: Iterable<Exchange>): Map<string, PairableServer> {
  const clientIds = new Set<string>();
  let anyServer = false;
  for (const e of exchanges) {
    if (e.side === 'server') anyServer = true;
    else if (e.requestId !== null) clientIds.add(e.requestId);
  }
  const serverById = new Map<string, PairableServer>();
  if (clientIds.size === 0 || !anyServer) return serverById;
  for (const e of exchanges)
    if (e.side === 'server' && e.requestId !== null && clientIds.has(e.requestId) && !serverById.has(e.requestId))
      serverById.set(e.requestId, { id: e.id, service: e.service, serverMs: e.serverTimeMs ?? e.durationMs });
  return serverById;
}

/** The SLOWEST_COUNT longest, longest first, ties by id: a small sorted array. */
function keepSlowest(
  list: Array<{ e: Exchange; d: number; server: number | null }>,
  e: Exchange,
  d: number,
  server: number | null,
): void {
  const before = (a: { e: Exchange; d: number }) => a.d > d || (a.d === d && a.e.id < e.id);
  if (list.length === SLOWEST_COUNT && before(list[list.length - 1]!)) return;
  let i = list.length;
  while (i > 0 && !before(list[i - 1]!)) i--;
  list.splice(i, 0, { e, d, server });
  if (list.length > SLOWEST_COUNT) list.pop();
}

/**
 * The patch that gives client exchanges the server times their pairs found. Made here, not in
 * statsOf: a spilled list keeps its patches to the end of the run, and a closure made there
 * kept the whole pass's scope with it (every pairable server exchange by request id: 80,000
 * request ids on 1.16 GB of multi-service logs).
 */
function serverTimesOf(serverMsOf: ReadonlyMap<number, number>): (e: Exchange) => void {
  return (e) => {
    if (e.serverTimeMs === null) e.serverTimeMs = serverMsOf.get(e.id) ?? null;
  };
}

/** Mutate every row: through the list's patch when it lives on disk, in place otherwise. */
function patchRows<T>(rows: Rows<T>, fn: (row: T) => void): void {
  if (rows instanceof SpillList) rows.patch(fn);
  else rows.forEach(fn);
}

function pairOf(c: Exchange, s: PairableServer): ServerPair {
  const clientMs = c.durationMs;
  const serverMs = s.serverMs;
  return {
    client: c.id,
    server: s.id,
    requestId: c.requestId!,
    clientMs: clientMs === null ? null : roundMs(clientMs),
    serverMs: serverMs === null ? null : roundMs(serverMs),
    gapMs: clientMs !== null && serverMs !== null ? roundMs(clientMs - serverMs) : null,
  };
}

function spanOf(group: readonly Exchange[]): number | null {
  let first = Infinity;
  let last = -Infinity;
  for (const e of group) {
    const s = startOf(e);
    const d = durationOf(e);
    if (s === null || d === null) continue;
    first = Math.min(first, s);
    last = Math.max(last, s + d);
  }
  return last >= first ? roundMs(last - first) : null;
}

function noteFor(total: number, timed: number): string | null {
  if (total === 0) return null;
  const how = "run openstack with --log-file (timestamps each line) or --timing, or add the services' logs";
  if (timed === 0) return `no per-request timing in this input: ${how}`;
  if (timed < total)
    return `${total - timed} of ${total} exchanges have no timing; statistics cover the ${timed} timed ones`;
  return null;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
