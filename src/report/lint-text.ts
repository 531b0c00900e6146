// `lint --format text` (and `run --lint`): one line per finding, `file:line  severity
// message  rule-id`, then a summary. A finding is printed as soon as the rules are
// certain of it (LintTextWriter.finding, fed by the lint session); the rest follow
// at the end in the run's order, so nothing is printed twice or left out.
import type { Finding } from '../model/schema.js';
import { maskText } from '../secrets/mask.js';
import { makeStyle, printable, type Style } from './style.js';
import type { Reporter } from './types.js';

export function formatFindingLine(f: Finding, s: Style, showSecrets: boolean): string {
  const where = `${f.source ?? '<run>'}${f.line !== null ? `:${f.line}` : ''}`;
  const sev = f.severity === 'error' ? s.red(f.severity) : f.severity === 'warning' ? s.yellow(f.severity) : f.severity;
  // One finding, one line: messages adopted from other stages may hold newlines, and log text
  // a control character (an ESC would drive the terminal): shown as an escape instead.
  const message = printable(showSecrets ? f.message : maskText(f.message));
  return `${where}  ${sev}  ${message}  ${s.dim(f.ruleId)}`;
}

export function summaryLine(findings: Iterable<Finding>): string {
  const n = { error: 0, warning: 0, info: 0 };
  for (const f of findings) n[f.severity]++;
  const plural = (k: number, w: string) => `${k} ${w}${k === 1 ? '' : 's'}`;
  return `${plural(n.error, 'error')}, ${plural(n.warning, 'warning')}, ${n.info} info`;
}

/** What tells a finding from another: its rule, place and message. */
function keyOf(f: Finding): string {
  return `${f.ruleId}\0${f.source ?? ''}\0${f.line ?? ''}\0${f.exchange ?? ''}\0${f.message}`;
}

/** Writes finding lines (without their newline) to `emit` as they come, then the rest and the summary. */
export class LintTextWriter {
  /**
   * How many of each finding were printed as they were told, by what they say: a long run's
   * findings are read back from disk at the end, copies, not the objects told.
   */
  private readonly printed = new Map<string, number>();
  private readonly style: Style;
  private readonly showSecrets: boolean;

  constructor(
    private readonly emit: (line: string) => void,
    ctx: { color: boolean; showSecrets: boolean },
  ) {
    this.style = makeStyle(ctx.color);
    this.showSecrets = ctx.showSecrets;
  }

  /** A finding that is certain now (the lint session's onFinding). */
  readonly finding = (f: Finding): void => {
    const key = keyOf(f);
    this.printed.set(key, (this.printed.get(key) ?? 0) + 1);
    this.emit(formatFindingLine(f, this.style, this.showSecrets));
  };

  /** The run is over: the findings not yet printed, then the summary. */
  finish(findings: Iterable<Finding>): void {
    for (const f of findings) {
      const key = keyOf(f);
      const left = this.printed.get(key);
      if (left === undefined) this.emit(formatFindingLine(f, this.style, this.showSecrets));
      else if (left > 1) this.printed.set(key, left - 1);
      else this.printed.delete(key);
    }
    this.emit(summaryLine(findings));
  }
}

export const lintTextReporter: Reporter = {
  id: 'text',
  description: 'One line per finding, `file:line  severity  message  rule-id`, and a summary',
  render(run, ctx) {
    const lines: string[] = [];
    new LintTextWriter((line) => lines.push(line), ctx).finish(run.findings);
    return `${lines.join('\n')}\n`;
  },
};
