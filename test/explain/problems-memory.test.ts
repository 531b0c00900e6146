// A day's console log can hold thousands of failed commands. The explain stage finds them
// all before it tells them (findings are placed by every problem's calls and ids), but what
// it holds for each must not be its decoded command, flows and calls: those are parked in
// files past a small budget, read back one problem at a time, and the explanations are
// written out as they are told. Measured as the live heap the found problems keep.
import { describe, expect, it } from 'vitest';
import { findProblems } from '../../src/explain/problems.js';
import { runPipelineOnText } from '../../src/pipeline.js';
import type { SpillList } from '../../src/rows/spill-list.js';
import { LogGenerator } from '../bench/generate.js';
import { liveHeapMb } from '../live-heap.js';

const FAILED = 1500;

describe('explain holds little per failed command', () => {
  it(`${FAILED} failed commands: the problems found keep under 3 MB of live heap; the explanations are written out`, () => {
    const gen = new LogGenerator(7, 1);
    const text = Array.from({ length: FAILED }, () => gen.command().join('\n')).join('\n');
    const analysis = runPipelineOnText([{ name: 'failing.log', text }]);
    const explanations = analysis.result.explanations as SpillList<unknown>;
    expect(explanations.length).toBe(FAILED);
    expect(explanations.hasSpilled).toBe(true);
    expect(explanations.inMemory).toBeLessThanOrEqual(64);

    const before = liveHeapMb();
    const found = findProblems(analysis);
    const held = liveHeapMb() - before;
    expect(found.problems.length).toBe(FAILED);
    // Each problem's command and flow are still there, read back when asked.
    expect(found.problems.every((p) => p.command !== null && p.flows.length === 1)).toBe(true);
    // Held whole, they take ~7 MB (the flows' steps), the calls their stories name ~6 MB more and
    // their findings, read back from the run's list, ~2 MB; now ~1.5 MB in all.
    expect(held).toBeLessThan(3);
    found.dispose();
  }, 120_000);
});
