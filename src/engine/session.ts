// One lint run: the enabled rules with their resolved severity and options, fed
// line/exchange/command events while the input streams (so a finding can be shown
// as soon as it is certain), then finished once the later stages have run.
// A rule that throws becomes a `rule-crashed` finding and is switched off; the run goes on.
import type { Analysis, AnalysisHooks as AnalyzeOptions, ExchangeDetail } from '../core/analysis.js';
import type { LintConfig } from '../config/load.js';
import type { Command, Exchange, Finding, Severity } from '../model/schema.js';
import { forEachCommand } from '../rows/by-command.js';
import type { Rows } from '../rows/rows.js';
import { defaultKeep, SpillList } from '../rows/spill-list.js';
import { maskText } from '../secrets/mask.js';
import type { AnyRule, LineEvent, ReportInput, RuleListeners } from './types.js';

export const RULE_CRASHED = 'rule-crashed';

/** Findings held as objects before the oldest are written out. */
const FINDINGS_KEPT = 64;
const NO_SOURCE = -1;

interface ActiveRule {
  id: string;
  severity: Severity;
  listeners: RuleListeners;
  crashed: boolean;
  /** Severity set by config or flag: it overrides the rating a rule gives one finding. */
  explicit: boolean;
}

export type LintHooks = Required<Pick<AnalyzeOptions, 'onLine' | 'onExchange' | 'onCommand'>> &
  Pick<AnalyzeOptions, 'lineInterests'>;

export class LintSession {
  private readonly active: ActiveRule[] = [];
  /** The rules that listen to each streamed event, in rule order: a line or exchange visits only these. */
  private readonly lineRules: ActiveRule[];
  private readonly exchangeRules: ActiveRule[];
  private readonly commandRules: ActiveRule[];
  /**
   * Every finding so far, in the order told: a day's log of failing operations tells tens of
   * thousands, so past a few they are written out (read back alone, by place, when sorted).
   */
  private readonly own = new SpillList<Finding>({ keep: Math.min(FINDINGS_KEPT, defaultKeep()), indexed: true });
  /** Per finding, in the order told: its input (a number of `sources`) and line, what it is sorted by. */
  private readonly sourceOf: number[] = [];
  private readonly lineOf: number[] = [];
  private readonly sources = new Map<string, number>();
  /** `source:line` of every finding so far: an end-of-run rule leaves a line another rule told. */
  private readonly toldAt = new Set<string>();
  private streamed = false;
  private finished: Rows<Finding> | null = null;

  constructor(
    rules: readonly AnyRule[],
    readonly config: LintConfig,
    private readonly onFinding?: (finding: Finding) => void,
  ) {
    for (const rule of rules) {
      const resolved = config.rules.get(rule.meta.id);
      const severity = resolved?.severity ?? rule.meta.defaultSeverity;
      if (severity === 'off') continue;
      const entry: ActiveRule = {
        id: rule.meta.id,
        severity,
        listeners: {},
        crashed: false,
        explicit: resolved?.explicit ?? false,
      };
      const options = resolved ? resolved.options : rule.meta.options.parse({});
      this.guard(entry, null, () => {
        entry.listeners = rule.create({
          options,
          report: (f) => this.report(entry, f),
          toldAt: (source, line) => this.toldAt.has(`${source}:${line}`),
        });
      });
      this.active.push(entry);
    }
    this.lineRules = this.active.filter((r) => r.listeners.onLine);
    this.exchangeRules = this.active.filter((r) => r.listeners.onExchange);
    this.commandRules = this.active.filter((r) => r.listeners.onCommand);
  }

  /** Callbacks for the Analyzer (AnalyzeOptions), to run rules while the input streams. */
  hooks(): LintHooks {
    // The lines the line rules read, when each of them says which.
    const interests = this.lineRules.every((r) => r.listeners.linesRead !== undefined)
      ? this.lineRules.flatMap((r) => r.listeners.linesRead!)
      : undefined;
    return {
      ...(interests ? { lineInterests: interests } : {}),
      onLine: (source, line, text, record) => this.line({ source, line, text, record }),
      onExchange: (exchange, detail) => this.exchange(exchange, detail),
      onCommand: (command, exchanges) => this.command(command, exchanges),
    };
  }

  line(event: LineEvent): void {
    this.notify(this.lineRules, 'onLine', event, event);
  }

  exchange(exchange: Exchange, detail: ExchangeDetail | null): void {
    this.notify(this.exchangeRules, 'onExchange', exchange, exchange, detail);
  }

  command(command: Command, exchanges: readonly Exchange[]): void {
    this.notify(this.commandRules, 'onCommand', command, command, exchanges);
  }

  /**
   * A streamed event (one per line, exchange or command: many) to the rules that listen to it,
   * each called in place: no closure made per rule and event as `guard` would.
   */
  private notify(
    rules: readonly ActiveRule[],
    key: 'onLine' | 'onExchange' | 'onCommand',
    at: { source: string; line: number },
    a: unknown,
    b?: unknown,
  ): void {
    this.streamed = true;
    for (let i = 0; i < rules.length; i++) {
      const r = rules[i]!;
      if (r.crashed) continue;
      try {
        (r.listeners[key] as (a: unknown, b: unknown) => void)(a, b);
      } catch (e) {
        this.crash(r, at, e);
      }
    }
  }

  /** Run the end-of-run rules and return every finding of the run, in input and line order. */
  finish(analysis: Analysis): Rows<Finding> {
    if (this.finished) return this.finished;
    const result = analysis.result;
    if (!this.streamed) this.replay(analysis);
    for (const r of this.active) if (r.listeners.onEnd) this.guard(r, null, () => r.listeners.onEnd!(analysis));
    const order = new Map(result.inputs.map((input, i) => [input.name, i]));
    const rankOf = new Map<number, number>();
    for (const [name, id] of this.sources) rankOf.set(id, order.get(name) ?? Number.MAX_SAFE_INTEGER - 1);
    const rank = (i: number) =>
      this.sourceOf[i] === NO_SOURCE ? Number.MAX_SAFE_INTEGER : rankOf.get(this.sourceOf[i]!)!;
    // A stable sort of their places: findings of one line stay in the order told.
    const places = Array.from({ length: this.own.length }, (_, i) => i);
    places.sort((a, b) => rank(a) - rank(b) || this.lineOf[a]! - this.lineOf[b]!);
    let sorted: Rows<Finding>;
    if (!this.own.hasSpilled) {
      const told = Array.from(this.own);
      sorted = places.map((i) => told[i]!);
    } else {
      // Indexed: explain's problems keep their findings' places and read them back alone.
      const out = new SpillList<Finding>({ keep: Math.min(FINDINGS_KEPT, defaultKeep()), indexed: true });
      for (const i of places) out.push(this.own.at(i)!);
      this.own.dispose();
      out.seal();
      sorted = out;
    }
    result.findings = sorted;
    this.finished = sorted;
    return sorted;
  }

  /** Without streamed events (e.g. `analyze` on a finished Analysis), replay exchanges and commands. */
  private replay(analysis: Analysis): void {
    forEachCommand(analysis.result, (command, exchanges) => {
      for (const e of exchanges) this.exchange(e, analysis.details.get(e.id) ?? null);
      if (command) this.command(command, exchanges);
    });
  }

  private report(rule: ActiveRule, input: ReportInput): void {
    if (rule.crashed) return;
    this.emit({
      ruleId: rule.id,
      severity: rule.explicit ? rule.severity : (input.severity ?? rule.severity),
      message: input.message,
      source: input.source,
      line: input.line,
      exchange: input.exchange ?? null,
      ...(input.cause ? { cause: input.cause } : {}),
      ...(input.observed ? { observed: input.observed } : {}),
    });
  }

  private emit(finding: Finding): void {
    this.own.push(finding);
    this.sourceOf.push(finding.source === null ? NO_SOURCE : this.sourceNumber(finding.source));
    this.lineOf.push(finding.line ?? Number.MAX_SAFE_INTEGER);
    if (finding.source !== null && finding.line !== null) this.toldAt.add(`${finding.source}:${finding.line}`);
    this.onFinding?.(finding);
  }

  private sourceNumber(source: string): number {
    let id = this.sources.get(source);
    if (id === undefined) this.sources.set(source, (id = this.sources.size));
    return id;
  }

  private guard(rule: ActiveRule, at: { source: string; line: number } | null, fn: () => void): void {
    if (rule.crashed) return;
    try {
      fn();
    } catch (e) {
      this.crash(rule, at, e);
    }
  }

  /** A rule threw: it is off for the rest of the run, told as a finding where it was. */
  private crash(rule: ActiveRule, at: { source: string; line: number } | null, e: unknown): void {
    rule.crashed = true;
    const why = maskText((e as Error)?.message ?? String(e));
    this.emit({
      ruleId: RULE_CRASHED,
      severity: 'error',
      message: `rule ${rule.id} crashed (${why}); it is off for the rest of the run`,
      source: at?.source ?? null,
      line: at?.line ?? null,
      exchange: null,
    });
  }
}

const RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

/** True when `severity` is at or above `threshold`. */
export function atLeast(severity: Severity, threshold: Severity): boolean {
  return RANK[severity] >= RANK[threshold];
}
