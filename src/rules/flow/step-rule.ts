// The flow/* rules read the flow replay results (result.flows) and report the
// steps of one status. The flow stage may also push flow/* findings itself; the
// engine adopts those (same rule id) and drops duplicates by ruleId+source+line.
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
  adopts: string[] = [],
): Rule<Record<string, never>> {
  return defineRule({
    meta: { id, defaultSeverity: severity, description, docs, options: z.strictObject({}), adopts },
    create(ctx) {
      return {
        onEnd(analysis) {
          const flows = analysis.result.flows.filter((f) => f.steps.some((s) => s.status === status));
          if (flows.length === 0) return;
          // Only the commands and exchanges these steps name are looked up: a long CI
          // log has thousands of both, and they may live on disk.
          const commands = pick(analysis.result.commands, new Set(flows.map((f) => f.command)));
          const exchanges = pick(
            analysis.result.exchanges,
            new Set(flows.flatMap((f) => f.steps.map((s) => (s.status === status ? s.exchange : null)))),
          );
          for (const flow of flows) {
            const command = flow.command === null ? undefined : commands.get(flow.command);
            for (const step of flow.steps) {
              if (step.status !== status) continue;
              const exchange = step.exchange === null ? undefined : exchanges.get(step.exchange);
              const name = flow.variant ? `${flow.flow} (${flow.variant})` : flow.flow;
              const detail = step.message ? `: ${maskText(step.message)}` : '';
              ctx.report({
                source: step.source ?? exchange?.source ?? command?.source ?? null,
                line: step.line ?? (step.source ? command?.line : (exchange?.line ?? command?.line)) ?? null,
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
  for (const row of rows) if (ids.has(row.id)) out.set(row.id, row);
  return out;
}
