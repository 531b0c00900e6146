// While findProblems places a run's findings, it indexes the problems by their calls, places and
// request ids. Those indexes must hold the keys the findings have, not every call, place and id
// of every problem's flows (a day's console log: 16,000 findings, 6,000 failed commands), nor a
// `source:line` string per place. Measured as the live heap at the end of each pass over the
// findings (the indexes are all alive at the end of the last), above the heap before the call.
import { describe, expect, it } from 'vitest';
import { findProblems } from '../../src/explain/problems.js';
import { runPipelineOnText } from '../../src/pipeline.js';
import type { Finding } from '../../src/model/schema.js';
import { LogGenerator } from '../bench/generate.js';
import { liveHeapMb } from '../live-heap.js';

const FAILED = 3000;

/** The findings as a list whose every pass, once read to its end, notes the live heap. */
class MeasuredFindings extends Array<Finding> {
  static override get [Symbol.species]() {
    return Array;
  }
  most = 0;
  override *[Symbol.iterator](): ArrayIterator<Finding> {
    for (let i = 0; i < this.length; i++) yield this[i]!;
    this.most = Math.max(this.most, liveHeapMb());
  }
}

describe('explain indexes the problems by what the findings have', () => {
  it(`${FAILED} failed commands: the indexes the findings are placed by are a small part of the heap`, () => {
    const gen = new LogGenerator(11, 1);
    const text = Array.from({ length: FAILED }, () => gen.command().join('\n')).join('\n');
    const analysis = runPipelineOnText([{ name: 'failing.log', text }]);
    const findings = new MeasuredFindings();
    for (const f of analysis.result.findings) findings.push(f);
    (analysis.result as { findings: unknown }).findings = findings;

    const before = liveHeapMb();
    const found = findProblems(analysis);
    expect(found.problems.length).toBe(FAILED);
    // The problems, their parked bodies and the indexes: ~4.5 MB. With a key per call, place and id
    // of every problem's flows, and each place a `source:line` string, ~9 MB.
    expect(findings.most - before).toBeLessThan(7);
    found.dispose();
  }, 120_000);
});
