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
