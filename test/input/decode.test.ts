// Bytes to text by their byte-order mark (src/input/decode.ts), and lines from them
// (splitLines): a log PowerShell's `>` wrote is UTF-16LE with FF FE and CRLF; however its
// bytes arrive in chunks (a pipe, a gunzip, a read stream), a chunk boundary inside a code
// unit, a surrogate pair or the mark itself changes no character and no line.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteDecoder, type TextEncoding } from '../../src/input/decode.js';
import { splitLines } from '../../src/input/read.js';

const MARK: Record<TextEncoding, number[]> = {
  'utf-8': [0xef, 0xbb, 0xbf],
  'utf-16le': [0xff, 0xfe],
  'utf-16be': [0xfe, 0xff],
};

function encode(text: string, encoding: TextEncoding): Buffer {
  if (encoding === 'utf-8') return Buffer.from(text, 'utf8');
  const le = Buffer.from(text, 'utf16le');
  return encoding === 'utf-16le' ? le : Buffer.from(le).swap16();
}

/** `bytes` cut at `cuts` (positions, any order, repeats give empty chunks). */
function chunked(bytes: Buffer, cuts: number[]): Buffer[] {
  const at = [0, ...cuts.map((c) => c % (bytes.length + 1)).sort((a, b) => a - b), bytes.length];
  return at.slice(1).map((end, i) => bytes.subarray(at[i], end));
}

function decodeAll(chunks: Buffer[]): { text: string; encoding: TextEncoding | null } {
  const decoder = new ByteDecoder();
  let text = '';
  for (const c of chunks) text += decoder.write(c);
  text += decoder.end();
  return { text, encoding: decoder.encoding };
}

const encodings = fc.constantFrom<TextEncoding>('utf-8', 'utf-16le', 'utf-16be');
/** Any characters (astral ones are surrogate pairs in UTF-16), none a lone surrogate. */
const anyText = fc.string({ unit: 'binary', maxLength: 60 });
const cuts = fc.array(fc.nat(), { maxLength: 12 });

describe('ByteDecoder', () => {
  it('gives back the text after its mark, however the bytes are cut into chunks', () => {
    fc.assert(
      fc.property(anyText, encodings, cuts, (text, encoding, at) => {
        const bytes = Buffer.concat([Buffer.from(MARK[encoding]), encode(text, encoding)]);
        expect(decodeAll(chunked(bytes, at))).toEqual({ text, encoding });
      }),
      { numRuns: 500 },
    );
  });

  it('reads bytes without a mark as UTF-8, cut anywhere', () => {
    fc.assert(
      fc.property(anyText, cuts, (text, at) => {
        fc.pre(!text.startsWith('\ufeff'));
        expect(decodeAll(chunked(Buffer.from(text, 'utf8'), at))).toEqual({ text, encoding: 'utf-8' });
      }),
      { numRuns: 300 },
    );
  });

  it('does not guess UTF-16 without its mark: the NUL bytes stay in the text', () => {
    const { text, encoding } = decodeAll([encode('START with options', 'utf-16le')]);
    expect(encoding).toBe('utf-8');
    expect(text).toBe('S\0T\0A\0R\0T\0 \0w\0i\0t\0h\0 \0o\0p\0t\0i\0o\0n\0s\0');
  });

  it('keeps a file shorter than a mark, and turns an odd last byte of UTF-16 into U+FFFD', () => {
    expect(decodeAll([Buffer.from([0xef, 0xbb])]).text).toBe('\ufffd');
    expect(decodeAll([Buffer.from('a')]).text).toBe('a');
    expect(decodeAll([Buffer.from([0xff, 0xfe, 0x41, 0x00, 0x42])]).text).toBe('A\ufffd');
    expect(decodeAll([]).text).toBe('');
  });

  it('reads a second mark as the character U+FEFF: only the first is the mark', () => {
    const bytes = Buffer.from([0xff, 0xfe, 0xff, 0xfe, 0x41, 0x00]);
    expect(decodeAll(chunked(bytes, [1, 3])).text).toBe('\ufeffA');
  });
});

describe('splitLines over a marked file', () => {
  it('gives the lines of the UTF-8 text, CRLF and LF ending them, however the chunks fall', async () => {
    const line = fc.string({ unit: 'binary', maxLength: 20 }).filter((l) => !/[\r\n]/.test(l));
    await fc.assert(
      fc.asyncProperty(
        fc.array(line, { minLength: 1, maxLength: 8 }),
        fc.constantFrom('\r\n', '\n'),
        encodings,
        cuts,
        async (lines, eol, encoding, at) => {
          const text = lines.join(eol) + eol;
          const bytes = Buffer.concat([Buffer.from(MARK[encoding]), encode(text, encoding)]);
          const got: string[] = [];
          const chunks = chunked(bytes, at);
          for await (const batch of splitLines(
            (async function* () {
              yield* chunks;
            })(),
          ))
            got.push(...batch);
          expect(got).toEqual(lines);
        },
      ),
      { numRuns: 300 },
    );
  });
});
