// The lint line format: streamed findings are printed once, in the order they became
// certain, the rest after them in run order, then the summary.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createLintSession } from '../../src/engine/index.js';
import type { Finding } from '../../src/model/schema.js';
import { runPipelineOnText } from '../../src/pipeline.js';
import { LintTextWriter, lintTextReporter } from '../../src/report/lint-text.js';
import { samplePath } from './helpers.js';

const E500 = 'samples/lint/attach-500.log';

describe('lint text', () => {
  it('streams findings as the session finds them, then the others and the summary, each once', () => {
    const lines: string[] = [];
    const writer = new LintTextWriter((line) => lines.push(line), { color: false, showSecrets: false });
    const streamed: Finding[] = [];
    const session = createLintSession(undefined, (f) => {
      streamed.push(f);
      writer.finding(f);
    });
    const { result } = runPipelineOnText([{ name: E500, text: readFileSync(samplePath(E500), 'utf8') }], {
      ...session.hooks(),
      lint: session,
    });
    expect(streamed.length).toBeGreaterThan(0);
    writer.finish(result.findings);
    expect(lines).toHaveLength(result.findings.length + 1);
    expect(lines.at(-1)).toMatch(/^\d+ errors?, \d+ warnings?, \d+ info$/);
    const rendered = lintTextReporter.render(result, { color: false, showSecrets: false, details: new Map() });
    const inRunOrder = rendered.slice(0, -1).split('\n');
    // Streamed in the order the rules became certain; rendered in the run's order.
    expect([...inRunOrder].sort()).toEqual([...lines].sort());
    // A finding printed early is not printed again at the end: the run's last one, first.
    const partial: string[] = [];
    const early = new LintTextWriter((line) => partial.push(line), { color: false, showSecrets: false });
    early.finding(result.findings.at(-1)!);
    early.finish(result.findings);
    expect(partial).toEqual([inRunOrder.at(-2), ...inRunOrder.slice(0, -2), inRunOrder.at(-1)]);
  });
});
