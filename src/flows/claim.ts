// Which request-scoped flow claims the events of one global request id. One global
// request id is one API request, so one operation: the request that started it (the
// API exchange logged under the id itself, e.g. nova-api's POST …/action {"shelve": …})
// names the operation, and only a flow with an anchor for it may claim the group. So the
// attachment calls a shelve, a delete, a resize or an operation without a flow makes
// under its id are never replayed as a broken attach or detach.
import { recognizes, type CompiledFlow } from './compile.js';
import type { FlowEvent } from './events.js';
import type { FlowResult } from '../model/flow-schema.js';
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
    (e) => e.type === 'exchange' && e.requestId === key && e.globalRequestId === null && !isRead(e),
  );
  if (entry === undefined) {
    // The key is a global id the client sent (cinderclient reuses its first call's id): its first
    // call that changes something started the operation (a retype's os-retype). One whose body
    // names an action no flow starts with is an operation without a flow: the lines its callees
    // write are part of it, not an operation of their own.
    const reused = events.some((e) => e.type === 'exchange' && e.requestId === key && e.globalRequestId === null);
    const started = events.find((e) => e.type === 'exchange' && e.globalRequestId === key && !isRead(e));
    if (
      reused &&
      started !== undefined &&
      typeof started.action === 'string' &&
      !flows.some((f) => f.anchors.some((a) => recognizes(a, started, true)))
    )
      return null;
    // Its body was not seen (a cinder-api at INFO): the lines only that operation writes (a retype's
    // "Retype volume request issued") name it before any anchor its callees logged (the migration
    // target's create).
    if (reused && started !== undefined && unseenBody(started)) {
      started.action = undefined;
      const candidates = flows.filter((f) => f.anchors.some((a) => recognizes(a, started)));
      const named = candidates.length > 0 ? byLines(candidates, key, events, started) : null;
      if (named !== null) return named;
    }
    const guess = earliestAnchor(flows, events);
    if (guess !== null) return rollbackWithoutFailure(guess, key, events);
    // An anchor whose body was not seen (a cinder-api at INFO: POST …/action, action unknown):
    // the lines only that operation writes ("Extend volume request issued") name it.
    const open = events.find(
      (e) =>
        e.type === 'exchange' && e.action === undefined && flows.some((f) => f.anchors.some((a) => recognizes(a, e))),
    );
    if (open === undefined) return null;
    return byLines(
      flows.filter((f) => f.anchors.some((a) => recognizes(a, open))),
      key,
      events,
      open,
    );
  }
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
  return uniqueBest(candidates, key, events, entry, (r) =>
    r.verdict === 'complete' ? r.steps.filter((s) => s.status === 'matched').length : null,
  );
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

/** The one candidate whose replay matches the most log-line steps (markers), when there is one. */
function byLines(
  candidates: readonly CompiledFlow[],
  key: string,
  events: readonly FlowEvent[],
  first: FlowEvent,
): Claim | null {
  return uniqueBest(candidates, key, events, first, (r) => {
    const lines = r.steps.filter((s) => s.status !== 'missing' && s.status !== 'skipped' && s.call === null).length;
    return lines > 0 ? lines : null;
  });
}

/** The candidate whose replay scores highest, when exactly one does (null: the replay does not fit at all). */
function uniqueBest(
  candidates: readonly CompiledFlow[],
  key: string,
  events: readonly FlowEvent[],
  first: FlowEvent,
  score: (r: FlowResult) => number | null,
): Claim | null {
  const ctx: InstanceContext = { command: null, requestId: key, source: first.source, line: first.line, label: key };
  let best: CompiledFlow | null = null;
  let bestScore = -1;
  let tie = false;
  for (const flow of candidates) {
    const r = replayInstance(flow, [...events], ctx);
    const points = r === null ? null : score(r);
    if (points === null) continue;
    if (points > bestScore) {
      best = flow;
      bestScore = points;
      tie = false;
    } else if (points === bestScore) tie = true;
  }
  return best !== null && !tie ? { flow: best, first } : null;
}

/** A POST or PUT whose body its log did not show (action null at INFO, undefined once seen as such). */
function unseenBody(e: FlowEvent): boolean {
  return (e.action === null || e.action === undefined) && (e.method === 'POST' || e.method === 'PUT');
}

function isRead(e: FlowEvent): boolean {
  return e.method === 'GET' || e.method === 'HEAD';
}
