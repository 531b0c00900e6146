// Input sources (src/input/read.ts): a file is opened when it is read, not when it is named;
// lines are split on LF and CRLF, and a line too long to keep whole is cut to its start.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { openSource, splitLines, type CutLine } from '../../src/input/read.js';

const dir = mkdtempSync(join(tmpdir(), 'ostrace-read-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Descriptors this process holds (Linux). */
const openDescriptors = () => readdirSync('/proc/self/fd').length;

describe('openSource', () => {
  it.runIf(process.platform === 'linux')(
    'holds no descriptor for a named file until it is read: a directory of many logs is read one file at a time',
    async () => {
      const names = Array.from({ length: 200 }, (_, i) => {
        const name = join(dir, `svc-${i}.log`);
        writeFileSync(name, `2026-12-06 10:00:00.000 1 INFO nova.api [-] line ${i}\nsecond\n`);
        return name;
      });
      const before = openDescriptors();
      const sources = [];
      for (const name of names) sources.push(await openSource(name));
      expect(openDescriptors() - before).toBeLessThan(5);
      const lines: string[] = [];
      for (const source of sources) for await (const line of source.lines()) lines.push(line);
      expect(lines).toHaveLength(400);
      expect(lines[398]).toBe('2026-12-06 10:00:00.000 1 INFO nova.api [-] line 199');
      expect(sources[199]!.bytesRead()).toBe(Buffer.byteLength(lines[398]!) + 1 + 'second\n'.length);
      expect(openDescriptors() - before).toBeLessThan(5);
    },
  );

  it('names the file when it cannot be read', async () => {
    await expect(openSource(join(dir, 'missing.log'))).rejects.toThrow(/missing\.log: no such file/);
    await expect(openSource(dir)).rejects.toThrow(/is a directory/);
  });
});

/** The lines and cuts of `chunks` as splitLines reads them, keeping at most `maxLine` characters a line. */
async function split(chunks: Array<string | Buffer>, maxLine: number): Promise<{ lines: string[]; cuts: CutLine[] }> {
  const cuts: CutLine[] = [];
  const lines: string[] = [];
  async function* stream() {
    for (const c of chunks) yield typeof c === 'string' ? Buffer.from(c) : c;
  }
  for await (const batch of splitLines(stream(), (c) => cuts.push(c), maxLine)) {
    // a cut is told before the batch that holds its line
    for (const c of cuts) expect(c.line).toBeLessThanOrEqual(lines.length + batch.length);
    lines.push(...batch);
  }
  return { lines, cuts };
}

describe('splitLines', () => {
  it('cuts a line longer than the limit to its start and says which line it was and how long', async () => {
    const { lines, cuts } = await split(
      ['short\r\n', 'x'.repeat(25), 'y'.repeat(10), '\r\nnext\n', 'z'.repeat(40)],
      16,
    );
    expect(lines).toEqual(['short', 'x'.repeat(16), 'next', 'z'.repeat(16)]);
    expect(cuts).toEqual([
      { line: 2, length: 36 }, // with its CR: the line as written
      { line: 4, length: 40 },
    ]);
  });

  it('reads any text in any chunks as a split on newlines would, each line cut to the limit', async () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'b', 'é', '\n', '\r', ' '), maxLength: 200 });
    await fc.assert(
      fc.asyncProperty(
        text,
        fc.array(fc.nat(40), { maxLength: 8 }),
        fc.integer({ min: 1, max: 12 }),
        async (t, cutsAt, maxLine) => {
          // cut anywhere in the bytes, inside a character too: the decoder joins its bytes again
          const bytes = Buffer.from(t);
          const bounds = [...new Set(cutsAt.map((c) => Math.min(c, bytes.length)))].sort((a, b) => a - b);
          const chunks = [0, ...bounds, bytes.length]
            .slice(1)
            .map((end, i, all) => bytes.subarray(i === 0 ? 0 : all[i - 1], end));
          const expected = t.split('\n');
          if (expected[expected.length - 1] === '') expected.pop();
          const { lines, cuts } = await split(chunks, maxLine);
          expect(lines).toEqual(expected.map((l) => (l.length > maxLine ? l.slice(0, maxLine) : l.replace(/\r$/, ''))));
          expect(cuts).toEqual(
            expected.flatMap((l, i) => (l.length > maxLine ? [{ line: i + 1, length: l.length }] : [])),
          );
        },
      ),
    );
  });
});
