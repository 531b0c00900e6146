// A service log flattened onto one physical line (a paste that lost its newlines)
// reads as the same records: each record's message is its own text, not the rest of
// the line, so step markers and request spans match the unflattened log exactly.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runPipelineOnText } from '../../src/pipeline.js';

const sample = (p: string) =>
  readFileSync(new URL(`../../samples/multi-service/minicloud-attach/${p}`, import.meta.url), 'utf8')
    .split('\n')
    .filter((l) => l.length > 0);

describe('a flattened service log', () => {
  for (const name of ['nova-compute.log', 'cinder-volume.log', 'nova-api.log']) {
    it(`${name}: the same step markers and request spans as the original`, () => {
      const lines = sample(name);
      const normal = runPipelineOnText([{ name, text: lines.join('\n') }]).result;
      const flat = runPipelineOnText([{ name, text: lines.join(' ') }]).result;
      expect(flat.inputs[0]!.lines).toBe(1);
      expect(flat.inputs[0]!.unrecognizedLines).toBe(0);
      const view = (r: typeof normal) =>
        r.serviceEvents.map((e) => [e.marker, e.requestId, e.globalRequestId, e.message]);
      expect(normal.serviceEvents.length + normal.exchanges.length).toBeGreaterThan(0);
      expect(view(flat)).toEqual(view(normal));
      const exchanges = (r: typeof normal) => r.exchanges.map((e) => [e.method, e.path, e.status, e.requestId]);
      expect(exchanges(flat)).toEqual(exchanges(normal));
    });
  }
});
