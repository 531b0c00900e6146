// Bytes to text by the byte-order mark a file begins with: Windows PowerShell 5's `>` writes
// UTF-16LE with FF FE (and CRLF), some editors UTF-16BE with FE FF or UTF-8 with EF BB BF.
// The mark is no part of the first line. Without a mark the bytes are UTF-8, unless they begin
// as UTF-16 text without its mark (`iconv -t UTF-16LE` and Python's `encoding='utf-16-le'` write
// none): every one of the first 64 to 128 bytes' code units an ASCII character (printable,
// tab, CR, LF, ESC) and its other byte NUL, always on the same side. Binary junk and UTF-8 text
// never are (UTF-8 has no NUL byte but U+0000's own). UTF-16 without a mark and a character past
// ASCII among its first 64 stays UTF-8 on purpose: Windows PowerShell writes a mark with every
// Unicode encoding (about_Character_Encoding), PowerShell 6+ and Python on Windows write UTF-8 or
// the code page; only a deliberate conversion of a localized log would make one.
import { StringDecoder } from 'node:string_decoder';

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be';

const MARKS: ReadonlyArray<{ encoding: TextEncoding; bytes: readonly number[] }> = [
  { encoding: 'utf-8', bytes: [0xef, 0xbb, 0xbf] },
  { encoding: 'utf-16le', bytes: [0xff, 0xfe] },
  { encoding: 'utf-16be', bytes: [0xfe, 0xff] },
];

/** The encoding a file's first bytes name by their byte-order mark, and the mark's length; null: no mark. */
export function byteOrderMark(head: Uint8Array): { encoding: TextEncoding; length: number } | null {
  for (const { encoding, bytes } of MARKS)
    if (head.length >= bytes.length && bytes.every((b, i) => head[i] === b)) return { encoding, length: bytes.length };
  return null;
}

/** Whether `head` (fewer bytes than a mark) could still be the start of one. */
function mayBeginMark(head: Uint8Array): boolean {
  return MARKS.some(({ bytes }) => head.length < bytes.length && head.every((b, i) => bytes[i] === b));
}

/** The bytes looked at for UTF-16 without a mark, and the fewest that may tell it (a shorter input is UTF-8). */
const SNIFF_WINDOW = 128;
const SNIFF_MIN = 64;

/** An ASCII character of a log: printable, tab, LF, CR or ESC (colours). */
const isLogAscii = (b: number) => (b >= 0x20 && b <= 0x7e) || b === 0x09 || b === 0x0a || b === 0x0d || b === 0x1b;

/**
 * Whether the first bytes are UTF-16 without a mark: every code unit of the first SNIFF_WINDOW
 * bytes (all of them, at least SNIFF_MIN, when the input ends first) an ASCII character with a
 * NUL high byte. Null while too few bytes have come to tell (`ended`: no more will).
 */
function unmarkedUtf16(head: Uint8Array, ended: boolean): TextEncoding | 'no' | null {
  const end = Math.min(head.length, SNIFF_WINDOW) & ~1;
  let le = true;
  let be = true;
  for (let i = 0; i < end && (le || be); i += 2) {
    const a = head[i]!;
    const b = head[i + 1]!;
    le &&= b === 0 && isLogAscii(a);
    be &&= a === 0 && isLogAscii(b);
  }
  if (!le && !be) return 'no';
  if (head.length < SNIFF_WINDOW && !ended) return null;
  if (end < SNIFF_MIN) return 'no';
  return le ? 'utf-16le' : 'utf-16be';
}

/** How the first bytes are read: their encoding, the length of its mark (0: none), or null while they do not tell yet. */
export function detectEncoding(head: Uint8Array, ended: boolean): { encoding: TextEncoding; length: number } | null {
  const mark = byteOrderMark(head);
  if (mark) return mark;
  if (!ended && mayBeginMark(head)) return null;
  const unmarked = unmarkedUtf16(head, ended);
  if (unmarked === null) return null;
  return { encoding: unmarked === 'no' ? 'utf-8' : unmarked, length: 0 };
}

/** One encoding's streaming decoder: `last` also flushes what an unfinished character left. */
type Decode = (bytes: Uint8Array, last: boolean) => string;

function decoderFor(encoding: TextEncoding): Decode {
  if (encoding === 'utf-8') {
    // node's own UTF-8 decoder, as before marks were read: the common case keeps its speed.
    const utf8 = new StringDecoder('utf8');
    return (bytes, last) => (last ? utf8.end(bytes) : utf8.write(bytes));
  }
  // The mark is skipped before it: the decoder must not take a second one for its own.
  const utf16 = new TextDecoder(encoding, { ignoreBOM: true });
  return (bytes, last) => utf16.decode(bytes, { stream: !last });
}

/**
 * Decodes a byte stream chunk by chunk: a character split between chunks (a UTF-8 sequence, a
 * UTF-16 code unit or surrogate pair, the mark itself) comes out whole with the chunk that ends
 * it. Invalid bytes (an odd last byte of UTF-16) become U+FFFD.
 */
export class ByteDecoder {
  /** Set once the first bytes decided it. */
  private decode: Decode | null = null;
  /** The first bytes, while too few to tell their encoding (a mark, UTF-16 without one). */
  private head: Uint8Array = new Uint8Array(0);
  private decided: TextEncoding | null = null;

  /** The encoding read (null while the first bytes do not tell yet). */
  get encoding(): TextEncoding | null {
    return this.decided;
  }

  write(chunk: Uint8Array): string {
    if (this.decode) return this.decode(chunk, false);
    const head = this.head.length === 0 ? chunk : Buffer.concat([this.head, chunk]);
    const detected = detectEncoding(head, false);
    if (detected === null) {
      this.head = head;
      return '';
    }
    return this.begin(head, detected, false);
  }

  end(): string {
    if (this.decode) return this.decode(new Uint8Array(0), true);
    const head = this.head;
    this.head = new Uint8Array(0);
    return this.begin(head, detectEncoding(head, true)!, true);
  }

  /** Decoded as the first bytes decided, after their mark. */
  private begin(head: Uint8Array, detected: { encoding: TextEncoding; length: number }, last: boolean): string {
    this.decided = detected.encoding;
    this.decode = decoderFor(this.decided);
    return this.decode(head.subarray(detected.length), last);
  }
}
