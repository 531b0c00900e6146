// A reporter is a pure function of a finished analysis (ESLint formatter style).
import type { DetailLookup } from '../core/analysis.js';
import type { RunResult } from '../model/schema.js';

export interface ReportContext {
  color: boolean;
  showSecrets: boolean;
  /** Headers and bodies by exchange id, when the analysis kept them. */
  details: DetailLookup;
  /** When the report was made (`--timestamp`); absent, reports carry no wall-clock time. */
  generatedAt?: string;
  /**
   * HAR entries and OTLP traces written at most (`--max-entries`), those that failed first,
   * then the slowest; 0 writes every one. Absent: MAX_EXPORT_ITEMS.
   */
  maxEntries?: number;
}

export interface Reporter {
  id: string;
  description: string;
  /** Needs the headers and bodies of every exchange (ctx.details): the analysis then keeps them. */
  needsDetails?: boolean;
  render(run: RunResult, ctx: ReportContext): string;
  /** The same output in pieces, for large runs (written as they come, never joined). */
  chunks?(run: RunResult, ctx: ReportContext): Iterable<string>;
}
