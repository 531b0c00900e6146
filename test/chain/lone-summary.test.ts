// keystoneauth's `METHOD call to SERVICE for URL used request id req-…` line is written once
// the response came. A paste that keeps it without the REQ above it still proves a request.
// The input is samples/field/cinderclient-lone-summary (real), cut as pastes are cut.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runPipelineOnText } from '../../src/pipeline.js';

const lines = readFileSync(
  new URL('../../samples/field/cinderclient-lone-summary/cinderclient-lone-summary.log', import.meta.url),
  'utf8',
).split('\n');
const run = (from: number, to: number) =>
  runPipelineOnText([{ name: 'cut.log', text: lines.slice(from - 1, to).join('\n') }]).result;

describe('a summary line without its REQ', () => {
  it('alone: one answered exchange, method, path and request id known, status null', () => {
    const [e, ...rest] = run(2, 2).exchanges;
    expect(rest).toEqual([]);
    expect(e).toMatchObject({ kind: 'bare', method: 'GET', status: null, complete: true, service: 'volumev2' });
    expect(e!.path).toBe(
      '/v2/d034846b0c0f4df4b0ef6cae1bd9b306/volumes/detail?all_tenants=True&project_id=5a54b3853491478ead28060213c857c4',
    );
    expect(e!.requestId).toBe('req-abb4ca26-2e8c-47a4-b44c-ae1ff55fe40c');
  });

  it("after a RESP whose REQ was cut off: names that exchange's method and path, one exchange", () => {
    // Lines 6–11: RESP [400], RESP BODY, blank lines, a heading, then the POST's summary line.
    const { exchanges, findings } = run(6, 11);
    expect(exchanges.map((e) => [e.method, e.status, e.requestId, e.path?.endsWith('/action')])).toEqual([
      ['POST', 400, 'req-8abe8b36-8546-4a0b-aa5a-5111c5fe1c38', true],
    ]);
    expect(findings.filter((f) => f.ruleId === 'log/truncated-exchange')).toEqual([]);
  });
});
