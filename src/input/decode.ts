// Bytes to text by the byte-order mark a file begins with: Windows PowerShell 5's `>` writes
// UTF-16LE with FF FE (and CRLF), some editors UTF-16BE with FE FF or UTF-8 with EF BB BF.
// The mark is no part of the first line. Without a mark the bytes are UTF-8: a file's
// encoding is never guessed from its bytes (NUL bytes may as well be binary junk).
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
  /** The first bytes, while too few to tell whether they are a mark. */
  private head: Uint8Array = new Uint8Array(0);
  private decided: TextEncoding | null = null;

  /** The encoding read (null while the first bytes do not tell yet). */
  get encoding(): TextEncoding | null {
    return this.decided;
  }

  write(chunk: Uint8Array): string {
    if (this.decode) return this.decode(chunk, false);
    const head = this.head.length === 0 ? chunk : Buffer.concat([this.head, chunk]);
    if (mayBeginMark(head)) {
      this.head = head;
      return '';
    }
    return this.begin(head, false);
  }

  end(): string {
    if (this.decode) return this.decode(new Uint8Array(0), true);
    const head = this.head;
    this.head = new Uint8Array(0);
    return this.begin(head, true);
  }

  /** Decide by the first bytes, and decode them after their mark. */
  private begin(head: Uint8Array, last: boolean): string {
    const mark = byteOrderMark(head);
    this.decided = mark?.encoding ?? 'utf-8';
    this.decode = decoderFor(this.decided);
    return this.decode(head.subarray(mark?.length ?? 0), last);
  }
}
