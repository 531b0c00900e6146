// Errors no flow accounts for: an HTTP error a rule reported becomes the problem of the
// command that made the call, or a problem of its own when no command did (a keystoneclient
// log has no osc command); a failed command without a flow tells its own error line.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runPipelineOnText } from '../../src/pipeline.js';

function explain(sample: string) {
  const text = readFileSync(new URL(`../../samples/${sample}`, import.meta.url), 'utf8');
  return [...runPipelineOnText([{ name: sample, text }]).result.explanations!];
}

describe('explain: errors outside any flow', () => {
  it('a 403 and a 502 no command made are two problems, each its own call', () => {
    const list = explain('formats/keystoneclient-token-redacted.log');
    expect(list.map((x) => [x.command, x.clientCall?.status, x.clientCall?.line])).toEqual([
      [null, 403, 11],
      [null, 502, 19],
    ]);
    expect(list[0]!.text).toContain('admin_required');
    // The client's call is where it went wrong: told once.
    expect(list[0]!.text).not.toContain('It first went wrong');
  });

  it("`volume show` exit 1 tells its error line; `server list`'s 503, re-sent and answered, is told apart as recovered", () => {
    const text = readFileSync(new URL('../../samples/formats/sdk-retries-traceback.log', import.meta.url), 'utf8');
    const result = runPipelineOnText([{ name: 'formats/sdk-retries-traceback.log', text }]).result;
    const list = [...result.explanations!];
    expect(list.map((x) => [x.command?.name, x.command?.exitCode, x.clientCall?.status ?? null])).toEqual([
      ['volume show', 1, null],
    ]);
    expect(list[0]!.text).toContain('Unable to establish connection');
    expect(list[0]!.title).toMatch(/^`volume show` \(exit 1\) failed: Unable to establish connection to http/);
    // `server list` exited 0 once its re-sent GET was answered 200: not a problem.
    const [recovered, ...more] = result.recovered!;
    expect(more).toEqual([]);
    expect([recovered!.command?.name, recovered!.command?.exitCode, recovered!.clientCall?.status]).toEqual([
      'server list',
      0,
      503,
    ]);
    expect(recovered!.followed.map((f) => f.kind)).toContain('retry');
    expect(recovered!.title).toBe(
      '`server list` (exit 0, HTTP 503) recovered: compute GET /compute/v2.1/servers/detail → HTTP 503, re-sent and answered HTTP 200',
    );
  });

  it('a re-sent call that stays failed, or a command that did not exit 0, is no recovery', () => {
    const text = readFileSync(new URL('../../samples/formats/sdk-retries-traceback.log', import.meta.url), 'utf8');
    const lines = text.split('\n');
    // The last attempt answered 503 too (its RESP line, line 24), or the command ended 1 (line 29).
    const at = (n: number, from: string, to: string) => {
      expect(lines[n - 1]).toContain(from);
      const copy = [...lines];
      copy[n - 1] = copy[n - 1]!.replace(from, to);
      return runPipelineOnText([{ name: 'x.log', text: copy.join('\n') }]).result.explanations!;
    };
    for (const list of [at(24, 'RESP: [200]', 'RESP: [503]'), at(29, 'END return value: 0', 'END return value: 1')]) {
      const serverList = list.find((x) => x.command?.name === 'server list')!;
      expect(serverList.title).toMatch(/^`server list` \(exit [01], HTTP 503\) failed/);
      expect(serverList.title).not.toContain('recovered');
    }
  });

  it('a re-sent call that is not a read stays a problem: it may have gone through twice', () => {
    const text = readFileSync(new URL('../../samples/formats/sdk-retries-traceback.log', import.meta.url), 'utf8');
    // `server list` alone (lines 1-29), its 503 and its answered re-send made POSTs (urllib3's lines 13 and 23).
    const lines = text.split('\n').slice(0, 29);
    for (const n of [13, 23]) lines[n - 1] = lines[n - 1]!.replace('"GET /compute', '"POST /compute');
    lines[25] = lines[25]!.replace(/^GET call/, 'POST call');
    const result = runPipelineOnText([{ name: 'x.log', text: lines.join('\n') }]).result;
    expect(result.recovered).toBeUndefined();
    expect(result.explanations!.map((x) => x.title)).toEqual([
      '`server list` (exit 0, HTTP 503) recovered: compute POST /compute/v2.1/servers/detail → HTTP 503, re-sent and answered HTTP 200',
    ]);
  });
});

describe('explain: operations that went alike', () => {
  it('are told once with their count (minicloud 10, nova logs only: two attaches, two detaches)', () => {
    const result = runPipelineOnText(
      ['nova-api.log', 'nova-compute.log'].map((name) => ({
        name,
        text: readFileSync(new URL(`../../samples/minicloud/10-multiattach/${name}`, import.meta.url), 'utf8'),
      })),
    ).result;
    // Only their cinder steps are missing, and cinder's logs were not given: not problems.
    expect(result.explanations).toEqual([]);
    const list = [...result.notFollowed!];
    expect(list.map((x) => [x.flows[0]!.flow, x.alike.count, x.missingLogs])).toEqual([
      ['server/attach-volume', 1, ['cinder-api', 'cinder-volume']],
      ['server/detach-volume', 1, ['cinder-api', 'cinder-volume']],
    ]);
    expect(list[0]!.alike.requestIds).toEqual(['req-1f817415-5f94-4d08-bcc7-26993420d5b8']);
    expect(list[0]!.text).toContain('The same happened to 1 more server/attach-volume operation');
  });
});
