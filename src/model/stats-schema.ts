// Timing statistics (owned by the stats stage, src/stats/). Every duration is in
// milliseconds; a summary is null when none of the group's exchanges is timed, so
// reports can say "no timing" instead of printing zeros.
import * as z from '../core/zod.js';
import type { Rows } from '../rows/rows.js';

export const Summary = z
  .object({
    min: z.number(),
    p50: z.number(),
    p90: z.number(),
    p95: z.number(),
    p99: z.number(),
    max: z.number(),
    total: z.number(),
  })
  .check(z.describe('Distribution of the timed exchanges of a group (d3-array quantile, R-7 interpolation)'));
export type Summary = z.infer<typeof Summary>;

const GroupCounts = {
  count: z.number().check(z.int(), z.describe('Exchanges in the group')),
  errors: z.number().check(z.int(), z.describe('Exchanges answered with HTTP ≥ 400 or never answered')),
  timed: z.number().check(z.int(), z.describe('Exchanges with a known duration')),
  durationMs: z
    .nullable(Summary)
    .check(z.describe('Durations (client-side: request to response; server-side: the time the service logged)')),
  serverMs: z.nullable(Summary).check(z.describe("Server-reported time of the group's exchanges, when known")),
};

export const ServiceFamily = z
  .object({
    family: z
      .string()
      .check(z.describe('Label of the family: `compute ↔ nova-api`, or the one name when only one side is seen')),
    client: z
      .array(z.string())
      .check(z.describe('Catalog service types the client used (compute, volumev3, block-storage…)')),
    server: z.array(z.string()).check(z.describe('Server-side service labels (nova-api, cinder-api…)')),
  })
  .check(
    z.describe(
      'Names of one service on both sides, joined by the requests they answered (request id, or a direct chain link)',
    ),
  );
export type ServiceFamily = z.infer<typeof ServiceFamily>;

export const ServiceStat = z.object({
  side: z.enum(['client', 'server']),
  service: z
    .string()
    .check(z.describe('Catalog service type (client side) or service label (server side), or `(unknown)`')),
  family: z.string().check(z.describe('The service family this name belongs to (see `families`)')),
  ...GroupCounts,
});
export type ServiceStat = z.infer<typeof ServiceStat>;

export const EndpointStat = z.object({
  side: z.enum(['client', 'server']),
  service: z.string(),
  family: z.string().check(z.describe('The service family of `service` (see `families`)')),
  method: z.string(),
  template: z.string().check(z.describe('Path with ids, UUIDs and resource names folded to `{id}`, query dropped')),
  ...GroupCounts,
});
export type EndpointStat = z.infer<typeof EndpointStat>;

export const CommandStat = z.object({
  command: z.number().check(z.int()),
  name: z.nullable(z.string()),
  ...GroupCounts,
  spanMs: z.nullable(z.number()).check(z.describe("From the first request's start to the last response, when timed")),
});
export type CommandStat = z.infer<typeof CommandStat>;

export const SlowExchange = z.object({
  exchange: z.number().check(z.int()),
  side: z.enum(['client', 'server']),
  service: z.nullable(z.string()),
  method: z.nullable(z.string()),
  template: z.nullable(z.string()),
  status: z.nullable(z.number().check(z.int())),
  command: z.nullable(z.number().check(z.int())),
  durationMs: z.number(),
  serverTimeMs: z.nullable(z.number()),
  gapMs: z.nullable(z.number()).check(z.describe('Client time minus server time: network and queueing')),
});
export type SlowExchange = z.infer<typeof SlowExchange>;

export const ServerPair = z.object({
  client: z.number().check(z.int(), z.describe('Client-side exchange id')),
  server: z.number().check(z.int(), z.describe('Server-side exchange id with the same request id')),
  requestId: z.string(),
  clientMs: z.nullable(z.number()),
  serverMs: z.nullable(z.number()),
  gapMs: z.nullable(z.number()).check(z.describe('clientMs − serverMs (network + queueing), when both are known')),
});
export type ServerPair = z.infer<typeof ServerPair>;

export const CriticalStep = z.object({
  exchange: z.number().check(z.int()),
  service: z.nullable(z.string()),
  method: z.nullable(z.string()),
  template: z.nullable(z.string()),
  startOffsetMs: z
    .nullable(z.number())
    .check(
      z.describe("Start relative to the root's start (or, when the root has no start, the first step that has one)"),
    ),
  durationMs: z.nullable(z.number()),
  selfMs: z.nullable(z.number()).check(z.describe('Time not covered by the next step of the path')),
});

export const CriticalPath = z.object({
  chain: z.number().check(z.int()),
  totalMs: z.nullable(z.number()).check(z.describe('Duration of the root request, when timed')),
  spanMs: z.nullable(z.number()).check(z.describe("The chain's span, first start to last end, across services")),
  steps: z
    .array(CriticalStep)
    .check(z.describe("From the chain's root down to the call that finished last, at each level")),
});
export type CriticalPath = z.infer<typeof CriticalPath>;

export const Stats = z.object({
  exchanges: z.number().check(z.int()),
  timed: z.number().check(z.int(), z.describe('Exchanges with a known duration')),
  timingSources: z
    .array(z.enum(['log', 'date-header', 'timing-table', 'server']))
    .check(z.describe('Where the durations come from')),
  note: z.nullable(z.string()).check(z.describe('Said once when there is no (or only partial) timing')),
  families: z.array(ServiceFamily).check(z.describe('Which client and server names are the same service')),
  byService: z
    .array(ServiceStat)
    .check(z.describe("Sorted by family, then side: a service's client and server rows sit together")),
  byEndpoint: z.array(EndpointStat),
  byCommand: z.array(CommandStat),
  slowest: z.array(SlowExchange),
  pairs: z.array(ServerPair).check(z.describe('Client exchanges paired with their server-side exchange by request id')),
  criticalPath: z.array(CriticalPath).check(z.describe('Chains of more than one request, longest span first')),
});
/** As a run holds it: the per-command rows, the pairs and the critical paths may live on disk (src/rows/spill-list.ts). */
export type Stats = Omit<z.infer<typeof Stats>, 'byCommand' | 'pairs' | 'criticalPath'> & {
  byCommand: Rows<CommandStat>;
  pairs: Rows<ServerPair>;
  criticalPath: Rows<CriticalPath>;
};
