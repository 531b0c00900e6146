// Timing statistics (owned by the stats stage, src/stats/). Every duration is in
// milliseconds; a summary is null when none of the group's exchanges is timed, so
// reports can say "no timing" instead of printing zeros.
import { z } from 'zod';
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
  .describe('Distribution of the timed exchanges of a group (d3-array quantile, R-7 interpolation)');
export type Summary = z.infer<typeof Summary>;

const GroupCounts = {
  count: z.number().int().describe('Exchanges in the group'),
  errors: z.number().int().describe('Exchanges answered with HTTP ≥ 400 or never answered'),
  timed: z.number().int().describe('Exchanges with a known duration'),
  durationMs: Summary.nullable().describe(
    'Durations (client-side: request to response; server-side: the time the service logged)',
  ),
  serverMs: Summary.nullable().describe("Server-reported time of the group's exchanges, when known"),
};

export const ServiceFamily = z
  .object({
    family: z
      .string()
      .describe('Label of the family: `compute ↔ nova-api`, or the one name when only one side is seen'),
    client: z.array(z.string()).describe('Catalog service types the client used (compute, volumev3, block-storage…)'),
    server: z.array(z.string()).describe('Server-side service labels (nova-api, cinder-api…)'),
  })
  .describe(
    'Names of one service on both sides, joined by the requests they answered (request id, or a direct chain link)',
  );
export type ServiceFamily = z.infer<typeof ServiceFamily>;

export const ServiceStat = z.object({
  side: z.enum(['client', 'server']),
  service: z.string().describe('Catalog service type (client side) or service label (server side), or `(unknown)`'),
  family: z.string().describe('The service family this name belongs to (see `families`)'),
  ...GroupCounts,
});
export type ServiceStat = z.infer<typeof ServiceStat>;

export const EndpointStat = z.object({
  side: z.enum(['client', 'server']),
  service: z.string(),
  family: z.string().describe('The service family of `service` (see `families`)'),
  method: z.string(),
  template: z.string().describe('Path with ids, UUIDs and resource names folded to `{id}`, query dropped'),
  ...GroupCounts,
});
export type EndpointStat = z.infer<typeof EndpointStat>;

export const CommandStat = z.object({
  command: z.number().int(),
  name: z.string().nullable(),
  ...GroupCounts,
  spanMs: z.number().nullable().describe("From the first request's start to the last response, when timed"),
});
export type CommandStat = z.infer<typeof CommandStat>;

export const SlowExchange = z.object({
  exchange: z.number().int(),
  side: z.enum(['client', 'server']),
  service: z.string().nullable(),
  method: z.string().nullable(),
  template: z.string().nullable(),
  status: z.number().int().nullable(),
  command: z.number().int().nullable(),
  durationMs: z.number(),
  serverTimeMs: z.number().nullable(),
  gapMs: z.number().nullable().describe('Client time minus server time: network and queueing'),
});
export type SlowExchange = z.infer<typeof SlowExchange>;

export const ServerPair = z.object({
  client: z.number().int().describe('Client-side exchange id'),
  server: z.number().int().describe('Server-side exchange id with the same request id'),
  requestId: z.string(),
  clientMs: z.number().nullable(),
  serverMs: z.number().nullable(),
  gapMs: z.number().nullable().describe('clientMs − serverMs (network + queueing), when both are known'),
});
export type ServerPair = z.infer<typeof ServerPair>;

export const CriticalStep = z.object({
  exchange: z.number().int(),
  service: z.string().nullable(),
  method: z.string().nullable(),
  template: z.string().nullable(),
  startOffsetMs: z
    .number()
    .nullable()
    .describe("Start relative to the root's start (or, when the root has no start, the first step that has one)"),
  durationMs: z.number().nullable(),
  selfMs: z.number().nullable().describe('Time not covered by the next step of the path'),
});

export const CriticalPath = z.object({
  chain: z.number().int(),
  totalMs: z.number().nullable().describe('Duration of the root request, when timed'),
  spanMs: z.number().nullable().describe("The chain's span, first start to last end, across services"),
  steps: z.array(CriticalStep).describe("From the chain's root down to the call that finished last, at each level"),
});
export type CriticalPath = z.infer<typeof CriticalPath>;

export const Stats = z.object({
  exchanges: z.number().int(),
  timed: z.number().int().describe('Exchanges with a known duration'),
  timingSources: z
    .array(z.enum(['log', 'date-header', 'timing-table', 'server']))
    .describe('Where the durations come from'),
  note: z.string().nullable().describe('Said once when there is no (or only partial) timing'),
  families: z.array(ServiceFamily).describe('Which client and server names are the same service'),
  byService: z
    .array(ServiceStat)
    .describe("Sorted by family, then side: a service's client and server rows sit together"),
  byEndpoint: z.array(EndpointStat),
  byCommand: z.array(CommandStat),
  slowest: z.array(SlowExchange),
  pairs: z.array(ServerPair).describe('Client exchanges paired with their server-side exchange by request id'),
  criticalPath: z.array(CriticalPath).describe('Chains of more than one request, longest span first'),
});
/** As a run holds it: the per-command rows, the pairs and the critical paths may live on disk (src/rows/spill-list.ts). */
export type Stats = Omit<z.infer<typeof Stats>, 'byCommand' | 'pairs' | 'criticalPath'> & {
  byCommand: Rows<CommandStat>;
  pairs: Rows<ServerPair>;
  criticalPath: Rows<CriticalPath>;
};
