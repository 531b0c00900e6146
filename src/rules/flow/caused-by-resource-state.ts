// flow/caused-by-resource-state: a call refused because of a resource's status,
// linked to the earlier operation that left the resource in that status (an extend
// that failed in cinder-volume leaves the volume error_extending; the detach after it
// gets 400 "Volume status must be 'in-use'…"; a create no backend could take leaves it
// error, and the attach gets 400 "…can not be created if the volume is in an error state"). Reads the flow results only: each
// instance's `leaves` fact (which status it left which resource in, where) and the
// failed steps of the later instances.
import * as z from '../../core/zod.js';
import { defineRule } from '../../engine/types.js';
import { rowsWith } from '../../rows/rows.js';
import type { Exchange, FindingCause } from '../../model/schema.js';
import type { FlowResult, ResourceState } from '../../model/flow-schema.js';
import { describeExchange } from '../describe.js';

/** Statuses an operation ends in only when something went wrong, whatever its verdict. */
const ERROR_STATE = /^error/;
/** Statuses a finished operation leaves behind as such: the resource is usable. */
const SETTLED = new Set(['available', 'in-use']);
/** How a service refuses a call for the resource's status: 400 (cinder's InvalidVolume), 409 (nova's conflict). */
const STATE_REFUSALS = new Set([400, 409]);

/** What an earlier instance left: only the fields the finding names, not the whole result. */
interface Cause {
  flow: Pick<FlowResult, 'flow' | 'verdict' | 'requestId'>;
  /** The instance, to tell it from the failed one (results are read back from disk as new objects). */
  instance: string;
  state: ResourceState;
}

/** One flow instance, the same however often the results are read. */
function instanceKey(f: FlowResult): string {
  return `${f.flow}\u0000${f.variant}\u0000${f.command}\u0000${f.requestId}\u0000${f.source}\u0000${f.line}`;
}

/** The operation left its resource unusable: an error status, or a transitional one it never finished. */
function isStuck(flow: Pick<FlowResult, 'verdict'>, state: ResourceState): boolean {
  return ERROR_STATE.test(state.state) || (flow.verdict !== 'complete' && !SETTLED.has(state.state));
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function timeMs(at: string | null): number | null {
  if (!at) return null;
  const t = Date.parse(at.includes('T') ? at : at.replace(' ', 'T'));
  return Number.isNaN(t) ? null : t;
}

/**
 * What the operator does about the cause. An operation that made the resource and failed (a volume
 * create the scheduler could not place) left a record that exists on no backend: a status reset would
 * only hide that, so it is deleted and made again. Any other failure left a real resource whose status
 * is reset once the failure is fixed.
 */
export function causeAdvice(cause: Pick<FindingCause, 'flow' | 'resource'>): string {
  return CREATES.has(cause.flow)
    ? `fix that failure first (its log line says why), then delete the ${cause.resource} and create it again`
    : `fix that failure first (its log line says why), then have the ${cause.resource}'s status reset (cinder reset-state) and retry`;
}
/**
 * Operations that make the resource: the flow (grammars/server-volume-create.flow.json), or the
 * command, when the client log alone told the cause (command/left-in-error's create).
 */
const CREATES = new Set(['server/volume-create', 'volume create']);

function where(source: string | null, line: number | null): string {
  return `${source ?? 'input'}:${line ?? '?'}`;
}

export const causedByResourceState = defineRule({
  meta: {
    id: 'flow/caused-by-resource-state',
    defaultSeverity: 'error',
    description:
      'A call failed because an earlier operation left its resource in an error status; names that operation.',
    docs:
      "Fires on a failed step of a flow instance (a call answered 400 or 409, how Cinder and Nova refuse a call for the resource's status) " +
      'when an earlier flow instance left the same resource (volume, attachment: the same id among the captures) in an error status ' +
      '(error after a failed create, error_extending, error_attaching…) or, without completing, in a transitional one (creating, reserved, attaching, detaching, extending), ' +
      'and no later instance moved it on before the failed call. The finding is on the failed call as the client saw it when the ' +
      "client log has it (same request id), else on the service-side step; it names the earlier operation's step, line, request id " +
      'and the status, also as the structured `cause` of the finding. Needs the service logs that show the earlier failure ' +
      '(e.g. cinder-volume for an extend, cinder-scheduler for a create no backend could take) and timestamps on both sides. ' +
      'A resource made by the failed operation (a volume create) is to be deleted and created again, any other to have its status reset.',
    options: z.strictObject({}),
  },
  create(ctx) {
    return {
      onEnd(analysis) {
        // The flow results may live on disk: read only the rows that hold these facts (rowsWith).
        const flows = analysis.result.flows;
        const states: Cause[] = [];
        for (const f of rowsWith(flows, '"leaves":{', (row) => row.leaves != null))
          states.push({
            flow: { flow: f.flow, verdict: f.verdict, requestId: f.requestId },
            instance: instanceKey(f),
            state: f.leaves!,
          });
        if (!states.some(({ flow, state }) => isStuck(flow, state))) return;

        // The failed calls of every failed instance: their exchanges give the status, the time and the error text.
        const failed = [...rowsWith(flows, '"verdict":"failed"', (f) => f.verdict === 'failed')];
        const wanted = new Set(
          failed.flatMap((f) =>
            f.steps.filter((s) => s.status === 'failed' && s.exchange !== null).map((s) => s.exchange!),
          ),
        );
        const exchanges = new Map<number, Exchange>();
        for (const e of analysis.result.exchanges) if (wanted.has(e.id)) exchanges.set(e.id, e);

        /** The latest status an instance left `id` in before `atMs` (the cause when it is stuck). */
        const stateBefore = (id: string, atMs: number, self: FlowResult): Cause | null => {
          let best: Cause | null = null;
          const own = instanceKey(self);
          for (const c of states) {
            if (c.instance === own || c.state.id !== id || c.state.atMs === null || c.state.atMs > atMs) continue;
            if (best === null || c.state.atMs >= best.state.atMs!) best = c;
          }
          return best !== null && isStuck(best.flow, best.state) ? best : null;
        };

        // Service-side instances (timed): the innermost call refused for the resource's status (cinder-api's
        // begin_detaching rather than the nova-api DELETE that passed its 400 on), one link per instance.
        const links: Array<{ flow: FlowResult; exchange: Exchange; cause: Cause }> = [];
        for (const flow of failed) {
          if (flow.requestId === null) continue;
          const ids = new Set(Object.values(flow.captures ?? {}));
          let link: { flow: FlowResult; exchange: Exchange; cause: Cause } | null = null;
          for (const step of flow.steps) {
            const e = step.status === 'failed' && step.exchange !== null ? exchanges.get(step.exchange) : undefined;
            const at = e ? timeMs(e.startedAt) : null;
            if (!e || at === null || e.status === null || !STATE_REFUSALS.has(e.status)) continue;
            const cause = [...ids].map((id) => stateBefore(id, at, flow)).find((c) => c !== null);
            if (cause) link = { flow, exchange: e, cause };
          }
          if (link) links.push(link);
        }
        if (links.length === 0) return;

        // The same call as the client saw it (client flows share the request id of the API call they made).
        const clientCall = new Map<string, Exchange>();
        for (const flow of failed) {
          if (flow.requestId !== null) continue;
          for (const s of flow.steps) {
            const e = s.status === 'failed' && s.exchange !== null ? exchanges.get(s.exchange) : undefined;
            if (e?.requestId && !clientCall.has(e.requestId)) clientCall.set(e.requestId, e);
          }
        }

        for (const { flow, exchange, cause } of links) {
          const shown = clientCall.get(flow.requestId!) ?? exchange;
          const { state } = cause;
          const structured: FindingCause = {
            flow: cause.flow.flow,
            step: state.step,
            source: state.source,
            line: state.line,
            requestId: state.requestId,
            globalRequestId: cause.flow.requestId,
            resource: state.resource,
            resourceId: state.id,
            state: state.state,
          };
          const refused = shown === exchange ? '' : ` (refused at ${where(exchange.source, exchange.line)})`;
          // An operation without a global request id (a client's volume create) is grouped by its own request id.
          const global = cause.flow.requestId !== null && cause.flow.requestId !== state.requestId;
          const ids = `request id ${state.requestId ?? '?'}${global ? `, global request id ${cause.flow.requestId}` : ''}`;
          ctx.report({
            source: shown.source,
            line: shown.line,
            exchange: shown.id,
            cause: structured,
            message:
              `${describeExchange(shown)} returned ${shown.status ?? '?'}${refused}` +
              ` because ${cause.flow.flow} left ${state.resource} ${state.id} \`${state.state}\`` +
              ` at ${where(state.source, state.line)} (step ${state.step}, ${ids}).` +
              ` ${capitalized(causeAdvice(structured))}.`,
          });
        }
      },
    };
  },
});
