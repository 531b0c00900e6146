// A RESP line cut right after a request-id header's name (a doc soft-wrapped at 78 columns,
// samples/field/cinder-unity-doc-wrapped, real) gives that header an empty value: no id.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runPipelineOnText } from '../../src/pipeline.js';

const lines = readFileSync(
  new URL('../../samples/field/cinder-unity-doc-wrapped/cinder-unity-doc-wrapped.log', import.meta.url),
  'utf8',
).split('\n');
const exchangesOf = (kept: number[]) => [
  ...runPipelineOnText([{ name: 'cut.log', text: kept.map((n) => lines[n - 1]).join('\n') }]).result.exchanges,
];

describe('a request-id header cut from its value', () => {
  it('is no request id: null, never an empty string', () => {
    // The RESP line alone, its value line dropped: `… X-Compute-Request-Id:` ends it.
    const [e] = exchangesOf([11]);
    expect(e).toMatchObject({ status: 202, requestId: null });
  });

  it('is the id on the wrapped line that follows it', () => {
    const [e] = exchangesOf([11, 12]);
    expect(e).toMatchObject({ status: 202, requestId: 'req-3a459e0e-871a-49f9-9796-b63cc48b5015' });
  });
});

// Found fuzzing the built CLI: a RESP line whose last header ran into the next lines' text (their
// newlines lost) took megabytes as its request id, repeated by every chain, story and report.
describe('a request-id header run into other text', () => {
  const log = readFileSync(new URL('../../samples/lint/attach-500.log', import.meta.url), 'utf8').split('\n');
  const resp = log.findIndex((l) => l.startsWith('RESP: [500]'));
  const run = (tail: string) => [
    ...runPipelineOnText([{ name: 'run-on.log', text: log.map((l, i) => (i === resp ? l + tail : l)).join('\n') }])
      .result.exchanges,
  ];

  it("is no request id past 128 characters: the call's id is the one its `used request id` line names", () => {
    const real = 'req-937ad3d6-e982-47e0-a857-844934907910';
    expect(run('').find((e) => e.status === 500)?.requestId).toBe(real);
    // up to 128 characters the header's value is taken as it is
    expect(run('x'.repeat(88)).find((e) => e.status === 500)?.requestId).toBe(`${real}${'x'.repeat(88)}`);
    expect(run('x'.repeat(1 << 20)).find((e) => e.status === 500)?.requestId).toBe(real);
  });
});
