// A container runtime cuts a long line by bytes (CRI-O's conmon at each read, containerd at
// max_container_log_line_size): a UTF-8 character the cut goes through ends the `P` part with its
// first bytes and opens the `F` part's text with the rest. kubelet joins the parts' bytes, so
// `kubectl logs` shows the character; read line by line it became two U+FFFD. The reader moves the
// character's first bytes after the next part's prefix before decoding (src/input/split-characters.ts).
// The line is a real one of samples/field/crio-partial-osc-resp-body (its REQ at line 37) with
// real multi-byte characters put in it: an é (2 bytes), an em dash (3), an emoji (4).
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitLines } from '../../src/input/read.js';
import { runPipelineOnText } from '../../src/pipeline.js';

const sample = readFileSync(
  new URL('../../samples/field/crio-partial-osc-resp-body/crio-partial-osc-resp-body.log', import.meta.url),
  'utf8',
).split('\n');
const CRI = '2026-12-05T01:48:42.037123456+00:00 stderr F ';
expect(sample[36]!.startsWith(`${CRI}REQ: curl -g -i -X GET http://127.0.0.1:8774/v2.1/servers/detail`)).toBe(true);
const text = sample[36]!.slice(CRI.length).replace('python-novaclient', 'python-novaclient café — 🙂 naïve');
const bytes = Buffer.from(text);
/** Offsets that cut a character in the middle. */
const inside = [...bytes.keys()].filter((i) => i > 0 && (bytes[i]! & 0xc0) === 0x80);

const prefix = (tag: 'P' | 'F', n: number) => Buffer.from(`2026-12-05T01:48:42.03${n}123456+00:00 stderr ${tag} `);
const envelopes: Record<string, (tag: 'P' | 'F', n: number) => Buffer> = {
  'a pod log file': prefix,
  'grep -r over /var/log/pods': (tag, n) =>
    Buffer.concat([Buffer.from('podlogs/var/log/pods/ns_pod_0/c/0.log:'), prefix(tag, n)]),
  'grep -rn': (tag, n) =>
    Buffer.concat([Buffer.from(`podlogs/var/log/pods/ns_pod_0/c/0.log:${40 + n}:`), prefix(tag, n)]),
};

/** The lines splitLines reads from `input` given in chunks of `size` bytes. */
async function read(input: Buffer, size: number): Promise<string[]> {
  async function* chunks() {
    for (let at = 0; at < input.length; at += size) yield input.subarray(at, at + size);
  }
  const lines: string[] = [];
  for await (const batch of splitLines(chunks())) lines.push(...batch);
  return lines;
}

describe('a UTF-8 character a container runtime cut between a P part and its F part', () => {
  expect(inside.length).toBe(1 + 2 + 3 + 1);

  for (const [name, envelope] of Object.entries(envelopes)) {
    it(`is read whole, in any chunks (${name}): the parts' texts joined are the line`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...inside), fc.integer({ min: 1, max: 600 }), async (cut, size) => {
          const input = Buffer.concat([
            envelope('P', 1),
            bytes.subarray(0, cut),
            Buffer.from('\n'),
            envelope('F', 2),
            bytes.subarray(cut),
            Buffer.from('\n'),
          ]);
          const lines = await read(input, size);
          expect(lines).toHaveLength(2);
          const p = envelope('P', 1).toString();
          const f = envelope('F', 2).toString();
          expect(lines[0]!.startsWith(p) && lines[1]!.startsWith(f)).toBe(true);
          expect(lines[0]!.slice(p.length) + lines[1]!.slice(f.length)).toBe(text);
          expect(lines.join('\n')).not.toContain('\ufffd');
        }),
        { numRuns: 150 },
      );
    });
  }

  it('analyze reads the logical line with the character in it (an unrecognized line lists its text)', async () => {
    const prose = Buffer.from('la commande a échoué — voir la réponse 🙂 plus bas');
    const cut = prose.indexOf(Buffer.from('—')) + 2;
    const nl = Buffer.from('\n');
    const input = Buffer.concat([prefix('P', 1), prose.subarray(0, cut), nl, prefix('F', 2), prose.subarray(cut), nl]);
    const lines = await read(input, 64);
    const result = runPipelineOnText([{ name: '0.log', text: `${lines.join('\n')}\n` }]).result;
    expect(result.inputs[0]).toMatchObject({ lines: 2, unrecognized: [{ line: 1, text: prose.toString() }] });
  });

  it('stays U+FFFD where no runtime cut it: after a full line, before a line of no runtime, before other bytes', async () => {
    const cut = bytes.indexOf(Buffer.from('é')) + 1;
    const head = bytes.subarray(0, cut);
    const tail = bytes.subarray(cut);
    const nl = Buffer.from('\n');
    for (const input of [
      // a full line (F) ends with the character's first byte: no part of the next line
      Buffer.concat([prefix('F', 1), head, nl, prefix('F', 2), tail, nl]),
      // the next line is no runtime's
      Buffer.concat([prefix('P', 1), head, nl, tail, nl]),
      // the next part's text opens with something else
      Buffer.concat([prefix('P', 1), head, nl, prefix('F', 2), Buffer.from('x'), tail, nl]),
    ]) {
      const lines = await read(input, 7);
      expect(lines.join('\n')).toBe(input.toString('utf8').slice(0, -1));
      expect(lines.join('\n')).toContain('\ufffd');
    }
  });
});
