// A paste that starts mid-run (samples/field/osc-create-mid-run, real): the calls of a command
// whose start is not in the log (its END follows them), or outside any command. What came
// before the first call seen is unknown, and what goes missing after it is still missing.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runPipelineOnText } from '../../src/pipeline.js';

const name = 'samples/field/osc-create-mid-run/osc-create-mid-run.log';
const lines = readFileSync(new URL(`../../${name}`, import.meta.url), 'utf8').split('\n');
const run = (text: string) => runPipelineOnText([{ name: 'paste.log', text }]).result;

describe('explain on a paste that starts mid-run', () => {
  it('the steps before it are skipped, not missing: complete, no problem', () => {
    const result = run(lines.join('\n'));
    const [flow] = [...result.flows];
    expect([flow!.flow, flow!.verdict, flow!.command]).toEqual(['client/server-create', 'complete', 1]);
    expect(flow!.steps.filter((s) => s.step === 'auth').map((s) => s.status)).toEqual(['skipped']);
    expect(result.explanations).toEqual([]);
  });

  it('a step missing after the first one seen is still missing, told in the story of its flow', () => {
    // minicloud 20 (real): `nova volume-update` prints no command markers, its calls are outside
    // any command. Without the GET of the server by id (lines 410–415, after the token request):
    const swap = readFileSync(new URL('../../samples/minicloud/20-swap-attached/client.log', import.meta.url), 'utf8')
      .split('\n')
      .filter((_, i) => i + 1 < 410 || i + 1 > 415);
    const result = run(swap.join('\n'));
    const flow = [...result.flows].find((f) => f.flow === 'client/server-swap-volume')!;
    expect(flow.steps.filter((s) => s.status !== 'matched').map((s) => [s.step, s.status])).toEqual([
      ['get-server', 'missing'],
    ]);
    // Its finding is part of the flow's own story.
    const stories = result.explanations!.filter((x) => x.findings.some((f) => f.ruleId === 'flow/missing-step'));
    expect(stories).toHaveLength(1);
    expect(stories[0]!.title).toContain('client/server-swap-volume');
  });
});
