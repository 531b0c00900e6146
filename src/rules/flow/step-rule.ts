// The flow/* step rules read the flow replay results (result.flows) and report the
// steps of one status: at the step's event when it has one, else where its flow
// instance starts (the command, or the first anchor call of a service-side flow).
import { z } from 'zod';
import { defineRule, type Rule } from '../../engine/types.js';
import type { Severity } from '../../model/schema.js';
import type { FlowResult } from '../../model/flow-schema.js';
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
          const flows = analysis.result.flows.filter((f) => f.steps.some((s) => s.status === status));
          if (flows.length === 0) return;
          // Results made by hand (no instance location) fall back on their command and exchanges, looked up
          // only then: a long CI log has thousands of both, and they may live on disk.
          const unplaced = flows.filter((f) => f.source === undefined);
          const commands = pick(analysis.result.commands, new Set(unplaced.map((f) => f.command)));
          const exchanges = pick(
            analysis.result.exchanges,
            new Set(unplaced.flatMap((f) => f.steps.map((s) => (s.status === status ? s.exchange : null)))),
          );
          for (const flow of flows) {
            const command = flow.command === null ? undefined : commands.get(flow.command);
            for (const step of flow.steps) {
              if (step.status !== status) continue;
              const exchange = step.exchange === null ? undefined : exchanges.get(step.exchange);
              const name = flow.variant ? `${flow.flow} (${flow.variant})` : flow.flow;
              const detail = step.message ? `: ${maskText(step.message)}` : '';
              const at =
                step.source !== null
                  ? { source: step.source, line: step.line }
                  : flow.source !== undefined
                    ? { source: flow.source, line: flow.line ?? null }
                    : exchange
                      ? { source: exchange.source, line: exchange.line }
                      : { source: command?.source ?? null, line: command?.line ?? null };
              ctx.report({
                ...at,
                exchange: step.exchange,
                message: `flow ${name}: step ${step.step} ${status.replace('-', ' ')}${detail}`,
              });
            }
          }
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
