// Which request-scoped flow claims the events of one global request id. One global
// request id is one API request, so one operation: the request that started it (the
// API exchange logged under the id itself, e.g. nova-api's POST …/action {"shelve": …})
// names the operation, and only a flow with an anchor for it may claim the group. So the
// attachment calls a shelve, a delete, a resize or an operation without a flow makes
// under its id are never replayed as a broken attach or detach.
import { recognizes, type CompiledFlow } from './compile.js';
import type { FlowEvent } from './events.js';
import type { InstanceContext } from './replay.js';
import { replayInstance } from './replay.js';

export interface Claim {
  flow: CompiledFlow;
  /** The event the instance is located at (the starting request, or the first anchor). */
  first: FlowEvent;
}

/** The flow that claims the group `key` (events in replay order), or null: no flow's operation. */
export function claimantOf(flows: readonly CompiledFlow[], key: string, events: readonly FlowEvent[]): Claim | null {
  // A read starts no operation: a client that sends the request id of its first call (a GET)
  // as the global id of the next ones (cinderclient in `volume set --size`) puts that read
  // under the key too, and the operation is then named by the group's anchors.
  const entry = events.find(
    (e) =>
      e.type === 'exchange' &&
      e.requestId === key &&
      e.globalRequestId === null &&
      e.method !== 'GET' &&
      e.method !== 'HEAD',
  );
  if (entry === undefined) return rollbackWithoutFailure(earliestAnchor(flows, events), key, events);
  // A service log without DEBUG lines has the request line but not the body: the action of
  // its POST or PUT was not seen, which is not the same as absent.
  if (entry.action === null && (entry.method === 'POST' || entry.method === 'PUT')) entry.action = undefined;
  // A flow whose anchor does not need the body (POST …/os-volume_attachments) is named by the request line alone.
  const named = flows.find((f) => f.anchors.some((a) => recognizes(a, entry, true)));
  if (named !== undefined) return { flow: named, first: entry };
  if (entry.action !== undefined) return null;
  // Body unknown: the flows whose starting request this can be (POST /servers/{id}/action:
  // shelve, resize, rebuild…); the service-log lines of the operation decide ("Shelving",
  // "Migrating"), else the one flow its calls complete best.
  const candidates = flows.filter((f) => f.anchors.some((a) => recognizes(a, entry)));
  if (candidates.length === 0) return null;
  const byLine = earliestAnchor(candidates, events);
  if (byLine !== null && byLine.first !== entry) return { flow: byLine.flow, first: entry };
  return bestFit(candidates, key, events, entry);
}

/** The flow whose anchor comes first (a swap's PUT before the POST /attachments it causes); ties: the first declared. */
function earliestAnchor(flows: readonly CompiledFlow[], events: readonly FlowEvent[]): Claim | null {
  let chosen: Claim | null = null;
  for (const flow of flows) {
    const anchors = flow.anchors;
    const first = events.find((e) => anchors.some((a) => recognizes(a, e, true)));
    if (first && (chosen === null || first.seq < chosen.first.seq)) chosen = { flow, first };
  }
  return chosen;
}

/**
 * The candidate whose calls replay complete with the most matched steps, when exactly one
 * does: a guess from the calls alone is made only when it is clean and unambiguous (a
 * confirmResize, which no candidate completes, or two candidates fitting equally, stay unclaimed).
 */
function bestFit(
  candidates: readonly CompiledFlow[],
  key: string,
  events: readonly FlowEvent[],
  entry: FlowEvent,
): Claim | null {
  const ctx: InstanceContext = { command: null, requestId: key, source: entry.source, line: entry.line, label: key };
  let best: CompiledFlow | null = null;
  let bestMatched = -1;
  let tie = false;
  for (const flow of candidates) {
    const r = replayInstance(flow, [...events], ctx);
    if (r === null || r.verdict !== 'complete') continue;
    const matched = r.steps.filter((s) => s.status === 'matched').length;
    if (matched > bestMatched) {
      best = flow;
      bestMatched = matched;
      tie = false;
    } else if (matched === bestMatched) tie = true;
  }
  return best !== null && !tie ? { flow: best, first: entry } : null;
}

/**
 * Without the starting request (its API's log not given) the anchor is a guess; a guess whose
 * replay undoes a call that never failed is wrong: nova-compute swapping a shelved server's
 * attachment (POST /attachments without connector, then DELETE of the old one) is not an
 * attach rolled back. Such a group stays unclaimed.
 */
function rollbackWithoutFailure(claim: Claim | null, key: string, events: readonly FlowEvent[]): Claim | null {
  if (claim === null) return null;
  const ctx: InstanceContext = {
    command: null,
    requestId: key,
    source: claim.first.source,
    line: claim.first.line,
    label: key,
  };
  const r = replayInstance(claim.flow, [...events], ctx);
  if (r === null) return claim;
  const rolledBack = r.steps.some((s) => s.rollback === true && s.status !== 'missing' && s.status !== 'skipped');
  const forwardFailed = r.steps.some(
    (s) => s.rollback !== true && (s.status === 'failed' || s.status === 'mismatched'),
  );
  return rolledBack && !forwardFailed ? null : claim;
}
