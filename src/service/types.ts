// What the service collectors hand to the chains stage (kept on the Analysis,
// not in the JSON): compact per-request spans, not every line, so memory follows
// the number of requests rather than the length of the logs.
import type { ServiceEvent } from '../model/service-schema.js';

/** All lines of one local request id in one input (and one service label). */
export interface RequestSpan {
  source: string;
  /** Order of the input on the command line (merge tie-breaker). */
  inputIndex: number;
  service: string;
  requestId: string;
  globalRequestId: string | null;
  firstLine: number;
  lastLine: number;
  firstMs: number | null;
  lastMs: number | null;
  lines: number;
  /** Resource UUIDs seen on its lines: instances, volumes, attachments… (capped). */
  uuids: Set<string>;
  /** Server-side exchange ids that belong to this request (API services). */
  exchanges: number[];
}

export interface InputLabel {
  source: string;
  inputIndex: number;
  /** The service label of the input (journald lines may still carry their own). */
  label: string | null;
  how: 'option' | 'journal' | 'file-name' | 'loggers' | 'client' | null;
  firstMs: number | null;
  lastMs: number | null;
}

export interface ServiceIndex {
  spans: RequestSpan[];
  inputs: InputLabel[];
  events: ServiceEvent[];
  /** Server exchange id → its start and end (ms, the server's own clock). */
  serverTimes: Map<
    number,
    { startMs: number | null; endMs: number | null; source: string; inputIndex: number; service: string }
  >;
  /** Input name → its index, for merging. */
  inputIndex: Map<string, number>;
}

export function emptyServiceIndex(): ServiceIndex {
  return { spans: [], inputs: [], events: [], serverTimes: new Map(), inputIndex: new Map() };
}
