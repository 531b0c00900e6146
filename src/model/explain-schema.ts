// Explanations (owned by the explain stage, src/explain/): the story of each problem
// of a run, read from what the earlier stages computed — commands and their exit
// codes, exchanges, chains, flow verdicts, service events and findings.
import * as z from '../core/zod.js';
import { FindingCause } from './cause-schema.js';
import { ServiceError } from './service-schema.js';

const Place = {
  source: z.nullable(z.string()),
  line: z.nullable(z.number().check(z.int())),
};

export const ExplainedCall = z.object({
  service: z
    .nullable(z.string())
    .check(z.describe('Who answered: a service label (cinder-api) or, for the client, the catalog type')),
  method: z.nullable(z.string()),
  path: z.nullable(z.string()).check(z.describe('As logged')),
  call: z
    .nullable(z.string())
    .check(
      z.describe('The call as the flow step names it (PUT /attachments/{attachment}), else the endpoint template'),
    ),
  status: z.nullable(z.number().check(z.int())),
  error: z.nullable(z.string()).check(z.describe('Error text of the response (secrets masked)')),
  durationMs: z.nullable(z.number()),
  requestId: z.nullable(z.string()).check(z.describe("The callee's own request id")),
  globalRequestId: z.nullable(z.string()).check(z.describe('The global request id it ran under, when known')),
  exchange: z.nullable(z.number().check(z.int())),
  ...Place,
});
export type ExplainedCall = z.infer<typeof ExplainedCall>;

export const ExplanationEvent = z.object({
  kind: z
    .enum(['rollback', 'retry', 'timeout', 'late', 'error-log', 'missing', 'finding', 'silent'])
    .check(
      z.describe(
        'rollback: a step that undid the operation; timeout: a MessagingTimeout or a call slower than the flow allows; ' +
          'error-log: an ERROR line of a service; missing: required steps that never happened; finding: another rule said so; ' +
          'silent: a service whose log was given but has no line of this operation; ' +
          'late: after a timeout, a service that logged the request only after the caller had given up',
      ),
    ),
  text: z.string(),
  ...Place,
});
export type ExplanationEvent = z.infer<typeof ExplanationEvent>;

export const Explanation = z.object({
  severity: z
    .enum(['error', 'warning'])
    .check(z.describe('error: the operation failed; warning: it did not finish (a step is missing)')),
  title: z.string().check(z.describe('One line: what was asked and how it ended')),
  text: z
    .string()
    .check(z.describe('The paragraph: what was asked, where it first went wrong, what followed, where to look')),
  command: z
    .nullable(
      z.object({
        id: z.number().check(z.int()),
        name: z.nullable(z.string()),
        argv: z.array(z.string()),
        exitCode: z.nullable(z.number().check(z.int())),
        error: z.nullable(z.string()).check(z.describe("The command's error line (secrets masked, cut)")),
        usageError: z
          .optional(z.literal(true))
          .check(z.describe("argparse refused its command line: `error` is argparse's message; absent otherwise")),
        ...Place,
      }),
    )
    .check(z.describe('The client command, when the client log was given')),
  clientCall: z
    .nullable(ExplainedCall)
    .check(z.describe("The client's call that started the operation, with what the client saw")),
  firstError: z
    .nullable(
      z.extend(ExplainedCall, {
        step: z.nullable(z.string()).check(z.describe('The flow step, when a flow names it')),
        flow: z.nullable(z.string()),
      }),
    )
    .check(z.describe('Where it first went wrong: the failed call that ended first')),
  loggedError: z
    .nullable(ServiceError)
    .check(
      z.describe(
        'The ERROR record this explanation is about, when no call or flow tells the problem (a pasted traceback)',
      ),
    ),
  loggedCall: z
    .optional(
      z.nullable(
        z.object({
          status: z.nullable(z.number().check(z.int())),
          requestId: z
            .nullable(z.string())
            .check(z.describe("The called service's own request id, as the record quoted it")),
          exchange: z.number().check(z.int()),
          service: z
            .nullable(z.string())
            .check(
              z.describe('The called service, when the record names it (placement); null when only its answer tells'),
            ),
        }),
      ),
    )
    .check(
      z.describe(
        "The call whose answer that ERROR record quoted (`(HTTP 500) (Request-ID: req-…)`), when the called service's log was not given; absent otherwise",
      ),
    ),
  cause: z
    .nullable(FindingCause)
    .check(
      z.describe(
        'An earlier operation that left the resource in the state this call was refused for (a failed extend behind a detach 400)',
      ),
    ),
  followed: z.array(ExplanationEvent).check(z.describe('What came after, in log order')),
  resource: z
    .nullable(
      z.object({
        type: z.string(),
        id: z.string(),
        name: z.nullable(z.string()),
        states: z
          .array(
            z.object({
              status: z.string(),
              when: z
                .nullable(z.enum(['before', 'during', 'after']))
                .check(z.describe("Read before, during or after the problem's command (null without one)")),
              exchange: z.number().check(z.int()),
              ...Place,
            }),
          )
          .check(
            z.describe(
              'The statuses the client saw it in, in log order; repeats collapsed within before, during and after',
            ),
          ),
      }),
    )
    .check(z.describe('The volume (or server) of the operation and the states the client saw it in')),
  grep: z
    .array(z.object({ id: z.string(), logs: z.array(z.string()), why: z.string() }))
    .check(z.describe('Ids to look up next and in which logs')),
  missingLogs: z.array(z.string()).check(z.describe('Services whose log would settle it but was not given')),
  flows: z.array(
    z.object({
      flow: z.string(),
      variant: z.nullable(z.string()),
      verdict: z.enum(['complete', 'incomplete', 'failed']),
      command: z.nullable(z.number().check(z.int())),
      requestId: z.nullable(z.string()),
    }),
  ),
  findings: z
    .array(z.object({ ruleId: z.string(), ...Place }))
    .check(z.describe('The findings this explanation accounts for')),
  alike: z
    .object({
      count: z.number().check(z.int(), z.describe('How many more operations went wrong the same way')),
      requestIds: z.array(z.string()).check(z.describe('The first of their request ids')),
    })
    .check(
      z.describe(
        'Operations no command started that failed alike (same flow, first error or missing step, missing logs): told once',
      ),
    ),
});
export type Explanation = z.infer<typeof Explanation>;

export const Unconfirmed = z
  .object({
    operation: z.enum(['attach', 'detach', 'create', 'extend', 'retype']),
    volume: z.string().check(z.describe('As the command named it')),
    server: z.nullable(z.string()),
    command: z
      .object({ name: z.nullable(z.string()), argv: z.array(z.string()), ...Place })
      .check(z.describe('Its place null for calls outside any command; argv empty when the log does not show it')),
    call: z.object({ status: z.nullable(z.number().check(z.int())), requestId: z.nullable(z.string()), ...Place }),
  })
  .check(
    z.describe(
      'An asynchronous operation the API accepted whose outcome the given logs do not show: the client log alone, ' +
        'and no later read of the volume by the client',
    ),
  );
export type Unconfirmed = z.infer<typeof Unconfirmed>;

export const OutsideCommands = z
  .object({
    source: z.string(),
    line: z.number().check(z.int(), z.describe('The first of the calls')),
    lastLine: z.number().check(z.int(), z.describe('The last of the calls')),
    calls: z.number().check(z.int()),
    unattributed: z
      .number()
      .check(
        z.int(),
        z.describe(
          'Of them, the calls whose service the log does not name (no token catalog, no `… call to <service> for …` line): ' +
            'no flow can take them',
        ),
      ),
    operations: z
      .array(z.string())
      .check(z.describe('The client flows their calls make (client/server-remove-volume), from the first call shown')),
    end: z
      .nullable(
        z.object({
          exitCode: z.number().check(z.int()),
          ...Place,
        }),
      )
      .check(
        z.describe(
          'The `END return value` line that follows them, of a command whose start the log does not show; ' +
            'null when none does (how the command ended is not shown)',
        ),
      ),
  })
  .check(
    z.describe(
      'Client calls outside any command, one stretch of an input between two commands: the log does not show the ' +
        'command that sent them (no `START with options` or command line before them)',
    ),
  );
export type OutsideCommands = z.infer<typeof OutsideCommands>;

export const Unended = z
  .object({
    name: z.nullable(z.string()),
    argv: z.array(z.string()),
    source: z.string(),
    line: z.number().check(z.int()),
    endLine: z.number().check(z.int(), z.describe('The last line of it the log shows')),
  })
  .check(
    z.describe(
      'A command the log shows start but not end (no `END return value` line: the log stops, or another command starts ' +
        'first) that no explanation tells: its exit status is not shown',
    ),
  );
export type Unended = z.infer<typeof Unended>;

export const StartUnseen = z
  .object({
    source: z.string(),
    line: z.number().check(z.int(), z.describe('The first line the log shows of it (its first call shown)')),
    endLine: z.number().check(z.int()),
    exitCode: z.number().check(z.int()),
    calls: z.number().check(z.int()),
    operations: z.array(z.string()).check(z.describe('The client flows its calls make (client/server-remove-volume)')),
  })
  .check(
    z.describe(
      'A command the log shows end but not start (its `START with options` and command line cut: a paste of its tail) ' +
        'that no explanation tells: which command it was is not shown, and its command line is never guessed',
    ),
  );
export type StartUnseen = z.infer<typeof StartUnseen>;
