// Diffing two long runs must not hold every flow instance of both: a day's console log has
// thousands of commands, each a flow result of a few KB. What diff keeps of an instance is a
// few numbers; its flow result and command line are parked in files past a small budget and
// read back when its pair is told. Counted as what the instances hold as objects (no timing,
// no heap bound), and the diff told from the parked instances is the one told from held ones.
import { describe, expect, it } from 'vitest';
import { diffFlows } from '../../src/diff/flows.js';
import { runPipelineOnText } from '../../src/pipeline.js';
import { LogGenerator } from '../bench/generate.js';

const COMMANDS = 1500;

function run(name: string, seed: number, failRate: number) {
  const gen = new LogGenerator(seed, failRate);
  const text = Array.from({ length: COMMANDS }, () => gen.command().join('\n')).join('\n');
  return runPipelineOnText([{ name, text }]).result;
}

describe('diff holds little per flow instance', () => {
  it(`${COMMANDS} commands a side: no flow result or command line is held past the budget; same diff as held`, () => {
    const base = run('good.log', 42, 0.05);
    const head = run('bad.log', 7, 0.3);
    expect(base.flows.length).toBe(COMMANDS);
    expect(head.flows.length).toBe(COMMANDS);

    // The default budget (1 MB) is passed at this size: every flow result is on disk (the command
    // lines, ~100 characters each, fit in it).
    const parked = diffFlows(base, head);
    expect(parked.heldInMemory.flows).toBe(0);
    // A small budget parks the command lines too.
    const small = diffFlows(base, head, 64 * 1024);
    expect(small.heldInMemory).toEqual({ flows: 0, commandLines: 0 });
    // Everything held (an unbounded budget), as diff held it before: each instance's flow result.
    const held = diffFlows(base, head, Number.POSITIVE_INFINITY);
    expect(held.heldInMemory).toEqual({ flows: 2 * COMMANDS, commandLines: 2 * COMMANDS });

    expect(parked.matched).toBe(COMMANDS);
    const failed = head.commands.filter((c) => c.exitCode === 1).length;
    expect(parked.flows.filter((f) => f.match === 'matched' && f.worse).length).toBeGreaterThan(0);
    expect(failed).toBeGreaterThan(300);
    // The same pairs and divergences, read back from the files.
    expect(JSON.stringify(parked.flows)).toBe(JSON.stringify(held.flows));
    expect(JSON.stringify(small.flows)).toBe(JSON.stringify(held.flows));
  }, 120_000);
});
