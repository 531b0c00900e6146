// Service-side facts other stages consume (owned by src/service/): step-marker
// events found in nova-compute / cinder-volume / API logs, with their request ids
// and resource UUIDs, so that flows can be matched against them by data.
import * as z from '../core/zod.js';

export const ServiceEvent = z.object({
  source: z.string().check(z.describe('Input name')),
  line: z.number().check(z.int(), z.describe('First line of the record')),
  endLine: z
    .number()
    .check(z.int(), z.describe('Last line of the record (tracebacks and continuation lines included)')),
  service: z.string().check(z.describe('Service label of the line, e.g. nova-compute, cinder-volume')),
  timestamp: z.nullable(z.string()).check(z.describe('Timestamp as logged')),
  requestId: z.nullable(z.string()).check(z.describe("The local request id of the line's context")),
  globalRequestId: z
    .nullable(z.string())
    .check(z.describe("The global request id of the line's context (null where the log prints None)")),
  instance: z.nullable(z.string()).check(z.describe("Instance UUID from `[instance: …]` or the marker's capture")),
  volume: z.nullable(z.string()).check(z.describe('Volume UUID captured by the marker')),
  attachment: z.nullable(z.string()).check(z.describe('Attachment UUID captured by the marker')),
  level: z.nullable(z.string()),
  message: z.string().check(z.describe('The message (secrets masked, long messages cut)')),
  marker: z.string().check(z.describe('Id of the marker in grammars/service-markers.json, e.g. nova.attach.start')),
});
export type ServiceEvent = z.infer<typeof ServiceEvent>;

export const ServiceError = z.object({
  source: z.string().check(z.describe('Input name')),
  line: z.number().check(z.int(), z.describe('First line of the first record of its kind')),
  endLine: z.number().check(z.int(), z.describe('Last line of that record (its traceback included)')),
  service: z.nullable(z.string()).check(z.describe('Service label of the line; null when the input names none')),
  timestamp: z.nullable(z.string()).check(z.describe('Timestamp as logged')),
  level: z.enum(['ERROR', 'CRITICAL']),
  logger: z
    .nullable(z.string())
    .check(z.describe('The logger that wrote it (nova.volume.cinder, oslo_messaging.rpc.server…)')),
  requestId: z.nullable(z.string()).check(z.describe("The local request id of the record's context")),
  globalRequestId: z.nullable(z.string()).check(z.describe("The global request id of the record's context")),
  message: z.string().check(z.describe('The first line of the message (secrets masked, long messages cut)')),
  exception: z
    .nullable(z.string())
    .check(
      z.describe(
        'The exception a traceback ended with, or that the message is (`Class: text`); null when none was logged',
      ),
    ),
  count: z
    .number()
    .check(
      z.int(),
      z.describe('Records of this kind in the input: same service, logger and message but for ids and numbers'),
    ),
  lastLine: z.number().check(z.int(), z.describe('First line of the last record of this kind')),
  method: z
    .optional(z.string())
    .check(
      z.describe(
        "The worker's volume operation its traceback went through (`nova.compute.manager.attach_volume`, `cinder.volume.manager.initialize_connection`); absent when no frame names one",
      ),
    ),
  volume: z
    .optional(z.nullable(z.string()))
    .check(
      z.describe(
        "With `method`: the volume the records of the request in this log name (a marker's capture, `volume V`, `Volume V:`); null when none or two different ones",
      ),
    ),
  instance: z
    .optional(z.nullable(z.string()))
    .check(
      z.describe(
        "With `method`: the server the records of the request in this log name (nova's `[instance: …]`, a marker's capture); null when none or two different ones",
      ),
    ),
});
export type ServiceError = z.infer<typeof ServiceError>;
