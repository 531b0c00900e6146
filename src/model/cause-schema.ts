// The cause a rule names for a failure (own file: both findings and explanations carry it).
import { z } from 'zod';

export const FindingCause = z
  .object({
    flow: z
      .string()
      .describe(
        'The flow of the earlier operation, e.g. server/extend-volume; in an explanation, the command that ran it when no flow models it (volume set)',
      ),
    step: z.string().describe('Its step that left the resource in that state, e.g. extend-failed'),
    source: z.string().nullable(),
    line: z.number().int().nullable(),
    requestId: z.string().nullable().describe("The request id of that step's line or call"),
    globalRequestId: z.string().nullable().describe('The global request id the operation was grouped by'),
    resource: z.string().describe('volume, attachment'),
    resourceId: z.string(),
    state: z.string().describe('The status it was left in, e.g. error_extending'),
  })
  .describe('What caused the failure a finding is about: an earlier operation and the status it left a resource in');
export type FindingCause = z.infer<typeof FindingCause>;

export const FindingObserved = z
  .object({
    source: z.string(),
    line: z.number().int(),
    exchange: z.number().int().describe("The client's read that showed it"),
    resource: z.string().describe('volume'),
    resourceId: z.string(),
    name: z.string().nullable(),
    state: z.string().describe('The status the read showed, e.g. available after an attach, error_extending'),
  })
  .describe("A later read of the resource that showed what an accepted operation came to: the client's own evidence");
export type FindingObserved = z.infer<typeof FindingObserved>;
