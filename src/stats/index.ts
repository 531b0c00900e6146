// The timing statistics stage: per service, per endpoint template and per command
// (count, errors, min/p50/p90/p99/max/total with d3-array), the slowest exchanges,
// client/server pairs by request id (network + queueing gap) and the critical path
// of each chain. Reporters only render what this writes into `result.stats`.
import { rollups } from 'd3-array';
import type { Analysis } from '../analyze.js';
import type { Exchange, RunResult } from '../model/schema.js';
import type { CommandStat, EndpointStat, ServerPair, ServiceStat, SlowExchange, Stats } from '../model/stats-schema.js';
import type { PipelineOptions } from '../pipeline.js';
import { criticalPathOf } from './critical-path.js';
import { familyLookup, serviceFamilies, UNKNOWN_SERVICE } from './family.js';
import { summarize } from './summary.js';
import { pathTemplate } from './template.js';
import { durationOf, isError, roundMs, startOf } from './timing.js';

export const SLOWEST_COUNT = 10;
export { UNKNOWN_SERVICE };

export function computeStats(analysis: Analysis, _options: PipelineOptions = {}): void {
  analysis.result.stats = statsOf(analysis.result);
}

export function statsOf(run: RunResult): Stats {
  const exchanges = run.exchanges;
  const pairs = pairByRequestId(exchanges);
  // A client exchange learns the time its server reported (when the access line was found).
  const serverMsOf = new Map<number, number | null>();
  for (const p of pairs) serverMsOf.set(p.client, p.serverMs);
  const serverTime = (e: Exchange): number | null => e.serverTimeMs ?? serverMsOf.get(e.id) ?? null;
  for (const e of exchanges) if (e.serverTimeMs === null && serverMsOf.get(e.id) != null) e.serverTimeMs = serverMsOf.get(e.id)!;

  const timed = exchanges.filter((e) => durationOf(e) !== null);
  const sources = [...new Set(timed.map((e) => e.timing ?? (e.side === 'server' ? 'server' : null)).filter((t) => t !== null))].sort();

  const counts = (group: Exchange[]) => {
    const durations = group.map(durationOf).filter((d): d is number => d !== null);
    const server = group.map(serverTime).filter((d): d is number => d !== null);
    return {
      count: group.length,
      errors: group.filter(isError).length,
      timed: durations.length,
      durationMs: summarize(durations),
      serverMs: summarize(server),
    };
  };

  const families = serviceFamilies(run);
  const familyOf = familyLookup(families);
  // Grouped by family so that a service's client and server rows sit together.
  const byService: ServiceStat[] = rollups(exchanges, (g) => g, (e) => e.side, (e) => e.service ?? UNKNOWN_SERVICE)
    .flatMap(([side, services]) => services.map(([service, group]) => ({ side, service, family: familyOf(side, service), ...counts(group) })))
    .sort((a, b) => cmp(a.family, b.family) || cmp(a.side, b.side) || cmp(a.service, b.service));

  // Within a family, the same endpoint seen by client and server: adjacent rows.
  const byEndpoint: EndpointStat[] = rollups(
    exchanges, (g) => g, (e) => e.side, (e) => e.service ?? UNKNOWN_SERVICE, (e) => e.method ?? '?', (e) => pathTemplate(e.path) ?? '?',
  ).flatMap(([side, services]) => services.flatMap(([service, methods]) => methods.flatMap(([method, templates]) =>
    templates.map(([template, group]) => ({ side, service, family: familyOf(side, service), method, template, ...counts(group) })))))
    .sort((a, b) => cmp(a.family, b.family) || cmp(a.template, b.template) || cmp(a.method, b.method) || cmp(a.side, b.side) || cmp(a.service, b.service));

  const exchangeById = new Map(exchanges.map((e) => [e.id, e] as const));
  const byCommand: CommandStat[] = run.commands.map((c) => {
    const group = c.exchanges.map((id) => exchangeById.get(id)).filter((e): e is Exchange => e !== undefined);
    return { command: c.id, name: c.name, ...counts(group), spanMs: spanOf(group) };
  });

  const slowest: SlowExchange[] = timed
    .map((e) => ({ e, d: durationOf(e)! }))
    .sort((a, b) => b.d - a.d || a.e.id - b.e.id)
    .slice(0, SLOWEST_COUNT)
    .map(({ e, d }) => {
      const server = serverTime(e);
      return {
        exchange: e.id, side: e.side, service: e.service, method: e.method, template: pathTemplate(e.path), status: e.status,
        command: e.command, durationMs: roundMs(d), serverTimeMs: server === null ? null : roundMs(server),
        gapMs: e.side === 'client' && server !== null ? roundMs(d - server) : null,
      };
    });

  const criticalPath = run.chains
    .map((chain) => criticalPathOf(chain, exchangeById))
    // A path of one request says nothing a table row does not: only chains that go somewhere.
    .filter((p): p is NonNullable<typeof p> => p !== null && p.steps.length > 1)
    // Longest first: the chains a reader came for.
    .sort((a, b) => (b.spanMs ?? b.totalMs ?? -1) - (a.spanMs ?? a.totalMs ?? -1) || a.chain - b.chain);

  return {
    exchanges: exchanges.length,
    timed: timed.length,
    timingSources: sources as Stats['timingSources'],
    note: noteFor(exchanges.length, timed.length),
    families, byService, byEndpoint, byCommand, slowest, pairs, criticalPath,
  };
}

/** Client exchanges and the server-side exchange that answered them, by the service's request id. */
function pairByRequestId(exchanges: readonly Exchange[]): ServerPair[] {
  const serverById = new Map<string, Exchange>();
  for (const e of exchanges) if (e.side === 'server' && e.requestId !== null && !serverById.has(e.requestId)) serverById.set(e.requestId, e);
  const pairs: ServerPair[] = [];
  for (const c of exchanges) {
    if (c.side !== 'client' || c.requestId === null) continue;
    const s = serverById.get(c.requestId);
    if (!s) continue;
    const clientMs = c.durationMs;
    const serverMs = s.serverTimeMs ?? s.durationMs;
    pairs.push({
      client: c.id, server: s.id, requestId: c.requestId,
      clientMs: clientMs === null ? null : roundMs(clientMs),
      serverMs: serverMs === null ? null : roundMs(serverMs),
      gapMs: clientMs !== null && serverMs !== null ? roundMs(clientMs - serverMs) : null,
    });
  }
  return pairs;
}

function spanOf(group: Exchange[]): number | null {
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
  const how = 'run openstack with --log-file (timestamps each line) or --timing, or add the services\' logs';
  if (timed === 0) return `no per-request timing in this input: ${how}`;
  if (timed < total) return `${total - timed} of ${total} exchanges have no timing; statistics cover the ${timed} timed ones`;
  return null;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
