// The README's rule reference, generated from the rule metadata so the two cannot
// drift: a test compares README.md's marked section with rulesMarkdown().
import type * as z from '../core/zod.js';
import { allRules } from '../rules/index.js';
import type { AnyRule } from './types.js';

export const RULES_BEGIN = '<!-- generated:rules -->';
export const RULES_END = '<!-- /generated:rules -->';

/** `thresholdMs` = 5000, … from the options schema's defaults. */
function optionDefaults(schema: z.ZodMiniType): string {
  const parsed = schema.safeParse({});
  if (!parsed.success || typeof parsed.data !== 'object' || parsed.data === null) return '';
  const entries = Object.entries(parsed.data as Record<string, unknown>);
  return entries.map(([k, v]) => `\`${k}\` = \`${JSON.stringify(v)}\``).join(', ');
}

export function rulesMarkdown(rules: readonly AnyRule[] = allRules()): string {
  const out = ['| Rule | Default | Options (defaults) | What it reports |', '|---|---|---|---|'];
  for (const r of rules) {
    const opts = optionDefaults(r.meta.options) || '–';
    out.push(
      `| \`${r.meta.id}\` | ${r.meta.defaultSeverity} | ${opts} | ${r.meta.description.replace(/\|/g, '\\|')} |`,
    );
  }
  out.push('');
  for (const r of rules) out.push(`- **\`${r.meta.id}\`** — ${r.meta.docs.replace(/\n/g, ' ')}`);
  return out.join('\n');
}

/** README text with the marked section replaced (markers kept); null when the markers are missing. */
export function withRulesSection(readme: string, section: string = rulesMarkdown()): string | null {
  const begin = readme.indexOf(RULES_BEGIN);
  const end = readme.indexOf(RULES_END);
  if (begin < 0 || end < begin) return null;
  return `${readme.slice(0, begin + RULES_BEGIN.length)}\n${section}\n${readme.slice(end)}`;
}
