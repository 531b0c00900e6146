// Replay one flow instance: align the events against every path of every
// variant (align.ts), keep the best route the microversions allow, say for each
// step what happened (verdicts.ts, in the words of messages.ts), and note when a
// version guard decided the variant. The result is facts only: the flow/* rules
// turn its steps and guard note into findings.
import type { FlowResult } from '../model/flow-schema.js';
import { bestRoutes, guardViolation, recognise, unsettledAfterFailure } from './align.js';
import type { CompiledFlow } from './compile.js';
import type { FlowEvent } from './events.js';
import { guardedText, noVariantText } from './messages.js';
import { checkCaptures, explainsOf, leftState, stepResults, verdictOf } from './verdicts.js';

/**
 * The steps' messages in a flow result's JSON row (steps come right before captures, above):
 * most of a row's text and its only non-ASCII. A reader that never reads them has a spilled
 * row decoded with them null (`rowsWith`'s `unread`).
 */
export const STEP_MESSAGES = { key: '"message":', from: '"steps":[', to: '],"captures":' } as const;
export interface InstanceContext {
  command: number | null;
  /** The global request id of a request-scoped instance. */
  requestId: string | null;
  /** Where the instance starts (its command, or its first anchor event). */
  source: string | null;
  line: number | null;
  /** e.g. "command `server add volume` (line 1)". */
  label: string;
  /** Client calls outside any command: the operation may have begun before the log does. */
  startUnseen?: boolean;
  /** The instance's command exited 0, with these arguments (null: not in the log): client steps it got past may be not shown (verdicts.ts). */
  exitedOk?: { argv: readonly string[] | null };
  /** The instance's command has no exit status in the log, with these arguments (null: not in the log): client steps it got past may be not shown (verdicts.ts). */
  endUnseen?: { argv: readonly string[] | null };
}

/** Replay one instance; null when no event of the flow is present. */
export function replayInstance(flow: CompiledFlow, events: FlowEvent[], ctx: InstanceContext): FlowResult | null {
  const found = recognise(flow, events);
  if (found === null) return null;
  const routes = bestRoutes(flow, found);
  const bestAny = routes.bestAny;
  let best = routes.best;
  if (bestAny === null) return null;
  // When a guard is what set the best route apart from the best fit, the operator is told (the guard decided the verdict).
  let guard: { text: string; ev: FlowEvent } | null = null;
  if (best === null) {
    // No variant applies: replay the best fit anyway rather than drop the instance, and say why.
    best = bestAny;
    const v = guardViolation(best.variant, found.relevant)!;
    guard = { ev: v.ev, text: noVariantText(flow.def.id, best.variant.def.id, v.needs, v.ev) };
  } else if (bestAny.variant !== best.variant) {
    const v = guardViolation(bestAny.variant, found.relevant)!;
    guard = { ev: v.ev, text: guardedText(bestAny.variant.def.id, v.needs, v.ev, best.variant.def.id) };
  }

  const lookup = ctx.requestId ? `global request id ${ctx.requestId}` : null;
  const steps = stepResults(flow, best, found, {
    lookup,
    label: ctx.label,
    startUnseen: ctx.startUnseen === true,
    ...(ctx.exitedOk ? { exitedOk: ctx.exitedOk } : {}),
    ...(ctx.endUnseen ? { endUnseen: ctx.endUnseen } : {}),
    // Ties between routes are broken by declaration order: that order says nothing of what the run did after a failure.
    unsettled: best === routes.best ? unsettledAfterFailure(best, routes.ties, found) : new Set(),
  });
  const captures = checkCaptures(steps, flow, lookup);
  // Key order matters to readers of spilled rows: `steps` right before `captures` (STEP_MESSAGES).
  return {
    flow: flow.def.id,
    variant: best.variant.def.id,
    command: ctx.command,
    verdict: verdictOf(steps),
    family: flow.family,
    requestId: ctx.requestId,
    explains: explainsOf(steps),
    steps: steps.map(({ seq: _seq, ev: _ev, cs: _cs, copy: _copy, group: _group, ...s }) => s),
    captures: Object.fromEntries(captures),
    guard: guard?.text ?? null,
    guardAt: guard
      ? { source: guard.ev.source ?? ctx.source, line: guard.ev.line ?? ctx.line, exchange: guard.ev.exchange }
      : null,
    source: ctx.source,
    line: ctx.line,
    leaves: leftState(steps, captures),
  };
}
