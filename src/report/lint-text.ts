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

export function summaryLine(findings: readonly Finding[]): string {
  const n = { error: 0, warning: 0, info: 0 };
  for (const f of findings) n[f.severity]++;
  const plural = (k: number, w: string) => `${k} ${w}${k === 1 ? '' : 's'}`;
  return `${plural(n.error, 'error')}, ${plural(n.warning, 'warning')}, ${n.info} info`;
}

/** Writes finding lines (without their newline) to `emit` as they come, then the rest and the summary. */
export class LintTextWriter {
  private readonly printed = new Set<Finding>();
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
    this.printed.add(f);
    this.emit(formatFindingLine(f, this.style, this.showSecrets));
  };

  /** The run is over: the findings not yet printed, then the summary. */
  finish(findings: readonly Finding[]): void {
    for (const f of findings) if (!this.printed.has(f)) this.emit(formatFindingLine(f, this.style, this.showSecrets));
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
