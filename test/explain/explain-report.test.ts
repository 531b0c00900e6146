// The verdict in the reports of the hostile sample (its error text carries tags, markdown
// and a javascript: link): present, and escaped in markdown and HTML.
import { describe, expect, it } from 'vitest';
import { htmlReporter } from '../../src/report/html.js';
import { markdownReporter } from '../../src/report/markdown.js';
import { textReporter } from '../../src/report/text.js';
import { readFileSync } from 'node:fs';
import { runPipelineOnText } from '../../src/pipeline.js';
import { SAMPLES, samplePath } from '../report/helpers.js';

describe('the verdict in the reports of hostile log text', () => {
  const { result: run, details } = runPipelineOnText(
    [{ name: SAMPLES.hostile, text: readFileSync(samplePath(SAMPLES.hostile), 'utf8') }],
    { keepDetails: true },
  );
  const ctx = { color: false, showSecrets: false, details };

  it('the run has one explanation, and its text carries the hostile error as logged', () => {
    expect(run.explanations).toHaveLength(1);
    expect(run.explanations!.at(0)!.text).toContain('<script>window.__pwned=6</script>');
  });

  it('HTML: the verdict comes first and every tag of it is escaped', () => {
    const html = htmlReporter.render(run, ctx);
    const verdict = html.indexOf('<h2>Verdict</h2>');
    expect(verdict).toBeGreaterThan(0);
    expect(verdict).toBeLessThan(html.indexOf('Exchanges ('));
    expect(html).toContain('&lt;script&gt;window.__pwned=6');
    expect(html).not.toMatch(/<(script|iframe)/i);
    expect(html).not.toMatch(/href="javascript:/i);
  });

  it('markdown: escaped, so no tag or link survives a markdown renderer', () => {
    const md = markdownReporter.render(run, ctx);
    const verdict = md.slice(md.indexOf('## Verdict'), md.indexOf('## Summary'));
    expect(verdict).toContain('&lt;script&gt;');
    expect(verdict).not.toContain('<script>');
    expect(verdict).not.toMatch(/\]\(javascript:/);
  });

  it('text: the verdict before the inputs', () => {
    const text = textReporter.render(run, ctx);
    expect(text.startsWith('Verdict\n  1 problem')).toBe(true);
  });
});
