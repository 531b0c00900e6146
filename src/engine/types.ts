// What a lint rule is: metadata (id, default severity, options schema, docs) and a
// `create` that returns event listeners for one run (ESLint's rule shape). Rules
// keep their per-run state in the closure made by `create`.
import type * as z from '../core/zod.js';
import type { Analysis, ExchangeDetail, LineInterest } from '../core/analysis.js';
import type { Command, Exchange, FindingCause, FindingObserved, Severity } from '../model/schema.js';
import type { LineRecord } from '../core/records.js';

export interface RuleMeta<Options> {
  /** Stable kebab-case id, `group/name`. */
  id: string;
  defaultSeverity: Severity;
  /** One line, used in SARIF and in the README table. */
  description: string;
  /** A paragraph for the README: what fires, what does not, the options. */
  docs: string;
  /** Options schema; its defaults are the rule's defaults. Must accept `{}`. */
  options: z.ZodMiniType<Options>;
}

/** One raw line as read, with its record: the only place secrets are still in clear. */
export interface LineEvent {
  source: string;
  line: number;
  text: string;
  record: LineRecord;
}

export interface ReportInput {
  /** Never contains a secret: rules name what leaked, not its value. */
  message: string;
  source: string | null;
  line: number | null;
  exchange?: number | null;
  /**
   * A lower rating of this one finding (e.g. a small step back in time is info), used
   * while the config and --rule leave the rule's severity at its default.
   */
  severity?: Severity;
  /** The earlier operation that caused the failure this finding is about (structured, for readers of the JSON). */
  cause?: FindingCause;
  /** The later read that showed what an accepted operation came to (structured, for explain and the JSON). */
  observed?: FindingObserved;
}

export interface RuleContext<Options> {
  options: Options;
  /** The one way a finding is made: stages record facts, rules report. */
  report(finding: ReportInput): void;
  /**
   * Whether a finding is already at this line: the line and call rules run as the input
   * streams, so a rule that runs at the end can leave a line a more specific rule told
   * (a known bug's signature, a failed call).
   */
  toldAt(source: string, line: number): boolean;
}

export interface RuleListeners {
  /** Every line, as soon as it is read. */
  onLine?(event: LineEvent): void;
  /**
   * The only lines `onLine` acts on, when it can say (any one of these): a service log read in
   * another thread hands on just these. Without it, that thread is not used.
   */
  linesRead?: readonly LineInterest[];
  /** Every exchange, when the assembler emits it (at the end of its command). */
  onExchange?(exchange: Exchange, detail: ExchangeDetail | null): void;
  /** Every command, after its exchanges. */
  onCommand?(command: Command, exchanges: readonly Exchange[]): void;
  /** Once, after chains, flows and stats are computed. */
  onEnd?(analysis: Analysis): void;
}

export interface Rule<Options = unknown> {
  meta: RuleMeta<Options>;
  create(context: RuleContext<Options>): RuleListeners;
}

/** Erases the options type so rules of different option types share one list. */
// eslint-style registries hold heterogeneous rules; `any` is confined to this alias.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRule = Rule<any>;

export function defineRule<Options>(rule: Rule<Options>): Rule<Options> {
  return rule;
}
