// The flow/* step rules read the flow replay results (result.flows) and report the
// steps of one status: at the step's event when it has one, else where its flow
// instance starts (the command, or the first anchor call of a service-side flow).
import * as z from '../../core/zod.js';
import { defineRule, type ReportInput, type Rule } from '../../engine/types.js';
import type { Severity } from '../../model/schema.js';
import type { FlowResult } from '../../model/flow-schema.js';
import { rowsWith } from '../../rows/rows.js';
import { maskText } from '../../secrets/mask.js';

type StepStatus = FlowResult['steps'][number]['status'];

export function flowStepRule(
  id: string,
  status: StepStatus,
  severity: Severity,
  description: string,
  docs: string,
): Rule<Record<string, never>> {
  return defineRule({
    meta: { id, defaultSeverity: severity, description, docs, options: z.strictObject({}) },
    create(ctx) {
      return {
        onEnd(analysis) {
          // One pass over the flow results, which may live on disk (thousands on a long run):
          // read as a stream and never held together. Results made by hand (no instance
          // location) fall back on their command and exchanges: those are kept aside and
          // looked up after the pass, as a long CI log has thousands of both, maybe on disk.
          const hasStatus = (f: FlowResult) => f.steps.some((s) => s.status === status);
          const marker = `"status":${JSON.stringify(status)}`;
          const unobserved = status === 'missing' ? new UnobservedSteps(analysis.result.inputs) : null;
          const handMade: FlowResult[] = [];
          const report = (flow: FlowResult, locate: (step: FlowResult['steps'][number]) => At) => {
            const name = flow.variant ? `${flow.flow} (${flow.variant})` : flow.flow;
            for (const step of flow.steps) {
              if (step.status !== status) continue;
              const at = locate(step);
              if (unobserved?.take(flow, name, step, at)) continue;
              const detail = step.message ? `: ${maskText(step.message)}` : '';
              // A step the command got past that the log leaves out is not seen, not missing: a warning.
              const unshown = step.status === 'missing' && step.notShown === true;
              ctx.report({
                ...at,
                exchange: step.exchange,
                message: `flow ${name}: step ${step.step} ${unshown ? 'not shown' : status.replace('-', ' ')}${detail}`,
                ...(unshown ? { severity: 'warning' as const } : {}),
              });
            }
          };
          for (const flow of rowsWith(analysis.result.flows, marker, hasStatus)) {
            if (flow.source === undefined) handMade.push(flow);
            else
              report(flow, (step) =>
                step.source !== null
                  ? { source: step.source, line: step.line }
                  : { source: flow.source!, line: flow.line ?? null },
              );
          }
          if (handMade.length > 0) {
            const commands = pick(analysis.result.commands, new Set(handMade.map((f) => f.command)));
            const exchanges = pick(
              analysis.result.exchanges,
              new Set(handMade.flatMap((f) => f.steps.filter((s) => s.status === status).map((s) => s.exchange))),
            );
            for (const flow of handMade) {
              const command = flow.command === null ? undefined : commands.get(flow.command);
              report(flow, (step) => {
                const exchange = step.exchange === null ? undefined : exchanges.get(step.exchange);
                return step.source !== null
                  ? { source: step.source, line: step.line }
                  : exchange
                    ? { source: exchange.source, line: exchange.line }
                    : { source: command?.source ?? null, line: command?.line ?? null };
              });
            }
          }
          for (const finding of unobserved?.findings() ?? []) ctx.report(finding);
        },
      };
    },
  });
}

function pick<T extends { id: number }>(rows: Iterable<T>, ids: ReadonlySet<number | null>): Map<number, T> {
  const out = new Map<number, T>();
  if (![...ids].some((id) => id !== null)) return out;
  for (const row of rows) if (ids.has(row.id)) out.set(row.id, row);
  return out;
}

/**
 * Missing steps of service-side flow instances on a service none of whose logs was
 * given (only nova logs: every attach misses its cinder-api steps): one finding per
 * flow and service, with the count, instead of one per step of every instance, which
 * would say the same thing thousands of times and grow with the log. Only when every
 * input has a service label (an unlabelled input might be that service's log).
 */
class UnobservedSteps {
  private readonly present: ReadonlySet<string> | null;
  private readonly groups = new Map<
    string,
    { name: string; observer: string; steps: Set<string>; instances: number; lastFlow: FlowResult | null; at: At }
  >();

  constructor(inputs: ReadonlyArray<{ service?: string | null }>) {
    const labels = inputs.map((i) => i.service ?? null);
    this.present = labels.includes(null) ? null : new Set(labels as string[]);
  }

  /** True when the step is counted here instead of reported on its own. */
  take(flow: FlowResult, name: string, step: FlowResult['steps'][number], at: At): boolean {
    if (this.present === null || flow.command !== null) return false;
    if (this.present.has(step.observer)) return false;
    const key = `${name}\u0000${step.observer}`;
    let group = this.groups.get(key);
    if (!group) {
      group = { name, observer: step.observer, steps: new Set(), instances: 0, lastFlow: null, at };
      this.groups.set(key, group);
    }
    group.steps.add(step.step);
    if (group.lastFlow !== flow) {
      group.lastFlow = flow;
      group.instances++;
    }
    return true;
  }

  findings(): ReportInput[] {
    return [...this.groups.values()].map((g) => ({
      ...g.at,
      exchange: null,
      severity: 'warning' as const,
      message:
        `flow ${g.name}: the ${g.observer} steps (${[...g.steps].join(', ')}) of ${g.instances} ` +
        `instance${g.instances === 1 ? '' : 's'} could not be seen: no ${g.observer} log was given ` +
        `(the first instance starts here). Give ostrace the ${g.observer} log to check them.`,
    }));
  }
}

type At = { source: string | null; line: number | null };
