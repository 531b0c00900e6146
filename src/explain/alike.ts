// Operations no command started that went wrong the same way are one story (with only nova's
// logs given, every attach of a day misses its cinder steps). What makes them alike is read
// from their flow alone where it can be, so the thousands of alike operations of a day of
// service logs are counted as they stream, not each held with its story.
import type { FlowResult, FlowStepResult } from '../model/flow-schema.js';

/** The API service that answers a catalog type's calls, for "look in its log". */
export const API_SERVICE: Record<string, string> = {
  compute: 'nova-api',
  volume: 'cinder-api',
  volumev2: 'cinder-api',
  volumev3: 'cinder-api',
  'block-storage': 'cinder-api',
  identity: 'keystone',
  image: 'glance-api',
  network: 'neutron-server',
  placement: 'placement-api',
};

/** How many request ids of alike operations an explanation lists. */
export const ALIKE_IDS = 10;

/**
 * The operations a story tells as alike: how many, and the first request ids in log order —
 * as many as a story lists and one more (so it can say there are others). A day of nova logs
 * without cinder's has hundreds of thousands of alike attaches: every id was held to the end.
 */
export interface AlikeIds {
  count: number;
  ids: string[];
}

/** One more alike operation, told after those already counted (in log order). */
export function addAlike(alike: AlikeIds, requestId: string | null): void {
  alike.count++;
  if (requestId && alike.ids.length <= ALIKE_IDS) alike.ids.push(requestId);
}

export const serverFlowsOf = (flows: readonly FlowResult[]) => flows.filter((f) => f.command === null);
export const clientFlowsOf = (flows: readonly FlowResult[]) => flows.filter((f) => f.command !== null);

/** A step that failed the operation (a rollback's failure does not): the first error is read from these. */
export function failedStep(s: FlowStepResult): boolean {
  return (s.status === 'failed' || s.status === 'mismatched') && s.rollback !== true;
}

/** The services the service-side flows expect a line from. */
export function expectedServices(flows: readonly FlowResult[]): string[] {
  // Loops, not lists of lists: every unfinished operation of a day of logs is asked.
  const services = new Set<string>();
  for (const f of flows) if (f.command === null) for (const s of f.steps) services.add(s.observer);
  return [...services];
}

/** The services that should have taken part whose logs were not given (`clientService`: the client call's catalog type). */
export function missingLogsOf(
  flows: readonly FlowResult[],
  clientService: string | null | undefined,
  logs: { has(service: string): boolean },
): Set<string> {
  const missing = new Set(expectedServices(flows).filter((s) => s !== 'client' && !logs.has(s)));
  // The client's call reached a service whose log was not given at all.
  if (serverFlowsOf(flows).length === 0 && clientService) {
    const api = API_SERVICE[clientService];
    if (api && !logs.has(api)) missing.add(api);
  }
  return missing;
}

/**
 * The first required step that never happened: the service side's first. A client step the
 * command got past that the log does not show (`notShown`) comes only when no other is missing.
 */
export function firstMissingOf(flows: readonly FlowResult[]): FlowStepResult | null {
  for (const shown of [true, false])
    for (const server of [true, false])
      for (const f of flows)
        if ((f.command === null) === server)
          for (const s of f.steps) if (s.status === 'missing' && (s.notShown !== true) === shown) return s;
  return null;
}

/**
 * Some step is missing, and every missing one is a step only a log that was not given would
 * show (cinder-api's, with nova's logs alone), or a client step the command got past that the
 * log does not show (an excerpt): the operation may well have finished out of sight.
 */
export function missingOnlyOutOfSight(flows: readonly FlowResult[], missingLogs: readonly string[]): boolean {
  let missing = false;
  for (const f of flows)
    for (const s of f.steps)
      if (s.status === 'missing') {
        if (s.notShown !== true && !missingLogs.includes(s.observer)) return false;
        missing = true;
      }
  return missing;
}

/**
 * The same flow and variant, verdict, first error, first missing step and missing logs, and
 * whether every missing step is out of sight (one that is not makes it a problem, the other not).
 */
export function alikeKey(
  flow: FlowResult,
  firstError: { service: string | null; call: string | null; status: number | null } | null,
  firstMissing: FlowStepResult | null,
  missingLogs: readonly string[],
): string {
  return JSON.stringify([
    flow.flow,
    flow.variant,
    flow.verdict,
    firstError ? [firstError.service, firstError.call, firstError.status] : null,
    firstMissing?.step ?? null,
    missingLogs,
    missingOnlyOutOfSight([flow], missingLogs),
  ]);
}

/**
 * The key of an operation no command started, read from its flow alone: when no step of it
 * failed it has no first error (explain/story.ts), so nothing else is needed. Null when a
 * step failed: its first error is read from the failed call.
 */
export function orphanAlikeKey(flow: FlowResult, logs: { has(service: string): boolean }): string | null {
  if (flow.command !== null || flow.steps.some(failedStep)) return null;
  const flows = [flow];
  return alikeKey(flow, null, firstMissingOf(flows), [...missingLogsOf(flows, null, logs)]);
}
