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
  id: string, status: StepStatus, severity: Severity, description: string, docs: string, adopts: string[] = [],
): Rule<Record<string, never>> {
  return defineRule({
    meta: { id, defaultSeverity: severity, description, docs, options: z.strictObject({}), adopts },
    create(ctx) {
      return {
        onEnd(analysis) {
          const flows = analysis.result.flows.filter((f) => f.steps.some((s) => s.status === status));
          if (flows.length === 0) return;
          // Indexed once: a long CI log has thousands of commands and exchanges.
          const commands = new Map(analysis.result.commands.map((c) => [c.id, c]));
          const exchanges = new Map(analysis.result.exchanges.map((e) => [e.id, e]));
          for (const flow of flows) {
            const command = flow.command === null ? undefined : commands.get(flow.command);
            for (const step of flow.steps) {
              if (step.status !== status) continue;
              const exchange = step.exchange === null ? undefined : exchanges.get(step.exchange);
              const name = flow.variant ? `${flow.flow} (${flow.variant})` : flow.flow;
              const detail = step.message ? `: ${maskText(step.message)}` : '';
              ctx.report({
                source: step.source ?? exchange?.source ?? command?.source ?? null,
                line: step.line ?? (step.source ? command?.line : exchange?.line ?? command?.line) ?? null,
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
