// Flow replay results (owned by the flows stage, src/flows/).
import { z } from 'zod';

export const FlowStepResult = z.object({
  step: z.string(),
  status: z.enum(['matched', 'missing', 'out-of-order', 'failed', 'unexpected', 'skipped']),
  exchange: z.number().int().nullable(),
  line: z.number().int().nullable(),
  message: z.string().nullable().describe('For every status but matched/skipped: what was expected, what was seen, where to look'),
  source: z.string().nullable().describe('Log the event was read from'),
  observer: z.string().describe('Where the step is observed: client, nova-api, nova-compute, cinder-api, cinder-volume…'),
  after: z.string().nullable().describe('out-of-order: the step this one came after'),
  requestId: z.string().nullable(),
});
export type FlowStepResult = z.infer<typeof FlowStepResult>;

export const FlowResult = z.object({
  flow: z.string(),
  variant: z.string().nullable(),
  command: z.number().int().nullable(),
  verdict: z.enum(['complete', 'incomplete', 'failed']),
  steps: z.array(FlowStepResult),
  family: z.string().describe('The grammars/ file family the flow comes from'),
  requestId: z.string().nullable().describe('request-scoped flows: the global request id the instance was grouped by'),
  explains: z.array(z.number().int()).describe('Exchange ids this flow expects with the status they got (e.g. the 404s of name lookups)'),
});
export type FlowResult = z.infer<typeof FlowResult>;
