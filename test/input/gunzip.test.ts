// gzip members read where each ends, whatever the read chunks: members one after another, bytes
// after the last one ignored and counted, a cut or a wrong check an error (src/input/gunzip.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { gunzipMembers } from '../../src/input/gunzip.js';

const root = new URL('../../', import.meta.url).pathname;
const seed = readFileSync(join(root, 'samples/seed-attach-volume/client.log'));
const member = gzipSync(seed);

/** What `bytes`, read `size` bytes at a time, inflate to, and the bytes ignored after it (or the error). */
async function gunzip(bytes: Buffer, size: number) {
  async function* chunks() {
    for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
  }
  let ignored: number | null = null;
  const parts: Buffer[] = [];
  try {
    for await (const part of gunzipMembers(chunks(), (n) => (ignored = n))) parts.push(part);
  } catch (e) {
    return { error: (e as NodeJS.ErrnoException).code };
  }
  return { data: Buffer.concat(parts), ignored };
}

/** Chunks of one byte, of a few, ending at the member's deflate data, trailer or end, and one for all. */
const sizes = [1, 3, 10, member.length - 8, member.length - 1, member.length, member.length + 1, 1 << 16];

describe('gzip members', () => {
  it.each(sizes)('read %i bytes at a time', async (size) => {
    expect(await gunzip(member, size)).toEqual({ data: seed, ignored: null });
    expect(await gunzip(Buffer.concat([member, member]), size)).toEqual({
      data: Buffer.concat([seed, seed]),
      ignored: null,
    });
    expect(await gunzip(Buffer.concat([member, Buffer.from('junk')]), size)).toEqual({ data: seed, ignored: 4 });
    expect(await gunzip(Buffer.concat([member, Buffer.alloc(700)]), size)).toEqual({ data: seed, ignored: 700 });
    for (const cut of [5, 12, member.length >> 1, member.length - 4])
      expect(await gunzip(member.subarray(0, cut), size)).toEqual({ error: 'Z_BUF_ERROR' });
  });

  it('a wrong check, length or header is corrupt data', async () => {
    const wrong = (at: number) => {
      const bytes = Buffer.from(member);
      bytes[at]! ^= 1;
      return bytes;
    };
    expect(await gunzip(wrong(member.length - 6), 100)).toEqual({ error: 'Z_DATA_ERROR' });
    expect(await gunzip(wrong(member.length - 2), 100)).toEqual({ error: 'Z_DATA_ERROR' });
    expect(await gunzip(wrong(2), 100)).toEqual({ error: 'Z_DATA_ERROR' });
  });
});
