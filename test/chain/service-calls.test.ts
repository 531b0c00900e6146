// A service's own calls (Exchange.caller) in the real minicloud recordings: cinder-volume's
// novaclient call to nova's os-server-external-events (21, DEBUG lines), nova-compute's
// attachment update that cinder-api answered 500 (04, told by nova's ERROR record). Each call
// hangs under the request that made it and is the same call as the callee's server exchange;
// one failed call is one finding and one problem.
import { describe, expect, it } from 'vitest';
import { diffRuns } from '../../src/diff/index.js';
import type { Exchange, RunResult } from '../../src/model/schema.js';
import { runPipelineOnText } from '../../src/pipeline.js';
import { recording } from '../recording.js';

const run = (inputs: Array<{ name: string; text: string }>) => runPipelineOnText(inputs).result;
const pick = (dir: string, names: string[]) => recording(dir).filter((i) => names.includes(i.name));
const callers = (r: RunResult) => [...r.exchanges].filter((e) => e.caller);
const linkOf = (r: RunResult, to: string) => [...r.chains].flatMap((c) => c.links).find((l) => l.to === to);

/** 04's failed attachment update as a grep for its ids would give it: nova's record, cinder-api's request. */
function failedUpdate(): Array<{ name: string; text: string }> {
  const logs = recording('04-attach-driver-error');
  const lines = (name: string, keep: (l: string, i: number) => boolean) =>
    logs
      .find((i) => i.name === name)!
      .text.split('\n')
      .filter(keep)
      .join('\n');
  return [
    { name: 'nova-compute.log', text: lines('nova-compute.log', (_l, i) => i === 8) },
    {
      name: 'cinder-api.log',
      text: lines('cinder-api.log', (l) => l.includes('req-f27771dc-2fb8-48c8-b447-c070283aa664')),
    },
  ];
}

describe("a service's own calls", () => {
  it("cinder-volume's call to nova-api is cinder-volume's, under its request, and the same call as nova-api's", () => {
    const r = run(
      pick('21-extend-attached-ok', ['cinder-api.log', 'cinder-volume.log', 'nova-api.log', 'nova-compute.log']),
    );
    const [call, ...more] = callers(r);
    expect(more).toEqual([]);
    expect(call).toMatchObject({
      source: 'cinder-volume.log',
      line: 22,
      side: 'client',
      method: 'POST',
      path: '/v2.1/os-server-external-events',
      status: 200,
      requestId: 'req-1472e1f3-9c02-406e-8abc-55b1c5bd5af3',
      caller: { service: 'cinder-volume', requestId: 'req-e98d7dfc-2879-4fda-a24d-04ec51375808', seen: 'http-log' },
    });
    const served = [...r.exchanges].find((e) => e.side === 'server' && e.requestId === call!.requestId)!;
    expect(served.source).toBe('nova-api.log');
    // nova-api's request is the call's (not a sibling reached by the global id), the call cinder-volume's.
    expect(linkOf(r, `x${served.id}`)).toEqual({ from: `x${call!.id}`, to: `x${served.id}`, kind: 'request-id' });
    expect(linkOf(r, `x${call!.id}`)).toEqual({
      from: 'line:cinder-volume.log:21',
      to: `x${call!.id}`,
      kind: 'request-id',
    });
    const chain = r.chains.find((c) => c.links.some((l) => l.to === `x${call!.id}`))!;
    expect(chain.services).not.toContain('client');
    expect(chain.services).toEqual(expect.arrayContaining(['cinder-api', 'cinder-volume', 'nova-api', 'nova-compute']));
  });

  it("nova-compute's record of cinder's 500 is its call, linked to cinder-api's request: one finding, one problem", () => {
    const r = run(failedUpdate());
    const [call] = callers(r) as [Exchange];
    expect(call).toMatchObject({
      source: 'nova-compute.log',
      line: 1,
      method: null,
      path: null,
      status: 500,
      requestId: 'req-f27771dc-2fb8-48c8-b447-c070283aa664',
      caller: { service: 'nova-compute', requestId: 'req-25947822-c9a4-46d4-8181-7a50c86c12ed', seen: 'error-text' },
    });
    const served = [...r.exchanges].find((e) => e.side === 'server' && e.requestId === call.requestId)!;
    expect(linkOf(r, `x${served.id}`)).toMatchObject({ from: `x${call.id}`, kind: 'request-id' });
    expect(r.findings.map((f) => [f.ruleId, f.source, f.line])).toEqual([
      ['service/error-logged', 'nova-compute.log', 1],
      ['http/server-error', 'cinder-api.log', 2],
    ]);
    const [story, ...more] = r.explanations!;
    expect(more).toEqual([]);
    expect(story!.title).toBe('PUT /v3/{id}/attachments/{id} → HTTP 500 (cinder-api)');
    expect(story!.text).toContain('Then: nova-compute logged ERROR: Update attachment failed');
  });

  it("the record alone names the called service's request id to look up, and no HTTP finding of its own", () => {
    const r = run([failedUpdate()[0]!]);
    expect(r.findings.map((f) => f.ruleId)).toEqual(['service/error-logged']);
    const [e] = r.explanations!;
    expect(e!.loggedCall).toMatchObject({ status: 500, requestId: 'req-f27771dc-2fb8-48c8-b447-c070283aa664' });
    expect(e!.text).toContain(
      'It quotes the answer to its own call: HTTP 500, request id req-f27771dc-2fb8-48c8-b447-c070283aa664 of the service it called',
    );
    expect(e!.grep.map((g) => g.id)).toContain('req-f27771dc-2fb8-48c8-b447-c070283aa664');
  });

  it('diff counts the failed call once: the callee answered it, the caller only quoted it', () => {
    const base = run(pick('21-extend-attached-ok', ['cinder-api.log', 'nova-compute.log']));
    const d = diffRuns(base, run(failedUpdate()));
    expect(d.newHttpErrors.map((e) => [e.side, e.service, e.status, e.head])).toEqual([
      ['server', 'cinder-api', 500, 1],
    ]);
  });
});
