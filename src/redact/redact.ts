// `ostrace redact`: the log with every secret value replaced by ***, every other byte
// unchanged (line endings, a missing final newline, invalid UTF-8 included). Bytes are
// read as latin1 — one char per byte — so writing back as latin1 restores them exactly.
import { findSecrets, redactLine, type SecretSpan } from './spans.js';

export interface SecretHit {
  line: number;
  span: SecretSpan;
}

/** Streams chunks through line by line; a line is only redacted once it is complete. */
export class Redactor {
  private pending = '';
  private lineNo = 0;
  secrets = 0;

  constructor(private readonly onSecret?: (hit: SecretHit) => void) {}

  /** Takes raw bytes, returns the redacted bytes of the complete lines so far. */
  push(chunk: Buffer): Buffer {
    // Only the new chunk is searched for a newline: a long line in many chunks is read once, not once per chunk.
    const text = chunk.toString('latin1');
    const last = text.lastIndexOf('\n');
    if (last < 0) {
      this.pending += text;
      return Buffer.alloc(0);
    }
    const complete = this.pending + text.slice(0, last + 1);
    this.pending = text.slice(last + 1);
    return Buffer.from(this.redactLines(complete), 'latin1');
  }

  /** The last line, when the input does not end with a newline. */
  end(): Buffer {
    const rest = this.pending;
    this.pending = '';
    return Buffer.from(rest === '' ? '' : this.redactLines(rest), 'latin1');
  }

  private redactLines(text: string): string {
    let out = '';
    let at = 0;
    while (at < text.length) {
      const nl = text.indexOf('\n', at);
      const end = nl < 0 ? text.length : nl;
      // Keep CR of CRLF out of the matched text, and put it back unchanged.
      const contentEnd = end > at && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
      const content = text.slice(at, contentEnd);
      this.lineNo++;
      const spans = findSecrets(content);
      if (spans.length > 0) {
        this.secrets += spans.length;
        for (const span of spans) this.onSecret?.({ line: this.lineNo, span });
        out += redactLine(content, spans);
      } else out += content;
      out += text.slice(contentEnd, nl < 0 ? end : nl + 1);
      at = nl < 0 ? end : nl + 1;
    }
    return out;
  }
}

/** Redact a whole text (tests, programmatic use). Works on latin1 or UTF-8 strings alike. */
export function redactText(text: string): string {
  const r = new Redactor();
  // Going through latin1 bytes keeps the one-char-per-byte contract of Redactor.
  const bytes = Buffer.concat([r.push(Buffer.from(text, 'utf8')), r.end()]);
  return bytes.toString('utf8');
}
