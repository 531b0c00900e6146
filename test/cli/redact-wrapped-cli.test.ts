// `ostrace redact` on a pod log whose runtime cut a line inside its token (a CRI `P` part and the
// `F` part that ends it): the token's start was masked, its tail printed in clear on the next
// line. Through the built CLI, on samples/field/crio-partial-split-token (built from the real
// crio-partial-osc-resp-body sample; its source field says how): the tail is gone, every other
// byte is the input's, and no report of analyze or lint shows a piece of the token.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirs } from '../temp-dirs.js';
import { ostrace, root } from './built-cli.js';

const file = 'samples/field/crio-partial-split-token/crio-partial-split-token.log';
const input = readFileSync(join(root, file), 'utf8');
const lines = input.split('\n');
/** Lines 37 and 38: the REQ line's `P` part, up to the token's 100th character, and its `F` part. */
const P = 36;
const head = lines[P]!.slice(lines[P]!.indexOf('X-Auth-Token: ') + 'X-Auth-Token: '.length);
const F_PREFIX = '2026-12-05T01:48:42.037523456+00:00 stderr F ';
const dir = tempDirs('ostrace-redact-wrapped-');
const tail = lines[P + 1]!.slice(F_PREFIX.length, lines[P + 1]!.indexOf('"'));

describe('redact: a token the runtime cut between a P part and its F part (built CLI)', () => {
  it('the sample: a token head in the P part, its tail in the F part', () => {
    expect(head).toMatch(/^gAAAAAB[\w-]{93}$/);
    expect(lines[P + 1]!.startsWith(F_PREFIX)).toBe(true);
    expect(tail).toMatch(/^[\w-]{84}$/);
  });

  it('masks it across the two lines; every other byte is the input’s', () => {
    const r = ostrace(['redact', file]);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain(tail.slice(0, 16));
    expect(r.stdout).not.toContain(tail.slice(-16));
    expect(r.stdout).not.toContain(head.slice(7, 23));
    const out = r.stdout.split('\n');
    expect(out).toHaveLength(lines.length);
    expect(out[P]).toBe(lines[P]!.slice(0, lines[P]!.length - head.length) + '***');
    expect(out[P + 1]).toBe(`${F_PREFIX}" -H "X-OpenStack-Nova-API-Version: 2.1"`);
    for (const [i, line] of lines.entries()) if (i !== P && i !== P + 1) expect(out[i]).toBe(line);
  });

  it('--check names the line the token begins on', () => {
    const r = ostrace(['redact', '--check', file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(
      `${file}:37  token: X-Auth-Token header in clear\n1 secret found: run \`ostrace redact\` to mask them\n`,
    );
  });

  it('analyze, explain and lint show no piece of it, in any format', () => {
    const runs = [
      ...['text', 'json', 'html', 'har', 'sarif', 'markdown', 'junit', 'github', 'otlp'].map((f) => [
        'analyze',
        '-f',
        f,
      ]),
      ...['text', 'json', 'sarif', 'junit', 'github', 'markdown'].map((f) => ['lint', '-f', f]),
      ...['text', 'markdown', 'json'].map((f) => ['explain', '-f', f]),
    ];
    for (const args of runs) {
      const r = ostrace([...args, file]);
      expect(r.stderr, args.join(' ')).toBe('');
      for (const piece of [head.slice(7, 23), tail.slice(0, 16), tail.slice(-16)])
        expect(r.stdout, args.join(' ')).not.toContain(piece);
    }
  });

  // containerd writes each stream from its own goroutine: a stdout line may come between the parts.
  // Read apart, the F part was an unrecognized line, its text (the token's tail) listed in clear.
  it('a stdout line between the parts: redact and analyze still hide the tail', () => {
    const between = [...lines.slice(0, P + 1), '2026-12-05T01:48:42.037323456+00:00 stdout F ', ...lines.slice(P + 1)];
    const path = join(dir(), '0.log');
    writeFileSync(path, between.join('\n'));
    const redacted = ostrace(['redact', path]);
    expect(redacted.stdout.split('\n')).toEqual([
      ...lines.slice(0, P),
      lines[P]!.slice(0, lines[P]!.length - head.length) + '***',
      between[P + 1],
      `${F_PREFIX}" -H "X-OpenStack-Nova-API-Version: 2.1"`,
      ...lines.slice(P + 2),
    ]);
    for (const format of ['json', 'html', 'text']) {
      const r = ostrace(['analyze', '-f', format, path]);
      for (const piece of [head.slice(7, 23), tail.slice(0, 16), tail.slice(-16)])
        expect(r.stdout).not.toContain(piece);
    }
  });

  // The runtime cuts bytes: an em dash cut in the middle ends the P part with its first byte.
  it('a character cut between the parts: analyze reads it whole, redact keeps its bytes', () => {
    const prose = Buffer.from('la commande a échoué — voir la réponse plus bas');
    const cut = prose.indexOf(Buffer.from('—')) + 1;
    const bytes = Buffer.concat([
      Buffer.from(lines[P]!.slice(0, lines[P]!.indexOf(' P ') + 3)),
      prose.subarray(0, cut),
      Buffer.from(`\n${F_PREFIX}`),
      prose.subarray(cut),
      Buffer.from('\n'),
      Buffer.from(lines.slice(P, P + 2).join('\n') + '\n'),
    ]);
    const path = join(dir(), '0.log');
    writeFileSync(path, bytes);
    const analyzed = JSON.parse(ostrace(['analyze', '-f', 'json', path]).stdout) as {
      inputs: Array<{ unrecognized: Array<{ line: number; text: string }> }>;
    };
    expect(analyzed.inputs[0]!.unrecognized).toEqual([{ line: 1, text: prose.toString() }]);
    const out = join(dir(), 'redacted.log');
    expect(ostrace(['redact', '-o', out, path]).code).toBe(0);
    const redacted = readFileSync(out);
    // The two parts' bytes, the character's too, as they were; the token line after them masked.
    const parts = bytes.indexOf('\n', bytes.indexOf('\n') + 1) + 1;
    expect(redacted.subarray(0, parts).equals(bytes.subarray(0, parts))).toBe(true);
    expect(redacted.subarray(parts).toString()).toBe(
      `${lines[P]!.slice(0, lines[P]!.length - head.length)}***\n${F_PREFIX}" -H "X-OpenStack-Nova-API-Version: 2.1"\n`,
    );
  });
});
