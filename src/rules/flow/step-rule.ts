// The flow/* step rules read the flow replay results (result.flows) and report the
// steps of one status: at the step's event when it has one, else where its flow
// instance starts (the command, or the first anchor call of a service-side flow).
import { z } from 'zod';
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
          // One pass to see what is needed, one to report: the flow results may live on disk
          // (thousands on a long run), so they are read as a stream and never held together.
          // Results made by hand (no instance location) fall back on their command and exchanges, looked up
          // only then: a long CI log has thousands of both, and they may live on disk.
          const commandIds = new Set<number | null>();
          const exchangeIds = new Set<number | null>();
          let any = false;
          const hasStatus = (f: FlowResult) => f.steps.some((s) => s.status === status);
          const marker = `"status":${JSON.stringify(status)}`;
          for (const flow of rowsWith(analysis.result.flows, marker, hasStatus)) {
            any = true;
            if (flow.source !== undefined) continue;
            commandIds.add(flow.command);
            for (const s of flow.steps) if (s.status === status) exchangeIds.add(s.exchange);
          }
          if (!any) return;
          const commands = pick(analysis.result.commands, commandIds);
          const exchanges = pick(analysis.result.exchanges, exchangeIds);
          const unobserved = status === 'missing' ? new UnobservedSteps(analysis.result.inputs) : null;
          for (const flow of rowsWith(analysis.result.flows, marker, hasStatus)) {
            const command = flow.command === null ? undefined : commands.get(flow.command);
            const name = flow.variant ? `${flow.flow} (${flow.variant})` : flow.flow;
            for (const step of flow.steps) {
              if (step.status !== status) continue;
              const exchange = step.exchange === null ? undefined : exchanges.get(step.exchange);
              const at =
                step.source !== null
                  ? { source: step.source, line: step.line }
                  : flow.source !== undefined
                    ? { source: flow.source, line: flow.line ?? null }
                    : exchange
                      ? { source: exchange.source, line: exchange.line }
                      : { source: command?.source ?? null, line: command?.line ?? null };
              if (unobserved?.take(flow, name, step, at)) continue;
              const detail = step.message ? `: ${maskText(step.message)}` : '';
              ctx.report({
                ...at,
                exchange: step.exchange,
                message: `flow ${name}: step ${step.step} ${status.replace('-', ' ')}${detail}`,
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
