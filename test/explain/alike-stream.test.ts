// Alike operations (explain/alike.ts) are counted as the flow results stream: only the first
// in log order is held as a problem, whatever order the flows were replayed in, and a finding
// at an alike operation's step is told by nobody, as before (its story is the first one's).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ALIKE_IDS } from '../../src/explain/alike.js';
import { explainRun } from '../../src/explain/index.js';
import { findProblems } from '../../src/explain/problems.js';
import type { Finding } from '../../src/model/schema.js';
import { runPipelineOnText } from '../../src/pipeline.js';
import { OldServiceLogs } from '../bench/old-services.js';

/** minicloud 10 with nova's logs only: two attaches and two detaches miss their cinder steps. */
function novaOnly() {
  return runPipelineOnText(
    ['nova-api.log', 'nova-compute.log'].map((name) => ({
      name,
      text: readFileSync(new URL(`../../samples/minicloud/10-multiattach/${name}`, import.meta.url), 'utf8'),
    })),
  );
}

describe('explain: alike operations as they stream', () => {
  it('holds one problem per kind of failure, not one per operation', () => {
    const analysis = novaOnly();
    expect([...analysis.result.flows].filter((f) => f.verdict !== 'complete')).toHaveLength(4);
    const { problems } = findProblems(analysis);
    expect(problems.map((p) => [p.flows[0]!.flow, p.flows[0]!.line, p.alike])).toEqual([
      ['server/attach-volume', 35, { count: 1, ids: ['req-1f817415-5f94-4d08-bcc7-26993420d5b8'] }],
      ['server/detach-volume', 94, { count: 1, ids: ['req-6da9a68f-5cd8-4012-ae5d-49ba2b86b8e0'] }],
    ]);
  });

  it('tells the first in log order, whatever order the flows were replayed in', () => {
    const analysis = novaOnly();
    const inOrder = explainRun(analysis);
    analysis.result.flows = [...analysis.result.flows].reverse();
    const reversed = explainRun(analysis);
    expect(reversed).toEqual(inOrder);
    // Only cinder's steps are missing, and cinder's logs were not given: not problems.
    expect(reversed.problems).toEqual([]);
    expect(reversed.notFollowed.map((x) => [x.flows[0]!.requestId, x.alike.requestIds])).toEqual([
      ['req-9281afca-5598-4206-82e7-5b168c2b376f', ['req-1f817415-5f94-4d08-bcc7-26993420d5b8']],
      ['req-760f39f8-4d6a-4b23-8d22-4a76e4b0ba29', ['req-6da9a68f-5cd8-4012-ae5d-49ba2b86b8e0']],
    ]);
  });

  it("a finding at an alike operation's step makes no story of its own", () => {
    const analysis = novaOnly();
    const second = [...analysis.result.flows].find((f) => f.requestId === 'req-1f817415-5f94-4d08-bcc7-26993420d5b8')!;
    const step = second.steps.find((s) => s.exchange !== null)!;
    const finding: Finding = {
      ruleId: 'http/server-error',
      severity: 'error',
      message: `a call of ${second.requestId} failed`,
      source: step.source,
      line: step.line,
      exchange: step.exchange,
    };
    analysis.result.findings = [...analysis.result.findings, finding];
    const { problems, notFollowed } = explainRun(analysis);
    const list = [...problems, ...notFollowed];
    expect(list).toHaveLength(2);
    expect(list.flatMap((x) => x.findings.map((f) => f.line))).not.toContain(step.line);
  });

  it('keeps a count and the first request ids of thousands of alike operations, not every id', () => {
    // Older nova logs without cinder's (the bench's generator): every attach and every detach
    // misses its cinder steps the same way, dozens of each.
    const gen = new OldServiceLogs(7);
    const texts = ['', ''];
    while (texts[0]!.length < 600_000) {
      const [api, compute] = gen.next();
      texts[0] += api;
      texts[1] += compute;
    }
    const analysis = runPipelineOnText([
      { name: 'nova-api.log', text: texts[0]! },
      { name: 'nova-compute.log', text: texts[1]! },
    ]);
    // In log order (all in nova-api's log): the first of each flow is told, the others are alike.
    const byFlow = new Map<string, string[]>();
    const unfinished = [...analysis.result.flows].filter((f) => f.verdict !== 'complete');
    for (const f of [...unfinished].sort((a, b) => a.line! - b.line!))
      byFlow.set(f.flow, [...(byFlow.get(f.flow) ?? []), f.requestId!]);
    expect([...byFlow.values()].map((ids) => ids.length > 30)).toEqual([true, true]);
    const expected = [...byFlow].map(([flow, [first, ...others]]) => [
      flow,
      first,
      { count: others.length, ids: others.slice(0, ALIKE_IDS + 1) },
    ]);
    const told = (flows: typeof analysis.result.flows) => {
      analysis.result.flows = flows;
      return findProblems(analysis).problems.map((p) => [p.flows[0]!.flow, p.flows[0]!.requestId, p.alike]);
    };
    expect(told(unfinished)).toEqual(expected);
    // Replayed in another order, the same first ones and the same earliest ids.
    expect(told([...unfinished].reverse())).toEqual(expected);
    const [story] = [...explainRun(analysis).notFollowed];
    const ids = byFlow.get(story!.flows[0]!.flow)!;
    expect(story!.alike).toEqual({ count: ids.length - 1, requestIds: ids.slice(1, ALIKE_IDS + 1) });
    expect(story!.text).toContain(`The same happened to ${ids.length - 1} more`);
    expect(story!.text).toContain(', …).');
  });
});
