// A log of many failing operations makes tens of thousands of findings. The lint session
// writes them out past a few (sorted at the end by their places, read back one at a time),
// and `lint`'s text output, which prints each as it is told, still prints each exactly once
// although the list it is given at the end holds copies read back from disk.
import { describe, expect, it } from 'vitest';
import { createLintSession } from '../../src/engine/index.js';
import { runPipelineOnText } from '../../src/pipeline.js';
import type { Finding } from '../../src/model/schema.js';
import { LintTextWriter } from '../../src/report/lint-text.js';
import type { SpillList } from '../../src/rows/spill-list.js';
import { LogGenerator } from '../bench/generate.js';

const FAILED = 400;

describe('findings of a long run', () => {
  const gen = new LogGenerator(11, 1);
  const text = Array.from({ length: FAILED }, () => gen.command().join('\n')).join('\n');

  it(`${FAILED} failed commands: their findings are written out, in input and line order, each printed once`, () => {
    const lines: string[] = [];
    const writer = new LintTextWriter((line) => lines.push(line), { color: false, showSecrets: false });
    const session = createLintSession(undefined, writer.finding);
    const { result } = runPipelineOnText([{ name: 'failing.log', text }], { ...session.hooks(), lint: session });
    const findings = result.findings as SpillList<Finding>;
    expect(findings.length).toBeGreaterThanOrEqual(3 * FAILED);
    expect(findings.hasSpilled).toBe(true);
    expect(findings.inMemory).toBeLessThanOrEqual(128);
    const places = [...findings].map((f) => f.line!);
    expect(places).toEqual([...places].sort((a, b) => a - b));
    writer.finish(result.findings);
    // One line per finding, then the summary: none printed again from the list read back.
    expect(lines).toHaveLength(findings.length + 1);
    expect(lines.at(-1)).toBe(`${findings.length} errors, 0 warnings, 0 info`);
  }, 120_000);
});
