// The text of a flow replay's step results: what was expected, what was seen,
// and where to look next (which service's log, which request id).
import { describeStep } from './compile.js';
import type { FlowEvent } from './events.js';
import type { Step } from './grammar-schema.js';

/** Which service's log explains an event (for "look up … in …"). */
export function logOf(ev: FlowEvent): string {
  if (ev.observer !== 'client') return `${ev.observer} log`;
  switch (ev.service) {
    case 'compute':
      return 'nova-api log';
    case 'volume':
      return 'cinder-api log';
    case 'identity':
      return 'keystone log';
    case 'image':
      return 'glance-api log';
    case 'network':
      return 'neutron-server log';
    default:
      return `${ev.service ?? 'service'} log`;
  }
}

export function where(ev: FlowEvent): string {
  return `${ev.source ?? 'input'}:${ev.line ?? '?'}`;
}

export function seenText(ev: FlowEvent): string {
  if (ev.type === 'marker') return `"${ev.message ?? ev.marker ?? ''}" at ${where(ev)}`;
  const status = ev.status === null ? 'no response' : `HTTP ${ev.status}`;
  const path =
    ev.resource === null ? '' : `/${ev.resource}${ev.query.size ? `?${[...ev.query.keys()].join('&')}` : ''}`;
  return `${ev.method ?? '?'} ${path} → ${status} at ${where(ev)}${ev.requestId ? ` (request id ${ev.requestId})` : ''}`;
}

/** A step's event answered with an unexpected status; a rollback or failure step that ran at all. */
export function failedText(
  def: Step,
  ev: FlowEvent,
  flowTitle: string,
  expected: readonly number[] | null,
  lookup: string | null,
): string {
  if (def.rollback)
    return (
      `Rollback: ${def.title} (${seenText(ev)}) — the ${flowTitle} failed before this call undid it.` +
      ` Look up ${lookup ?? ev.requestId ?? 'the request'} in the nova-compute and cinder-volume logs for the first error.`
    );
  if (def.failure)
    return (
      `${def.title}: ${seenText(ev)} — the ${flowTitle} failed there.` +
      ` Look up ${lookup ?? ev.requestId ?? 'the request'} in the ${logOf(ev)} for the error and its traceback.`
    );
  return (
    `${def.title} failed: ${seenText(ev)}, expected ${expected ? `HTTP ${expected.join('/')}` : 'a success status'}` +
    `${ev.error ? ` — "${ev.error}"` : ''}. Look up ${ev.requestId ?? lookup ?? 'the request'} in the ${logOf(ev)}.`
  );
}

/** A step seen in the wrong place: after `prev`, while `variantId` expects it before `next`. */
export function outOfOrderText(
  def: Step,
  ev: FlowEvent,
  prev: string | null,
  next: string | null,
  variantId: string,
  lookup: string | null,
): string {
  return (
    `${def.title} (${seenText(ev)}) came ${prev ? `after ${prev}` : 'too late'}` +
    `${next ? `; the ${variantId} flow expects it before ${next}` : ''}.` +
    ` Check the ${logOf(ev)} around ${ev.requestId ?? lookup ?? where(ev)} for a retry or a race.`
  );
}

/**
 * A required step never seen, expected after `prev` (its event `prevEv`); `state` says
 * where the resource's status last moved; `label` names the instance (a command).
 */
export function missingText(
  def: Step,
  prev: { step: string; ev: FlowEvent } | null,
  state: string | null,
  lookup: string | null,
  label: string,
): string {
  const tr = def.transition;
  return (
    `${def.title} never appeared: expected ${describeStep(def)}` +
    `${prev ? ` after ${prev.step} (${seenText(prev.ev)})` : ''}.` +
    `${tr ? ` Without it the ${tr.resource} does not reach \`${tr.to}\`${state ? ` (${state})` : ''}.` : state ? ` The ${state}.` : ''}` +
    (def.observer === 'client'
      ? ` The client never sent it: see the error or traceback of ${label} in the client log.`
      : ` Look for ${lookup ?? (prev?.ev.requestId ? `request id ${prev.ev.requestId}` : label)} in the ${def.observer} log (was it given to ostrace?).`)
  );
}

/** Why a client step the log does not show was done all the same (verdicts.ts `notShownOf`). */
export interface NotShown {
  /** The first step of the command the log shows: this one comes before it. */
  first: { step: string; ev: FlowEvent } | null;
  /** A later step names the id this one looks up, which the command line does not give. */
  named: { step: string; ev: FlowEvent; name: string; value: string } | null;
  /** The command exited 0; else the log does not show how it ended. */
  exited0: boolean;
}

/** A client step of a command (that exited 0, or whose end is not shown) which the log does not show, though the command got past it. */
export function notShownText(
  def: Step,
  prev: { step: string; ev: FlowEvent } | null,
  why: NotShown,
  label: string,
): string {
  const because = why.first
    ? `it comes before ${why.first.step} (${seenText(why.first.ev)}), the first step of ${label} this log shows, ${why.exited0 ? 'and the command exited 0' : 'which the client went on to (how the command ended the log does not show)'}`
    : `${why.named!.step} (${seenText(why.named!.ev)}) names the ${why.named!.name} ${why.named!.value}, which the command line does not give: the client looked it up, ${why.exited0 ? 'and the command exited 0' : 'however the command ended (the log does not show)'}`;
  return (
    `${def.title} is not shown: expected ${describeStep(def)}${prev ? ` after ${prev.step} (${seenText(prev.ev)})` : ''}.` +
    ` The client got past it all the same: ${because}. The log leaves it out (an excerpt, or lines cut from it): not seen, which is not missing.`
  );
}

/** An event a step of the flow recognises, for which the chosen route has no room. */
export function unexpectedText(
  def: Step,
  ev: FlowEvent,
  variantId: string,
  flowId: string,
  lookup: string | null,
): string {
  return (
    `Unexpected ${def.title.toLowerCase()} (${seenText(ev)}): the ${variantId} variant of ${flowId} has no room for it here.` +
    ` Look up ${ev.requestId ?? lookup ?? where(ev)} in the ${logOf(ev)}: a duplicate, a retry, or a different flow interleaved.`
  );
}

/** A step for another resource (`name` = `value`) than the one an earlier step bound. */
export function mismatchText(
  def: Step,
  ev: FlowEvent,
  name: string,
  value: string,
  flowTitle: string,
  first: { value: string; step: string; ev: FlowEvent },
  lookup: string | null,
): string {
  return (
    `${def.title} (${seenText(ev)}) is for ${name} ${value}, but this ${flowTitle} is about ${name} ${first.value}` +
    ` (named by ${first.step}: ${seenText(first.ev)}). The step for ${name} ${first.value} never appeared;` +
    ` look up ${ev.requestId ?? lookup ?? where(ev)} in the ${logOf(ev)}: two operations interleaved under one request id, or a retry on another resource.`
  );
}

function seenVersion(ev: FlowEvent): string {
  return `the calls used ${ev.service} ${ev.microversion} (${seenText(ev)})`;
}

/** The version-guard note when no variant's guard allows the calls: `variantId`, the best fit, needs `needs`. */
export function noVariantText(flowId: string, variantId: string, needs: string, ev: FlowEvent): string {
  return (
    `No variant of ${flowId} applies: ${variantId} needs ${needs}, but ${seenVersion(ev)}.` +
    " Replayed as that variant regardless; check the client's --os-*-api-version and the service release."
  );
}

/** The version-guard note when the calls fit `fitId` best but its guard made the replay take `takenId`. */
export function guardedText(fitId: string, needs: string, ev: FlowEvent, takenId: string): string {
  return (
    `The calls fit the ${fitId} variant best, but it applies only at ${needs} and ${seenVersion(ev)};` +
    ` replayed as ${takenId}. Below that microversion the service refuses this operation (or takes another route).`
  );
}
