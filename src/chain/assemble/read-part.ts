// What the thread that reads service logs (src/cli/read-worker.ts) hands the run, and what the
// run asks of it: a part is one physical input read by an Analyzer in part mode (src/analyze.ts),
// taken by the run's Analyzer in its input's turn (`Analyzer.adopt`).
import type { ErrorTextCall } from '../../service/calls.js';
import { DraftStore, type DraftStoreData } from '../../service/draft-store.js';
import type { InputLabel, LineInterest } from '../../core/analysis.js';
import type { LineRecord } from '../../core/records.js';
import type { SpanTableData } from '../../core/span-table.js';
import type { LineSource } from '../../input/read.js';
import type { Input } from '../../model/schema.js';
import type { ServiceError, ServiceEvent } from '../../model/service-schema.js';
import { findSecrets } from '../../redact/spans.js';
import { SpillList, type SpillListData } from '../../rows/spill-list.js';

/** What a reader in another thread made of one input: its part, or why this thread must read it. */
/** `ignoredBytes`: bytes after its gzip data that were no gzip member (LineSource.ignoredBytes). */
export type PartResult = { part: ReadPart; bytesRead: number; ignoredBytes?: number } | { fallback: string };

export interface PartReader {
  /** Whether it would read `source` (a file, not stdin). */
  accepts(source: LineSource): boolean;
  read(source: LineSource): Promise<PartResult>;
  /** Told of each part the run took (not read again here). */
  taken(source: LineSource): void;
  close(): void;
}

/** The options an Analyzer in another thread takes (data only: no hooks). */
export interface PartOptions {
  keepUnrecognized?: number;
  year?: number;
  labels?: Array<[string, string]>;
  formatTemplates?: string[];
  /** The lines the run's line rules read (`AnalysisHooks.lineInterests`): handed on with the part. */
  lineInterests: readonly LineInterest[];
}

/** A line handed on to the run's line rules. */
export interface PartLine {
  source: string;
  line: number;
  text: string;
  record: LineRecord;
}

/**
 * One physical input read alone, in another thread, as the run would have read it in its turn:
 * a service log (no client exchange, no command, no year-less timestamp). Inputs are numbered
 * from 0 (`Analyzer.adopt` adds the run's offset); rows stay in this process's spill files.
 */
export interface ReadPart {
  inputs: Input[];
  serviceInputs: InputLabel[];
  drafts: DraftStoreData[];
  spans: SpanTableData;
  events: SpillListData<ServiceEvent>;
  errors: ServiceError[];
  calls: Array<{ source: string; call: ErrorTextCall }>;
  /** Kept in memory, never in a temporary file: a line a secret rule reads may hold a secret. */
  lines: PartLine[];
  /** Its first dated moment: the run's year basis when no earlier input had one. */
  firstDatedMs: number | null;
}

/** Lines a part hands on to the line rules, at most (held in memory): past it, the run's thread reads the input. */
export const MAX_PART_LINES = 20_000;

/** Thrown in part mode when the input is not a service log alone: the run's thread reads it. */
export class NotAPart extends Error {}

/** Whether a line rule that reads `interest` lines would read this one. */
export function interested(interest: LineInterest, text: string, record: LineRecord): boolean {
  if (interest.kinds?.includes(record.kind)) return true;
  if (interest.allOf && interest.allOf.every((s) => text.includes(s))) return true;
  return interest.secrets === true && findSecrets(text).length > 0;
}

/** A part not taken: its temporary files are closed. */
export function discardPart(part: ReadPart): void {
  SpillList.fromData(part.events).dispose();
  for (const d of part.drafts) DraftStore.fromData(d).dispose();
}
