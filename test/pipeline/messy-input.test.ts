// Bad input never crashes ostrace: logs assembled from real lines shuffled, cut short,
// repeated and mixed with junk go through every stage and every reporter, and every line
// is counted as recognized or unrecognized.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runPipelineOnText } from '../../src/pipeline.js';
import { reporters } from '../../src/report/index.js';
import type { Chain } from '../../src/model/chain-schema.js';
import { startWatchdog } from '../watchdog.js';

// random inputs: a loop that never ends must fail this file, not hang the run
startWatchdog(import.meta.url);

/** Every reader walks up a chain's links from a node: by id they must form a tree. */
function expectTree(chains: readonly Chain[]) {
  for (const c of chains) {
    const parentOf = new Map<string, string>();
    for (const l of c.links) {
      expect(l.from).not.toBe(l.to);
      expect(parentOf.has(l.to)).toBe(false);
      parentOf.set(l.to, l.from);
    }
    for (const start of parentOf.keys()) {
      const seen = new Set<string>();
      for (let n: string | undefined = start; n !== undefined; n = parentOf.get(n)) {
        expect(seen.has(n)).toBe(false);
        seen.add(n);
      }
    }
  }
}

const sample = (p: string) => readFileSync(new URL(`../../samples/${p}`, import.meta.url), 'utf8').split('\n');
const POOL = [
  ...sample('seed-attach-volume/client.log'),
  ...sample('real-osc/server-add-volume-401-reauth.log'),
  ...sample('real-osc/server-add-volume-reset-get.log'),
  ...sample('multi-service/minicloud-attach/nova-api.log'),
  ...sample('multi-service/minicloud-attach/cinder-api.log'),
  ...sample('multi-service/minicloud-attach/nova-compute.log'),
  ...sample('formats/devstack-journald-nova-cinder.log'),
  ...sample('formats/osc-timing-table.log'),
].filter((l) => l.length > 0);

const line = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...POOL) },
  {
    weight: 2,
    arbitrary: fc.tuple(fc.constantFrom(...POOL), fc.nat()).map(([l, n]) => l.slice(0, n % (l.length + 1))),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 80 }) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...POOL), fc.constantFrom(...POOL)).map(([a, b]) => `${a} ${b}`) },
);

describe('messy input', () => {
  it('never throws, in any stage or reporter, and loses no line', () => {
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 60 }), fc.boolean(), (lines, twoInputs) => {
        const half = Math.floor(lines.length / 2);
        const inputs =
          twoInputs && half > 0
            ? [
                { name: 'a.log', text: lines.slice(0, half).join('\n') },
                { name: 'b.log', text: lines.slice(half).join('\n') },
              ]
            : [{ name: 'a.log', text: lines.join('\n') }];
        const { result, details } = runPipelineOnText(inputs, { keepDetails: true });
        for (const input of result.inputs) {
          const kinds = Object.values(input.kinds).reduce((a, b) => a + b, 0);
          expect(kinds).toBe(input.lines);
          expect(input.unrecognizedLines).toBe(input.kinds.unrecognized ?? 0);
        }
        expectTree([...result.chains]);
        for (const r of Object.values(reporters)) {
          expect(typeof r.render(result, { color: false, showSecrets: false, details })).toBe('string');
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe('a chain that loops back', () => {
  // Found by the property above (seed 4): grep-like fragments of two services whose links form a
  // cycle; the text report's chain tree recursed until the stack overflowed.
  it('renders in every format', () => {
    const inputs = JSON.parse(readFileSync(new URL('./chain-cycle-input.json', import.meta.url), 'utf8')) as Array<{
      name: string;
      text: string;
    }>;
    const { result, details } = runPipelineOnText(inputs, { keepDetails: true });
    for (const r of Object.values(reporters)) {
      expect(typeof r.render(result, { color: false, showSecrets: false, details })).toBe('string');
    }
  });
});

describe('two records joined on one line', () => {
  // Found by the property above: a cinder-api record with nova's record pasted onto its end
  // gives two spans that start on one line, so one node id; the link between them was written
  // as a node's link to itself and the OTLP report walked up it forever (CI hung).
  it('writes the chain links as a tree and renders in every format', () => {
    const inputs = JSON.parse(
      readFileSync(new URL('./two-records-one-line-input.json', import.meta.url), 'utf8'),
    ) as Array<{ name: string; text: string }>;
    const { result, details } = runPipelineOnText(inputs, { keepDetails: true });
    const joined = result.chains.find((c) => c.links.some((l) => l.to === 'x4'));
    expect(joined?.links.map((l) => `${l.from} -> ${l.to}`)).toEqual([
      'line:a.log:3 -> line:b.log:6',
      'line:b.log:6 -> x4',
      'line:b.log:6 -> line:a.log:5',
    ]);
    expectTree([...result.chains]);
    for (const r of Object.values(reporters)) {
      expect(typeof r.render(result, { color: false, showSecrets: false, details })).toBe('string');
    }
  });
});
