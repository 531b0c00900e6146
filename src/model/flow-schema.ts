// Flow replay results (owned by the flows stage, src/flows/).
import { z } from 'zod';

export const FlowStepResult = z.object({
  step: z.string(),
  status: z.enum(['matched', 'missing', 'out-of-order', 'failed', 'unexpected', 'skipped']),
  exchange: z.number().int().nullable(),
  line: z.number().int().nullable(),
  message: z.string().nullable(),
});

export const FlowResult = z.object({
  flow: z.string(),
  variant: z.string().nullable(),
  command: z.number().int().nullable(),
  verdict: z.enum(['complete', 'incomplete', 'failed']),
  steps: z.array(FlowStepResult),
});
export type FlowResult = z.infer<typeof FlowResult>;
