// Bytes to text by their byte-order mark (src/input/decode.ts), or as UTF-16 without one when the
// first bytes are ASCII beside NULs, and lines from them (splitLines): a log PowerShell's `>`
// wrote is UTF-16LE with FF FE and CRLF; however its
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
/** The characters a log's first bytes may be to be read as UTF-16 without a mark. */
const LOG_ASCII = [...Array.from({ length: 95 }, (_, i) => String.fromCharCode(0x20 + i)), '\t', '\n', '\r', '\x1b'];
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

  // A log converted to UTF-16 without its mark (`iconv -t UTF-16LE`, Python's `encoding='utf-16-le'`
  // write none) was read as UTF-8: NUL bytes between letters, every line junk.
  it('reads UTF-16 without its mark when its first bytes are ASCII code units, cut anywhere', () => {
    const logText = fc.string({ unit: fc.constantFrom(...LOG_ASCII), minLength: 64, maxLength: 200 });
    fc.assert(
      fc.property(logText, fc.constantFrom<TextEncoding>('utf-16le', 'utf-16be'), cuts, (text, encoding, at) => {
        expect(decodeAll(chunked(encode(text, encoding), at))).toEqual({ text, encoding });
      }),
      { numRuns: 300 },
    );
  });

  it('never takes UTF-8 text for UTF-16, however long and cut anywhere', () => {
    const text = fc
      .string({ unit: 'binary', maxLength: 400 })
      .filter((t) => !t.includes('\0') && !t.startsWith('\ufeff'));
    fc.assert(
      fc.property(text, cuts, (t, at) => {
        expect(decodeAll(chunked(Buffer.from(t, 'utf8'), at))).toEqual({ text: t, encoding: 'utf-8' });
      }),
      { numRuns: 500 },
    );
  });

  it('never takes random bytes for UTF-16 unless every code unit of their first 128 is ASCII beside a NUL', () => {
    // A byte-order mark names the encoding (tested above): random bytes that begin with one are not guessed.
    const bom = (b: Uint8Array) => (b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff);
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 0, maxLength: 300 }).filter((b) => !bom(b)),
        (bytes) => {
          const head = bytes.subarray(0, 128);
          const units = Array.from({ length: head.length >> 1 }, (_, i) => [head[2 * i]!, head[2 * i + 1]!]);
          const ascii = (b: number) => LOG_ASCII.includes(String.fromCharCode(b));
          const le = units.every(([a, b]) => b === 0 && ascii(a!));
          const be = units.every(([a, b]) => a === 0 && ascii(b!));
          const got = decodeAll([Buffer.from(bytes)]).encoding;
          if (got === 'utf-16le') expect(le && bytes.length >= 64).toBe(true);
          if (got === 'utf-16be') expect(be && bytes.length >= 64).toBe(true);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('keeps as UTF-8 what only looks like UTF-16 in part: binary heads, NUL runs, short or non-ASCII text', () => {
    const long = 'START with options: --debug server add volume vm1 vol1 --os-cloud devstack\r\n';
    const cases: Record<string, Buffer> = {
      // a PNG's first bytes, an ELF header, a zero-filled block
      png: Buffer.from('89504e470d0a1a0a0000000d494844520000010000000100080600000000'.repeat(4), 'hex'),
      elf: Buffer.concat([Buffer.from('7f454c46020101000000000000000000', 'hex'), Buffer.alloc(200)]),
      zeros: Buffer.alloc(512),
      // UTF-16 of fewer than 64 bytes: too little to tell
      short: encode('START with options: --debug', 'utf-16le'),
      // a character past ASCII in the first 128 bytes
      accented: encode(`café ${long}`, 'utf-16le'),
      // the NUL bytes change sides: not one encoding
      mixed: Buffer.concat([encode(long.slice(0, 20), 'utf-16le'), encode(long, 'utf-16be')]),
    };
    for (const [name, bytes] of Object.entries(cases))
      expect([name, decodeAll(chunked(bytes, [1, 7, 65])).encoding]).toEqual([name, 'utf-8']);
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
