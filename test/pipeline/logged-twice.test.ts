// `nova --debug` (python-novaclient 18, samples/minicloud/20-swap-attached, a real
// recording) prints the REQ, RESP, RESP BODY and `used request id` lines of its version
// request twice: bare, then again behind the root logger's `DEBUG (session:519) `. Each
// request is one complete exchange; the copies are counted as `logged-twice` lines.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runPipelineOnText } from '../../src/pipeline.js';

const text = readFileSync(new URL('../../samples/minicloud/20-swap-attached/client.log', import.meta.url), 'utf8');

describe('a client that logs each keystoneauth line twice', () => {
  const { result } = runPipelineOnText([{ name: 'client.log', text }]);
  const compute = result.exchanges.filter(
    (e) =>
      e.side === 'client' && (e.url ?? '').startsWith('http://127.0.0.1:8774/v2.1') && e.line > 334 && e.line < 421,
  );

  it('gives one complete exchange per request of `nova volume-update`: version, two lookups, the swap', () => {
    expect(compute.map((e) => [e.method, e.status, e.complete, e.requestId !== null])).toEqual([
      ['GET', 200, true, true],
      ['GET', 200, true, true],
      ['GET', 200, true, true],
      ['PUT', 202, true, true],
    ]);
    expect(result.findings.filter((f) => f.ruleId === 'log/truncated-exchange')).toEqual([]);
  });

  it("counts the version request's four copies as logged-twice lines", () => {
    expect(result.inputs[0]!.kinds['logged-twice']).toBe(4);
  });
});
