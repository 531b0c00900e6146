// A findings table in GitHub-flavoured markdown, for a CI job summary, used by
// `lint --format markdown` when no full markdown reporter is registered.
import type { RunResult } from '../model/schema.js';
import { maskText } from '../secrets/mask.js';

function cell(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ').replace(/`/g, '\\`');
}

export function findingsMarkdown(run: RunResult, showSecrets: boolean): string {
  const clean = (t: string) => (showSecrets ? t : maskText(t));
  const counts = { error: 0, warning: 0, info: 0 };
  for (const f of run.findings) counts[f.severity]++;
  const out = ['## ostrace lint', ''];
  out.push(
    `${run.inputs.length} input(s), ${run.commands.length} command(s), ${run.exchanges.length} request(s): ` +
      `**${counts.error} error(s)**, ${counts.warning} warning(s), ${counts.info} info.`,
    '',
  );
  if (run.findings.length === 0) return `${out.join('\n')}No findings.\n`;
  out.push('| Location | Severity | Message | Rule |', '|---|---|---|---|');
  for (const f of run.findings) {
    const where = `${f.source ?? ''}${f.line !== null ? `:${f.line}` : ''}`;
    out.push(`| ${cell(where)} | ${f.severity} | ${cell(clean(f.message))} | \`${f.ruleId}\` |`);
  }
  return `${out.join('\n')}\n`;
}
