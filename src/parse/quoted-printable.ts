// A mail saved whole (a list archive's raw message, a bug tracker's notification as mailed)
// whose body is quoted-printable (RFC 2045 §6.7): `=3D` for `=`, `=C2=A0` for a UTF-8
// no-break space, and every line longer than 76 characters broken with a `=` at its end (a
// soft line break), anywhere, also inside a log line's prefix (`nova-com=` / `pute[114649]:`,
// samples/field/launchpad-qp-swap-volume-journal). Such a mail is told by its own header,
// `Content-Transfer-Encoding: quoted-printable`; its body, from the blank line that ends the
// headers, is decoded: soft-broken lines joined back into the line that was written, and
// `=XX` turned into the bytes they stand for. An input without that header is left alone:
// `=` at a line's end or `=3D` in a log mean nothing by themselves.
const HEADER = /^content-transfer-encoding:[ \t]*quoted-printable[ \t]*$/i;
const ESCAPE = /(?:=[0-9A-F]{2})+/g;

/** A logical line of the decoded body: its text and the physical lines and bytes it was read from. */
export interface DecodedLine {
  text: string;
  /** Physical lines joined into it (1 when it was not soft-broken). */
  lines: number;
  /** Bytes of those physical lines, each with its line end. */
  bytes: number;
}

/** `=XX` runs as the UTF-8 text they encode (one run may hold a character's several bytes). */
export function decodeEscapes(text: string): string {
  if (text.indexOf('=') < 0) return text;
  return text.replace(ESCAPE, (run) => {
    const bytes = Buffer.alloc(run.length / 3);
    for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(run.slice(i * 3 + 1, i * 3 + 3), 16);
    return bytes.toString('utf8');
  });
}

/** One input's quoted-printable state: before its header, in the headers, in the body. */
export class QuotedPrintable {
  private state: 'none' | 'headers' | 'body' = 'none';
  /** Soft-broken pieces of the line being joined (decoded when it ends). */
  private pieces: string[] = [];
  private bytes = 0;

  /** The input's lines are a quoted-printable mail body now. */
  get decoding(): boolean {
    return this.state === 'body';
  }

  /**
   * A physical line in: undefined when it is not in a quoted-printable body (read it as it is),
   * null when it is soft-broken and waits for the next one, else the logical line it ends (itself
   * decoded, or the soft-broken lines before it joined with it).
   */
  take(raw: string): DecodedLine | null | undefined {
    if (this.state === 'none') {
      // Most lines of most inputs: one character compared.
      const c = raw.charCodeAt(0);
      if ((c === 67 /* C */ || c === 99) /* c */ && HEADER.test(raw.trimEnd())) this.state = 'headers';
      return undefined;
    }
    let text = raw;
    while (text.endsWith('\r')) text = text.slice(0, -1);
    if (this.state === 'headers') {
      if (text === '') this.state = 'body';
      return undefined;
    }
    this.bytes += Buffer.byteLength(raw) + 1;
    if (text.endsWith('=')) {
      this.pieces.push(text.slice(0, -1));
      return null;
    }
    this.pieces.push(text);
    return this.release();
  }

  /** The input's end: a soft-broken line with nothing after it is a line as it is. */
  end(): DecodedLine | null {
    return this.pieces.length > 0 ? this.release() : null;
  }

  private release(): DecodedLine {
    const line: DecodedLine = {
      text: decodeEscapes(this.pieces.join('')),
      lines: this.pieces.length,
      bytes: this.bytes,
    };
    this.pieces = [];
    this.bytes = 0;
    return line;
  }
}
