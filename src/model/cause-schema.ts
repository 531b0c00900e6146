// The cause a rule names for a failure (own file: both findings and explanations carry it).
import * as z from '../core/zod.js';

export const FindingCause = z
  .object({
    flow: z
      .string()
      .check(
        z.describe(
          'The flow of the earlier operation, e.g. server/extend-volume; in an explanation, the command that ran it when no flow models it (volume set)',
        ),
      ),
    step: z.string().check(z.describe('Its step that left the resource in that state, e.g. extend-failed')),
    source: z.nullable(z.string()),
    line: z.nullable(z.number().check(z.int())),
    requestId: z.nullable(z.string()).check(z.describe("The request id of that step's line or call")),
    globalRequestId: z.nullable(z.string()).check(z.describe('The global request id the operation was grouped by')),
    resource: z.string().check(z.describe('volume, attachment')),
    resourceId: z.string(),
    state: z.string().check(z.describe('The status it was left in, e.g. error_extending')),
  })
  .check(
    z.describe('What caused the failure a finding is about: an earlier operation and the status it left a resource in'),
  );
export type FindingCause = z.infer<typeof FindingCause>;

export const FindingObserved = z
  .object({
    source: z.string(),
    line: z.number().check(z.int()),
    exchange: z
      .nullable(z.number().check(z.int()))
      .check(z.describe("The client's read that showed it; null: a command's printed table (a run without --debug)")),
    resource: z.string().check(z.describe('volume')),
    resourceId: z.string(),
    name: z.nullable(z.string()),
    state: z.string().check(z.describe('The status the read showed, e.g. available after an attach, error_extending')),
  })
  .check(
    z.describe(
      "A later read of the resource that showed what an accepted operation came to: the client's own evidence",
    ),
  );
export type FindingObserved = z.infer<typeof FindingObserved>;
