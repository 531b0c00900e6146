// A cut log with only the loggers left (`%(name)s  %(message)s`): a logger that names a service
// makes its line that service's, so the calls its client library logs are that service's own even
// when the file's name says nothing (real sample: samples/field/nova-compute-cinderclient-logger-only).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../src/analyze.js';

const text = readFileSync(
  new URL('../../samples/field/nova-compute-cinderclient-logger-only/nova-compute.log', import.meta.url),
  'utf8',
);

describe('a logger-only log', () => {
  it("is labelled by its service loggers, and its client library's calls are that service's", () => {
    for (const name of ['nova-compute.log', 'paste.txt']) {
      const { result } = analyzeText([{ name, text }]);
      expect(result.inputs.map((i) => [i.service, i.unrecognizedLines])).toEqual([['nova-compute', 0]]);
      const calls = [...result.exchanges].map((e) => [e.line, e.side, e.status, e.caller?.service]);
      expect(calls).toEqual([
        [2, 'client', 202, 'nova-compute'],
        [5, 'client', 200, 'nova-compute'],
      ]);
    }
  });
});
