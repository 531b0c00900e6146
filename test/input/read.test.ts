// Input sources (src/input/read.ts): a file is opened when it is read, not when it is named.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSource } from '../../src/input/read.js';

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
