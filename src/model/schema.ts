// The shape of an analysis, as zod schemas: the single source of truth for the
// JSON output (`ostrace schema` prints the JSON Schema made from these) and for
// the TypeScript types every later stage and reporter uses.
import * as z from '../core/zod.js';
import { Chain, ClockSkew } from './chain-schema.js';
import { FindingCause, FindingObserved } from './cause-schema.js';
import { Explanation, OutsideCommands, StartUnseen, Unconfirmed, Unended } from './explain-schema.js';
import { FlowResult } from './flow-schema.js';
import { ServiceError, ServiceEvent } from './service-schema.js';
import { Stats } from './stats-schema.js';
import type { Rows } from '../rows/rows.js';

export { FindingCause, FindingObserved } from './cause-schema.js';

export { SCHEMA_VERSION } from '../version.js';
import { SCHEMA_VERSION } from '../version.js';

import { Severity } from './severity.js';
export { Severity };

export const ErrorInfo = z.object({
  message: z.nullable(z.string()).check(z.describe('Error message from the response body (or HTML title)')),
  code: z
    .nullable(z.string())
    .check(z.describe("The body's error key, e.g. itemNotFound, badRequest, computeFault, error")),
});

/** One resource as a response body showed it: a read's, or what a create made. */
/** nova's record of why a server went to ERROR, as its API shows it (`fault` of a server). */
export const ServerFault = z.object({
  code: z.number().check(z.int(), z.describe('The HTTP-style code nova gave the fault (500 for NoValidHost)')),
  message: z.string().check(z.describe('The exception message nova recorded (secrets masked)')),
  created: z.nullable(z.string()).check(z.describe('When nova recorded it, as nova wrote it')),
});
export type ServerFault = z.infer<typeof ServerFault>;

const ResourceState = z.object({
  type: z.string().check(z.describe('volume, server… (the key of the response body, singular)')),
  id: z.nullable(z.string()),
  name: z.nullable(z.string()),
  status: z.string(),
  fault: z
    .optional(ServerFault)
    .check(z.describe("A server's `fault` (nova shows it for a server in ERROR); absent otherwise")),
});

export const Exchange = z.object({
  id: z.number().check(z.int(), z.describe('1-based, in log order')),
  source: z.string().check(z.describe('Input name (file path or <stdin>)')),
  line: z.number().check(z.int(), z.describe('First line of the exchange (REQ, or the first line seen of it)')),
  endLine: z.number().check(z.int()),
  side: z
    .enum(['client', 'server'])
    .check(z.describe("client: seen by the HTTP client; server: an API service's access/request line")),
  method: z.nullable(z.string()),
  url: z.nullable(z.string()).check(z.describe('Full URL as logged')),
  path: z.nullable(z.string()).check(z.describe('Path and query without scheme, host or port')),
  service: z
    .nullable(z.string())
    .check(z.describe('Catalog service type (longest endpoint prefix), else the `call to SERVICE` name')),
  status: z.nullable(z.number().check(z.int())),
  requestId: z.nullable(z.string()).check(z.describe("The responding service's own request id")),
  globalRequestId: z
    .nullable(z.string())
    .check(z.describe('X-OpenStack-Request-ID sent by the client (a global id), never the response id')),
  microversion: z.nullable(z.string()),
  client: z
    .optional(z.string())
    .check(
      z.describe(
        "client side: the OpenStack client that sent the call, its User-Agent's first product (`openstacksdk`, `python-novaclient`); absent when none is logged",
      ),
    ),
  startedAt: z.nullable(z.string()).check(z.describe('ISO-like local timestamp of the request, when the log has one')),
  durationMs: z.nullable(z.number()),
  timing: z
    .nullable(z.enum(['log', 'date-header', 'timing-table', 'server']))
    .check(z.describe('Where startedAt/durationMs come from')),
  serverTimeMs: z
    .nullable(z.number())
    .check(z.describe('Time the server reports for the request (access lines), when known')),
  complete: z.boolean().check(z.describe('false when the request was never answered in the log')),
  incompleteReason: z.nullable(z.string()),
  kind: z
    .enum(['request', 'auth', 'resend', 'bare'])
    .check(
      z.describe(
        'auth: token request without REQ line; resend: re-sent without a REQ line; bare: only urllib3/RESP lines, or only the `… used request id …` line (answered, status null: not in the log)',
      ),
    ),
  resendOf: z.nullable(z.number().check(z.int())),
  error: z.nullable(ErrorInfo),
  command: z.nullable(z.number().check(z.int())).check(z.describe('Id of the CLI command this exchange belongs to')),
  action: z
    .optional(z.nullable(z.string()))
    .check(
      z.describe(
        'First key of the JSON request body (os-reserve, os-attach, volumeAttachment…); flows recognise action steps by it',
      ),
    ),
  resource: z
    .optional(ResourceState)
    .check(
      z.describe(
        'Client GETs of one resource (or a list of exactly one) answered 2xx: its status as the body said, e.g. volume `reserved`; absent otherwise',
      ),
    ),
  created: z
    .optional(ResourceState)
    .check(
      z.describe(
        "Client POSTs answered 2xx whose body is the one resource they made: its id and first status, e.g. a volume create's `creating`; absent otherwise",
      ),
    ),
  instanceActions: z
    .optional(
      z.array(
        z.object({
          action: z.string().check(z.describe('attach_volume, detach_volume, create…')),
          requestId: z.nullable(z.string()).check(z.describe('The request id nova recorded the action under')),
          failed: z.boolean().check(z.describe('nova recorded the action, or one of its events, as Error')),
          failedEvents: z
            .array(z.string())
            .check(z.describe('Events whose result is Error (server event show): compute_attach_volume…')),
        }),
      ),
    )
    .check(
      z.describe(
        "Client GETs of a server's instance actions (`server event list` / `show`, os-instance-actions) answered 2xx: each action as nova recorded it; absent otherwise",
      ),
    ),
  caller: z
    .optional(
      z.object({
        service: z
          .nullable(z.string())
          .check(
            z.describe(
              "The calling service: its journald unit's label, else its log's (nova-compute); null when unknown",
            ),
          ),
        requestId: z
          .nullable(z.string())
          .check(
            z.describe("The caller's own request id (its oslo context's local id): the request that made the call"),
          ),
        seen: z
          .enum(['http-log', 'error-text'])
          .check(
            z.describe(
              "http-log: the client library's REQ/RESP/`used request id` lines in the service's log; error-text: only the text of the exception the answer raised, `(HTTP 500) (Request-ID: req-…)` (method and path unknown unless shown)",
            ),
          ),
      }),
    )
    .check(
      z.describe(
        "Client exchanges a service logged of its own outgoing calls (nova-compute calling cinder): who called; absent on a client's own exchanges. The same call's server exchange in the callee's log has the same requestId",
      ),
    ),
  serviceType: z
    .optional(z.nullable(z.string()))
    .check(
      z.describe(
        'Server-side exchanges: the API family as a catalog service type (compute, volume, identity, image, network, placement), derived from the `service` label (nova-api → compute); null when the label tells none. Absent on client exchanges, whose `service` already is the catalog type',
      ),
    ),
});
export type Exchange = z.infer<typeof Exchange>;

export const Traceback = z.object({
  line: z.number().check(z.int()),
  endLine: z.number().check(z.int()),
  error: z.nullable(z.string()).check(z.describe('The final `Type: message` line')),
  frames: z.number().check(z.int()),
});

/** A resource as a run without --debug printed it: a row of its `show` or `list` table. */
export const ShownState = z.object({
  type: z
    .string()
    .check(
      z.describe('volume or server (the command it is the output of: `volume show`, `volume create`, `server list`…)'),
    ),
  id: z.nullable(z.string()),
  name: z.nullable(z.string()),
  status: z.string(),
  line: z.number().check(z.int(), z.describe('The table row that shows the status')),
});
export type ShownState = z.infer<typeof ShownState>;

export const Command = z.object({
  id: z.number().check(z.int()),
  source: z.string(),
  line: z.number().check(z.int()),
  endLine: z.number().check(z.int()),
  argv: z
    .array(z.string())
    .check(
      z.describe(
        'Arguments after `openstack`, secrets masked; empty when the log does not show the command line (a run ' +
          "without --debug shows only its output: `name` may still be known, from argparse's usage)",
      ),
    ),
  name: z.nullable(z.string()).check(z.describe('e.g. `server add volume`')),
  className: z.nullable(z.string()),
  exitCode: z.nullable(z.number().check(z.int())),
  complete: z.boolean().check(z.describe('false when no `END return value` line was seen')),
  error: z.nullable(z.string()).check(z.describe("clean_up error text or the traceback's error line")),
  traceback: z.nullable(Traceback),
  exchanges: z.array(z.number().check(z.int())),
  shows: z
    .optional(z.array(ShownState))
    .check(
      z.describe(
        'A run without --debug: the status its printed table showed of each volume or server (`volume show`, `volume list`, `volume create`, `server show`, `server list`)',
      ),
    ),
  fault: z
    .optional(z.extend(ServerFault, { line: z.number().check(z.int()) }))
    .check(
      z.describe(
        "The server's fault its output printed (`server show` with `-c fault`, or its table's `fault` row) and the " +
          'line; absent otherwise',
      ),
    ),
  usageError: z
    .optional(z.literal(true))
    .check(
      z.describe(
        'argparse refused the command line (its usage, then `prog: error: …`, exit 2): the command never ran, `error` ' +
          "is argparse's message; absent otherwise",
      ),
    ),
});
export type Command = z.infer<typeof Command>;

export const Finding = z.object({
  ruleId: z.string(),
  severity: Severity,
  message: z.string(),
  source: z.nullable(z.string()),
  line: z.nullable(z.number().check(z.int())),
  exchange: z.nullable(z.number().check(z.int())),
  cause: z.optional(FindingCause).check(z.describe('Set by rules that name the cause of a failure')),
  observed: z
    .optional(FindingObserved)
    .check(z.describe('Set by rules that judge an accepted operation by a later read')),
});
export type Finding = z.infer<typeof Finding>;

export const UnrecognizedLine = z.object({ line: z.number().check(z.int()), text: z.string() });

export const TimeRegression = z.object({
  line: z.number().check(z.int()),
  previousLine: z.number().check(z.int(), z.describe('The timestamped line before it')),
  timestamp: z.string().check(z.describe('As logged')),
  backMs: z.number().check(z.describe('How far it is earlier than the previous line')),
});
export type TimeRegression = z.infer<typeof TimeRegression>;

export const Input = z.object({
  name: z.string(),
  lines: z.number().check(z.int()),
  bytes: z.number().check(z.int()),
  unrecognizedLines: z.number().check(z.int()),
  unrecognized: z
    .array(UnrecognizedLine)
    .check(z.describe('The first unrecognized lines (secrets masked, long lines cut)')),
  kinds: z.record(z.string(), z.number().check(z.int())).check(z.describe('How many lines of each kind')),
  service: z
    .optional(z.nullable(z.string()))
    .check(
      z.describe(
        'Service label of the input (nova-api, cinder-volume, client…): --label, journald unit, file name or loggers',
      ),
    ),
  timeRegressions: z
    .optional(
      z.nullable(
        z.object({
          count: z.number().check(z.int()),
          first: z.array(TimeRegression).check(z.describe('The first ones, in line order')),
        }),
      ),
    )
    .check(
      z.describe('Lines whose timestamp is earlier than the line before (never reordered); null when no line had one'),
    ),
  cutLines: z
    .optional(
      z.object({
        count: z.number().check(z.int()),
        first: z
          .array(
            z.object({
              line: z.number().check(z.int()),
              length: z.number().check(z.int(), z.describe('In characters, as written')),
            }),
          )
          .check(z.describe('The first ones, in line order')),
      }),
    )
    .check(
      z.describe('Lines too long to keep whole (16 MiB characters): each was read from its start, the rest skipped'),
    ),
});
export type Input = z.infer<typeof Input>;

export const RunResult = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION),
  tool: z.object({ name: z.literal('ostrace'), version: z.string() }),
  inputs: z.array(Input),
  commands: z.array(Command),
  exchanges: z.array(Exchange),
  findings: z.array(Finding),
  chains: z.array(Chain),
  clockSkews: z
    .optional(z.array(ClockSkew))
    .check(
      z.describe('Clock offsets the timeline merge estimated between inputs of several hosts, with their evidence'),
    ),
  serviceEvents: z
    .array(ServiceEvent)
    .check(z.describe('Flow step markers seen in service logs (grammars/service-markers.json), in merged time order')),
  serviceErrors: z
    .optional(z.array(ServiceError))
    .check(z.describe('ERROR and CRITICAL records of service logs, one per kind and input, in input and line order')),
  flows: z.array(FlowResult),
  stats: z.nullable(Stats).check(z.describe('Timing statistics; null until computed')),
  explanations: z
    .optional(z.array(Explanation))
    .check(z.describe('One per problem, most important first (`ostrace explain`); empty when no problem was found')),
  notFollowed: z
    .optional(z.array(Explanation))
    .check(
      z.describe(
        'Operations that could not be followed to their end, in log order: nothing went wrong in what the logs show, and ' +
          'every step still missing is one only a log that was not given would show, or a client step the command got past ' +
          'that the log leaves out (not problems: unknown is not failed)',
      ),
    ),
  recovered: z
    .optional(z.array(Explanation))
    .check(
      z.describe(
        'Commands that exited 0 once a read (GET, HEAD) that had failed was re-sent and answered, every flow of them ' +
          'complete, in log order (not problems: the call recovered)',
      ),
    ),
  unconfirmed: z
    .optional(z.array(Unconfirmed))
    .check(
      z.describe(
        'Attaches and detaches the API accepted whose outcome the logs do not show (client log alone, no later read of the volume), in log order',
      ),
    ),
  unended: z
    .optional(z.array(Unended))
    .check(
      z.describe(
        'Commands without an `END return value` line that no explanation tells, in log order: how they ended is not shown',
      ),
    ),
  startUnseen: z
    .optional(z.array(StartUnseen))
    .check(
      z.describe(
        'Commands whose `END return value` the log shows but not their start (a paste of their tail) that no ' +
          'explanation tells, in log order: which command each was is not shown',
      ),
    ),
  outsideCommands: z
    .optional(z.array(OutsideCommands))
    .check(
      z.describe(
        'Client calls whose command the log does not show (a paste that starts after the command line, a client that ' +
          'prints no `START with options`), per stretch of an input, in log order: what they show, not how the command ended',
      ),
    ),
});
/** The JSON form of a run, as `--format json` writes it and a consumer parses it. */
export type RunResultJson = z.infer<typeof RunResult>;
/**
 * A run as the stages hold it: the long lists are Rows (an array, or a SpillList
 * that keeps only its newest items in memory), so memory does not grow with the log.
 */
export type RunResult = Omit<
  RunResultJson,
  | 'commands'
  | 'findings'
  | 'exchanges'
  | 'chains'
  | 'serviceEvents'
  | 'flows'
  | 'stats'
  | 'unconfirmed'
  | 'explanations'
  | 'notFollowed'
  | 'recovered'
> & {
  commands: Rows<Command>;
  findings: Rows<Finding>;
  exchanges: Rows<Exchange>;
  chains: Rows<Chain>;
  serviceEvents: Rows<ServiceEvent>;
  flows: Rows<FlowResult>;
  stats: Stats | null;
  unconfirmed?: Rows<Unconfirmed>;
  explanations?: Rows<Explanation>;
  notFollowed?: Rows<Explanation>;
  recovered?: Rows<Explanation>;
};
