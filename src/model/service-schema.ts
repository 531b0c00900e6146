// Service-side facts other stages consume (owned by src/service/): step-marker
// events found in nova-compute / cinder-volume / API logs, with their request ids
// and resource UUIDs, so that flows can be matched against them by data.
import { z } from 'zod';

export const ServiceEvent = z.object({
  source: z.string().describe('Input name'),
  line: z.number().int().describe('First line of the record'),
  endLine: z.number().int().describe('Last line of the record (tracebacks and continuation lines included)'),
  service: z.string().describe('Service label of the line, e.g. nova-compute, cinder-volume'),
  timestamp: z.string().nullable().describe('Timestamp as logged'),
  requestId: z.string().nullable().describe("The local request id of the line's context"),
  globalRequestId: z
    .string()
    .nullable()
    .describe("The global request id of the line's context (null where the log prints None)"),
  instance: z.string().nullable().describe("Instance UUID from `[instance: …]` or the marker's capture"),
  volume: z.string().nullable().describe('Volume UUID captured by the marker'),
  attachment: z.string().nullable().describe('Attachment UUID captured by the marker'),
  level: z.string().nullable(),
  message: z.string().describe('The message (secrets masked, long messages cut)'),
  marker: z.string().describe('Id of the marker in grammars/service-markers.json, e.g. nova.attach.start'),
});
export type ServiceEvent = z.infer<typeof ServiceEvent>;

export const ServiceError = z.object({
  source: z.string().describe('Input name'),
  line: z.number().int().describe('First line of the first record of its kind'),
  endLine: z.number().int().describe('Last line of that record (its traceback included)'),
  service: z.string().nullable().describe('Service label of the line; null when the input names none'),
  timestamp: z.string().nullable().describe('Timestamp as logged'),
  level: z.enum(['ERROR', 'CRITICAL']),
  logger: z.string().nullable().describe('The logger that wrote it (nova.volume.cinder, oslo_messaging.rpc.server…)'),
  requestId: z.string().nullable().describe("The local request id of the record's context"),
  globalRequestId: z.string().nullable().describe("The global request id of the record's context"),
  message: z.string().describe('The first line of the message (secrets masked, long messages cut)'),
  exception: z
    .string()
    .nullable()
    .describe(
      'The exception a traceback ended with, or that the message is (`Class: text`); null when none was logged',
    ),
  count: z
    .number()
    .int()
    .describe('Records of this kind in the input: same service, logger and message but for ids and numbers'),
  lastLine: z.number().int().describe('First line of the last record of this kind'),
});
export type ServiceError = z.infer<typeof ServiceError>;
