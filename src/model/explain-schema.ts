// Explanations (owned by the explain stage, src/explain/): the story of each problem
// of a run, read from what the earlier stages computed — commands and their exit
// codes, exchanges, chains, flow verdicts, service events and findings.
import { z } from 'zod';
import { FindingCause } from './cause-schema.js';
import { ServiceError } from './service-schema.js';

const Place = {
  source: z.string().nullable(),
  line: z.number().int().nullable(),
};

export const ExplainedCall = z.object({
  service: z
    .string()
    .nullable()
    .describe('Who answered: a service label (cinder-api) or, for the client, the catalog type'),
  method: z.string().nullable(),
  path: z.string().nullable().describe('As logged'),
  call: z
    .string()
    .nullable()
    .describe('The call as the flow step names it (PUT /attachments/{attachment}), else the endpoint template'),
  status: z.number().int().nullable(),
  error: z.string().nullable().describe('Error text of the response (secrets masked)'),
  durationMs: z.number().nullable(),
  requestId: z.string().nullable().describe("The callee's own request id"),
  globalRequestId: z.string().nullable().describe('The global request id it ran under, when known'),
  exchange: z.number().int().nullable(),
  ...Place,
});
export type ExplainedCall = z.infer<typeof ExplainedCall>;

export const ExplanationEvent = z.object({
  kind: z
    .enum(['rollback', 'retry', 'timeout', 'late', 'error-log', 'missing', 'finding', 'silent'])
    .describe(
      'rollback: a step that undid the operation; timeout: a MessagingTimeout or a call slower than the flow allows; ' +
        'error-log: an ERROR line of a service; missing: required steps that never happened; finding: another rule said so; ' +
        'silent: a service whose log was given but has no line of this operation; ' +
        'late: after a timeout, a service that logged the request only after the caller had given up',
    ),
  text: z.string(),
  ...Place,
});
export type ExplanationEvent = z.infer<typeof ExplanationEvent>;

export const Explanation = z.object({
  severity: z
    .enum(['error', 'warning'])
    .describe('error: the operation failed; warning: it did not finish (a step is missing)'),
  title: z.string().describe('One line: what was asked and how it ended'),
  text: z.string().describe('The paragraph: what was asked, where it first went wrong, what followed, where to look'),
  command: z
    .object({
      id: z.number().int(),
      name: z.string().nullable(),
      argv: z.array(z.string()),
      exitCode: z.number().int().nullable(),
      error: z.string().nullable().describe("The command's error line (secrets masked, cut)"),
      ...Place,
    })
    .nullable()
    .describe('The client command, when the client log was given'),
  clientCall: ExplainedCall.nullable().describe(
    "The client's call that started the operation, with what the client saw",
  ),
  firstError: ExplainedCall.extend({
    step: z.string().nullable().describe('The flow step, when a flow names it'),
    flow: z.string().nullable(),
  })
    .nullable()
    .describe('Where it first went wrong: the failed call that ended first'),
  loggedError: ServiceError.nullable().describe(
    'The ERROR record this explanation is about, when no call or flow tells the problem (a pasted traceback)',
  ),
  loggedCall: z
    .object({
      status: z.number().int().nullable(),
      requestId: z.string().nullable().describe("The called service's own request id, as the record quoted it"),
      exchange: z.number().int(),
      service: z
        .string()
        .nullable()
        .describe('The called service, when the record names it (placement); null when only its answer tells'),
    })
    .nullable()
    .optional()
    .describe(
      "The call whose answer that ERROR record quoted (`(HTTP 500) (Request-ID: req-…)`), when the called service's log was not given; absent otherwise",
    ),
  cause: FindingCause.nullable().describe(
    'An earlier operation that left the resource in the state this call was refused for (a failed extend behind a detach 400)',
  ),
  followed: z.array(ExplanationEvent).describe('What came after, in log order'),
  resource: z
    .object({
      type: z.string(),
      id: z.string(),
      name: z.string().nullable(),
      states: z
        .array(
          z.object({
            status: z.string(),
            when: z
              .enum(['before', 'during', 'after'])
              .nullable()
              .describe("Read before, during or after the problem's command (null without one)"),
            exchange: z.number().int(),
            ...Place,
          }),
        )
        .describe('The statuses the client saw it in, in log order; repeats collapsed within before, during and after'),
    })
    .nullable()
    .describe('The volume (or server) of the operation and the states the client saw it in'),
  grep: z
    .array(z.object({ id: z.string(), logs: z.array(z.string()), why: z.string() }))
    .describe('Ids to look up next and in which logs'),
  missingLogs: z.array(z.string()).describe('Services whose log would settle it but was not given'),
  flows: z.array(
    z.object({
      flow: z.string(),
      variant: z.string().nullable(),
      verdict: z.enum(['complete', 'incomplete', 'failed']),
      command: z.number().int().nullable(),
      requestId: z.string().nullable(),
    }),
  ),
  findings: z.array(z.object({ ruleId: z.string(), ...Place })).describe('The findings this explanation accounts for'),
  alike: z
    .object({
      count: z.number().int().describe('How many more operations went wrong the same way'),
      requestIds: z.array(z.string()).describe('The first of their request ids'),
    })
    .describe(
      'Operations no command started that failed alike (same flow, first error or missing step, missing logs): told once',
    ),
});
export type Explanation = z.infer<typeof Explanation>;

export const Unconfirmed = z
  .object({
    operation: z.enum(['attach', 'detach', 'create', 'extend', 'retype']),
    volume: z.string().describe('As the command named it'),
    server: z.string().nullable(),
    command: z.object({ name: z.string().nullable(), argv: z.array(z.string()), ...Place }),
    call: z.object({ status: z.number().int().nullable(), requestId: z.string().nullable(), ...Place }),
  })
  .describe(
    'An asynchronous operation the API accepted whose outcome the given logs do not show: the client log alone, ' +
      'and no later read of the volume by the client',
  );
export type Unconfirmed = z.infer<typeof Unconfirmed>;
