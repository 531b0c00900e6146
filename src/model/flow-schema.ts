// Flow replay results (owned by the flows stage, src/flows/).
import * as z from '../core/zod.js';

export const FlowStepResult = z.object({
  step: z.string(),
  status: z
    .enum(['matched', 'missing', 'out-of-order', 'failed', 'unexpected', 'skipped', 'mismatched'])
    .check(
      z.describe(
        "mismatched: the step happened, but for another resource than the instance's earlier steps named (another attachment, volume, server)",
      ),
    ),
  exchange: z.nullable(z.number().check(z.int())),
  line: z.nullable(z.number().check(z.int())),
  message: z
    .nullable(z.string())
    .check(z.describe('For every status but matched/skipped: what was expected, what was seen, where to look')),
  source: z.nullable(z.string()).check(z.describe('Log the event was read from')),
  observer: z
    .string()
    .check(z.describe('Where the step is observed: client, nova-api, nova-compute, cinder-api, cinder-volume…')),
  after: z.nullable(z.string()).check(z.describe('out-of-order: the step this one came after')),
  requestId: z.nullable(z.string()),
  // Optional in the type only (results built by hand elsewhere); the replay always fills them.
  title: z
    .optional(z.string())
    .check(z.describe("The step's title from its flow file, e.g. `Update the attachment with the connector`")),
  call: z
    .optional(z.nullable(z.string()))
    .check(
      z.describe(
        'The call the step expects as its flow file writes it, e.g. `PUT /attachments/{attachment}`; null for a service-log step',
      ),
    ),
  rollback: z
    .optional(z.boolean())
    .check(z.describe('The step undoes earlier ones after a failure (nova deleting the attachment)')),
  notShown: z
    .optional(z.boolean())
    .check(
      z.describe(
        'missing: a client step of a command that exited 0 which the log does not show though the command got past it ' +
          '(before the first step of it the log shows, or a lookup whose id a later step names and the command line does not give): ' +
          'not seen, not "never happened". Absent otherwise',
      ),
    ),
});
export type FlowStepResult = z.infer<typeof FlowStepResult>;

export const ResourceState = z
  .object({
    resource: z.enum(['volume', 'attachment']),
    id: z.string().check(z.describe("The resource's id, as the instance captured it")),
    state: z.string().check(z.describe('The status the step moved it to (error_extending, reserved, in-use…)')),
    step: z.string().check(z.describe('The step whose transition it was')),
    source: z.nullable(z.string()),
    line: z.nullable(z.number().check(z.int())),
    requestId: z.nullable(z.string()).check(z.describe("The request id of the step's line or call")),
    atMs: z
      .nullable(z.number())
      .check(z.describe("When the step's line or call was logged (ms, the logging service's clock)")),
  })
  .check(z.describe('Which status an operation left a resource in, and where that was seen'));
export type ResourceState = z.infer<typeof ResourceState>;

export const FlowResult = z.object({
  flow: z.string(),
  variant: z.nullable(z.string()),
  command: z.nullable(z.number().check(z.int())),
  verdict: z.enum(['complete', 'incomplete', 'failed']),
  steps: z.array(FlowStepResult),
  family: z.string().check(z.describe('The grammars/ file family the flow comes from')),
  requestId: z
    .nullable(z.string())
    .check(z.describe('request-scoped flows: the global request id the instance was grouped by')),
  explains: z
    .array(z.number().check(z.int()))
    .check(z.describe('Exchange ids this flow expects with the status they got (e.g. the 404s of name lookups)')),
  // Optional in the type only (results built by hand elsewhere); the replay always fills them (captures to line).
  captures: z
    .optional(z.record(z.string(), z.string()))
    .check(
      z.describe(
        'What the instance is about, as bound by path captures ({server}, {volume}, {attachment}…) and service-log markers (instance → server)',
      ),
    ),
  guard: z
    .optional(z.nullable(z.string()))
    .check(
      z.describe(
        'When a microversion guard decided the variant: which variant fitted the calls better, what it needs and what was seen',
      ),
    ),
  guardAt: z
    .optional(
      z.nullable(
        z.object({
          source: z.nullable(z.string()),
          line: z.nullable(z.number().check(z.int())),
          exchange: z.nullable(z.number().check(z.int())),
        }),
      ),
    )
    .check(z.describe('With guard: the call whose microversion the guard read')),
  source: z
    .optional(z.nullable(z.string()))
    .check(
      z.describe(
        "Where the instance starts: its command's first line, or its first anchor event (request-scoped flows)",
      ),
    ),
  line: z.optional(z.nullable(z.number().check(z.int()))),
  leaves: z
    .optional(z.nullable(ResourceState))
    .check(
      z.describe(
        'The status the instance left its resource in: the transition of its last step that happened (matched, or a rollback or failure line); null when none did or the resource id is unknown',
      ),
    ),
});
export type FlowResult = z.infer<typeof FlowResult>;
