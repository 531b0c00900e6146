// explain's index of which input each server-side exchange came from: runs of consecutive ids
// instead of a map entry per call. Checked against a plain map on any mix of client and server
// rows in id order.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ServerSources } from '../../src/explain/problems.js';
import { startWatchdog } from '../watchdog.js';

// random inputs: a loop that never ends must fail this file, not hang the run
startWatchdog(import.meta.url);

describe('ServerSources', () => {
  it('answers like a map of every server row, for any order of sides and inputs', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ server: fc.boolean(), source: fc.constantFrom('a.log', 'b.log', 'c.log') }), {
          maxLength: 200,
        }),
        (rows) => {
          const runs = new ServerSources(['a.log', 'b.log', 'c.log']);
          const plain = new Map<number, string>();
          rows.forEach((r, i) => {
            if (!r.server) return;
            runs.add(i + 1, r.source);
            plain.set(i + 1, r.source);
          });
          for (let id = 0; id <= rows.length + 1; id++) expect(runs.get(id)).toBe(plain.get(id));
        },
      ),
    );
  });
});
