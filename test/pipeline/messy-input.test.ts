// Bad input never crashes ostrace: logs assembled from real lines shuffled, cut short,
// repeated and mixed with junk go through every stage and every reporter, and every line
// is counted as recognized or unrecognized, and no secret of any line reaches a report.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runPipelineOnText } from '../../src/pipeline.js';
import { findSecrets } from '../../src/redact/spans.js';
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

/** Every line of every sample log: the shapes of every era, service and paste ostrace was shown. */
function sampleLines(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) sampleLines(path, out);
    else if (entry.name.endsWith('.log') && statSync(path).size < 3_000_000)
      for (const l of readFileSync(path, 'utf8').split('\n')) if (l.length > 0 && l.length < 5000) out.push(l);
  }
  return out;
}
const POOL = sampleLines(fileURLToPath(new URL('../../samples', import.meta.url)));
/** The sample lines that hold a secret (a password in argv, a token, a CHAP password…): drawn more often. */
const SECRET_LINES = POOL.filter((l) => findSecrets(l).some((sp) => sp.end - sp.start >= 8));

const line = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...POOL) },
  {
    weight: 2,
    arbitrary: fc.tuple(fc.constantFrom(...POOL), fc.nat()).map(([l, n]) => l.slice(0, n % (l.length + 1))),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 80 }) },
  { weight: 1, arbitrary: fc.constantFrom(...SECRET_LINES) },
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
        // A secret of any line, however the lines were cut and mixed, is in no report.
        const secrets = new Set<string>();
        for (const l of lines)
          for (const sp of findSecrets(l)) if (sp.end - sp.start >= 8) secrets.add(l.slice(sp.start, sp.end));
        for (const r of Object.values(reporters)) {
          const out = r.render(result, { color: false, showSecrets: false, details });
          expect(typeof out).toBe('string');
          for (const secret of secrets) expect(out.includes(secret), `${r.id} shows ${secret}`).toBe(false);
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

describe('a secret in a body answered with an error status', () => {
  // Found by the property above: an error's message is read from its body (cut from it when no
  // error key names it), and a token body's id, or an `adminPass` taken for an error key, went
  // into the exchange's error and the http rule's finding (JSON, text, GitHub annotations).
  it('keeps an adminPass out of every report (the real evacuate answer, after a 500)', () => {
    const text = ['RESP: [500]', 'RESP BODY: {"adminPass": "t9ZeV7Vbkzk2"}', ''].join('\n');
    const { result, details } = runPipelineOnText([{ name: 'a.log', text }], { keepDetails: true });
    expect([...result.exchanges][0]!.error).toEqual({ message: '***', code: 'adminPass' });
    for (const r of Object.values(reporters))
      expect(r.render(result, { color: false, showSecrets: false, details })).not.toContain('t9ZeV7Vbkzk2');
  });

  it('keeps the adminPass of an indented command table out of every report (found by fuzzing the CLI)', () => {
    // The real rebuild table row (samples/minicloud/16-rebuild-attached/client.log:372), indented as a
    // paste indents it: an unrecognized line, listed with its text.
    const text = '    | adminPass         | 3Wn3YBVdqYgd                                             |\n';
    const { result, details } = runPipelineOnText([{ name: 'a.log', text }], { keepDetails: true });
    expect(result.inputs[0]!.unrecognizedLines).toBe(1);
    for (const r of Object.values(reporters))
      expect(r.render(result, { color: false, showSecrets: false, details })).not.toContain('3Wn3YBVdqYgd');
  });

  it('keeps the secrets of a log whose lines end in CR alone out of every report (found by fuzzing the CLI)', () => {
    // One line: the START line's argv runs on over the request and its password body.
    const text = [
      'START with options: server list',
      'REQ: curl -g -i -X POST http://h/identity/v3/auth/tokens -d \'{"auth": {"identity": {"password": {"user": {"password": "hunter2-body"}}}}}\'',
      'RESP BODY: {"server": {"adminPass": "Xk9adminPassValue"}}',
      '',
    ].join('\r');
    const { result, details } = runPipelineOnText([{ name: 'a.log', text }], { keepDetails: true });
    expect(result.inputs[0]!.lines).toBe(1);
    for (const r of Object.values(reporters)) {
      const out = r.render(result, { color: false, showSecrets: false, details });
      for (const secret of ['hunter2-body', 'Xk9adminPassValue']) expect(out, `${r.id}`).not.toContain(secret);
    }
  });

  it('keeps the token id out of every report', () => {
    const token =
      'MIIRtgYJKoZIhvcNAQcCoIIRpzCCEaMCAQExCTAHBgUrDgMCGjCCEAwGCSqGSIb3DQEHAaCCD-0Egg-5eyJhY2Nlc3MiOiB7InRva2VuIjogeyJpc3N1ZWRfYXQiOiAiMjAxNC0wNy0wMVQxMDowMDowMCX2';
    const body = `{"access": {"token": {"issued_at": "2014-07-01T10:00:02.000000", "expires": "2014-07-01T11:00:02Z", "id": "${token}", "tenant": {"enabled": true, "id": "2b7a1c9d8e6f4a5b9c0d1e2f3a4b5c6d", "name": "demo"}}, "serviceCatalog": [], "user": {"username": "demo", "name": "demo"}}}`;
    const text = ['RESP: [404]', `RESP BODY: ${body}`, '!', ''].join('\n');
    const { result, details } = runPipelineOnText([{ name: 'a.log', text }], { keepDetails: true });
    expect([...result.exchanges][0]!.error?.message).toContain('"id": "***');
    for (const r of Object.values(reporters))
      expect(r.render(result, { color: false, showSecrets: false, details })).not.toContain(token);
  });
});
