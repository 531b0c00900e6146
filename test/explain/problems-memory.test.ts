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
  it(`${FAILED} failed commands: nothing of the problems found is held but their places; the explanations are written out`, () => {
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
    // Parked: the calls the stories name, the problems' commands and flows and the flows read for
    // them are all on disk at this size, and each problem's findings are read back by place.
    expect(found.heldInMemory()).toBe(0);
    expect(found.problems.every((p) => Object.getOwnPropertyDescriptor(p, 'findings')?.get !== undefined)).toBe(true);
    // Held whole, they take ~14 MB; now ~1.5 MB (V8's own tables add ~5 MB in some runs).
    expect(held).toBeLessThan(10);
    found.dispose();
  }, 120_000);
});
