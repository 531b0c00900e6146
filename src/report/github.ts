// `--format github`: GitHub Actions workflow commands, one annotation per finding
// (`::error file=…,line=…,title=…::message`), escaped as the runner expects.
import type { Finding, Severity } from '../model/schema.js';
import { maskText } from '../secrets/mask.js';
import { CONTROL, visibleControl } from './style.js';
import type { Reporter } from './types.js';

const COMMAND: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'notice' };

/** Escaping of a workflow command's message; a control character of log text (NUL, ESC) is shown as its escape. */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A').replace(CONTROL, visibleControl);
}

/** Escaping of a workflow command's property value (also `:` and `,`). */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function githubAnnotation(f: Finding, showSecrets: boolean): string {
  const props: string[] = [];
  if (f.source !== null) props.push(`file=${escapeProperty(f.source)}`);
  if (f.source !== null && f.line !== null) props.push(`line=${f.line}`);
  props.push(`title=${escapeProperty(f.ruleId)}`);
  const message = showSecrets ? f.message : maskText(f.message);
  return `::${COMMAND[f.severity]} ${props.join(',')}::${escapeData(message)}`;
}

export const githubReporter: Reporter = {
  id: 'github',
  description: 'GitHub Actions annotations (workflow commands)',
  render(run, ctx) {
    return run.findings.map((f) => `${githubAnnotation(f, ctx.showSecrets)}\n`).join('');
  },
};
