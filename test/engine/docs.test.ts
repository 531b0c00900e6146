// README.md's rule reference must be what the rule metadata generates.
// Regenerate with: OSTRACE_WRITE_README=1 npx vitest run --dir test test/engine/docs.test.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RULES_BEGIN, RULES_END, rulesMarkdown, withRulesSection } from '../../src/engine/docs.js';
import { allRules } from '../../src/rules/index.js';

const readmeUrl = new URL('../../README.md', import.meta.url);

describe('README rule reference', () => {
  it('matches the rule metadata', () => {
    const readme = readFileSync(readmeUrl, 'utf8');
    const expected = withRulesSection(readme);
    expect(expected, `README.md lacks ${RULES_BEGIN} … ${RULES_END}`).not.toBeNull();
    if (process.env.OSTRACE_WRITE_README && expected !== readme) writeFileSync(readmeUrl, expected!);
    else expect(readme).toBe(expected);
  });

  it('documents every rule, with its id, default severity and option defaults', () => {
    const md = rulesMarkdown();
    for (const r of allRules()) expect(md).toContain(`| \`${r.meta.id}\` | ${r.meta.defaultSeverity} |`);
    expect(md).toContain('`thresholdMs` = `5000`');
  });

  it('has stable kebab-case ids, sorted, unique', () => {
    const ids = allRules().map((r) => r.meta.id);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*\/[a-z0-9]+(?:-[a-z0-9]+)*$/);
  });
});
