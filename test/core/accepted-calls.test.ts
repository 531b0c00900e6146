// The accepted attaches and detaches the flows stage keeps as it replays (core/accepted-calls.ts)
// must be exactly what reading the run's flow results gives: the rule flow/attach-rolled-back and
// explain's unconfirmed operations read the kept ones, and a hand-made analysis the results.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { acceptedCallsOf } from '../../src/core/accepted-calls.js';
import { runPipelineOnText } from '../../src/pipeline.js';

const minicloud = fileURLToPath(new URL('../../samples/minicloud/', import.meta.url));

function run(dir: string, only: (name: string) => boolean = () => true) {
  const names = readdirSync(dir)
    .filter((n) => n.endsWith('.log') && only(n))
    .sort();
  return runPipelineOnText(names.map((name) => ({ name, text: readFileSync(`${dir}/${name}`, 'utf8') })));
}

describe('accepted volume calls kept by the flows stage', () => {
  const recordings = readdirSync(minicloud).filter((d) => /^\d\d-/.test(d));

  it.each(recordings)('%s: the kept calls are those its flow results give, in order', (recording) => {
    const { acceptedCalls, result } = run(`${minicloud}${recording}`);
    const kept = [...(acceptedCalls ?? [])];
    expect(kept).toEqual([...acceptedCallsOf(undefined, result.flows)]);
  });

  it('01 attach/detach: the attach and the detach the API accepted, with their calls', () => {
    const { acceptedCalls } = run(`${minicloud}01-attach-detach`);
    const kept = [...(acceptedCalls ?? [])];
    // The client's flows first (as each command closes), then the service side's (none of these).
    expect(kept.map((a) => [a.flow, a.verdict, a.shownWhole, a.call.source])).toEqual([
      ['client/server-add-volume', 'complete', true, 'client.log'],
      ['client/server-remove-volume', 'complete', true, 'client.log'],
    ]);
    expect(kept[0]!.captures).toMatchObject({ volume: expect.any(String), server: expect.any(String) });
    expect(kept[0]!.call.requestId).toMatch(/^req-/);
  });

  it('a client log cut before its attach answer: no accepted call is kept', () => {
    const dir = `${minicloud}01-attach-detach`;
    const text = readFileSync(`${dir}/client.log`, 'utf8');
    const cut = text.slice(0, text.indexOf('os-volume_attachments'));
    const { acceptedCalls } = runPipelineOnText([{ name: 'client.log', text: cut }]);
    expect([...(acceptedCalls ?? [])]).toEqual([]);
  });
});
