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
