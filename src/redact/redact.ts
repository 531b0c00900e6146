// `ostrace redact`: the log with every secret value replaced by ***, every other byte
// unchanged (line endings, a missing final newline, invalid UTF-8 included). Bytes are
// read as latin1 — one char per byte — so writing back as latin1 restores them exactly.
// A line a log wrapper cut into parts (a container runtime's CRI `P` lines and the `F` line
// that ends them, docker json-file's 16 KiB entries) is searched as the one line it was, as
// analyze reads it: a secret cut between two parts is masked in both, each part's prefix and
// line kept as they were.
import { continuesRuntimePart } from '../chain/assemble/physical-lines.js';
import { Demultiplexer, dockerJsonPart, type SourcedLine } from '../input/demux.js';
import { MAX_LINE_CHARS } from '../input/read.js';
import { findSecrets, MASK, type SecretSpan } from './spans.js';

export interface SecretHit {
  line: number;
  span: SecretSpan;
}

/** One physical line of a logical line: its share of the line's text is `content.slice(from, to)`. */
interface Part {
  content: string;
  /** What ends the line (`\n`, `\r\n`, nothing at the input's end). */
  eol: string;
  line: number;
  from: number;
  to: number;
  /** The share is a JSON string's body (docker json-file's log), searched as the text it decodes to; `ended`: by the line's `\n`. */
  json?: { ended: boolean };
}

/** The parts so far of a line a wrapper cut, and what tells its next part. */
type OpenLine = { parts: Part[]; chars: number } & (
  { wrapper: 'cri'; first: SourcedLine; last: SourcedLine } | { wrapper: 'docker'; stream: 'stdout' | 'stderr' }
);

/** Streams chunks through line by line; a line is only redacted once it is complete. */
export class Redactor {
  private pending = '';
  private lineNo = 0;
  /** Names each line's source and cuts a CRI prefix, as analyze's reading does (src/input/demux.ts). */
  private readonly demux = new Demultiplexer();
  /** A line a wrapper cut whose last part has not come yet. */
  private open: OpenLine | null = null;
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

  /** The last line, when the input does not end with a newline, and a cut line whose last part never came. */
  end(): Buffer {
    const rest = this.pending;
    this.pending = '';
    let out = rest === '' ? '' : this.redactLines(rest);
    if (this.open !== null) out += this.redactParts(this.open.parts);
    this.open = null;
    return Buffer.from(out, 'latin1');
  }

  private redactLines(text: string): string {
    let out = '';
    let at = 0;
    while (at < text.length) {
      const nl = text.indexOf('\n', at);
      const end = nl < 0 ? text.length : nl;
      // Keep CR of CRLF out of the matched text, and put it back unchanged.
      const contentEnd = end > at && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
      out += this.take(text.slice(at, contentEnd), text.slice(contentEnd, nl < 0 ? end : nl + 1));
      at = nl < 0 ? end : nl + 1;
    }
    return out;
  }

  /** One physical line: redacted now, or held while it is a part of a line whose last part is still to come. */
  private take(content: string, eol: string): string {
    const line = ++this.lineNo;
    const split = this.demux.split(content);
    const docker = split.cri === undefined ? dockerJsonPart(content) : null;
    // A CRI part's text is the line after the runtime's prefix (and grep's, when grep -r printed it).
    const cri = split.cri !== undefined && content.endsWith(split.text) ? split.cri : undefined;
    const part: Part =
      docker !== null
        ? { content, eol, line, from: docker.from, to: docker.to, json: { ended: !docker.partial } }
        : { content, eol, line, from: content.length - split.text.length, to: content.length };
    let out = '';
    const open = this.open;
    if (open !== null) {
      const goesOn =
        open.wrapper === 'cri'
          ? cri !== undefined && continuesRuntimePart(open.first, open.last, split)
          : docker?.stream === open.stream;
      // A line longer than analyze keeps (MAX_LINE_CHARS) is searched in pieces of that length: memory stays bounded.
      if (goesOn && open.chars + (part.to - part.from) <= MAX_LINE_CHARS) {
        open.parts.push(part);
        open.chars += part.to - part.from;
        if (open.wrapper === 'cri') open.last = split;
        if ((cri ?? docker)!.partial) return '';
        this.open = null;
        return this.redactParts(open.parts);
      }
      // Another stream's line, or no wrapper's: the parts go on as far as they came.
      this.open = null;
      out = this.redactParts(open.parts);
    }
    if (cri?.partial === true) {
      this.open = { parts: [part], chars: part.to - part.from, wrapper: 'cri', first: split, last: split };
      return out;
    }
    if (docker?.partial === true) {
      this.open = { parts: [part], chars: part.to - part.from, wrapper: 'docker', stream: docker.stream };
      return out;
    }
    // A json-file line of its own: its log string searched as the text it decodes to.
    if (docker !== null) return out + this.redactParts([part]);
    // A line of its own is searched whole, prefixes included.
    return out + this.redactParts([{ content, eol, line, from: 0, to: content.length }]);
  }

  /**
   * The parts of one logical line, each with the secrets in its share of the line's text masked:
   * a secret's *** where it begins, its characters in later parts dropped, so the parts joined
   * read as the joined line redacted. Every other byte, prefixes included, stays.
   */
  private redactParts(parts: readonly Part[]): string {
    const shares = parts.map(shareOf);
    const text = shares.length === 1 ? shares[0]!.text : shares.map((s) => s.text).join('');
    const spans = findSecrets(text);
    if (spans.length === 0) return parts.map((p) => p.content + p.eol).join('');
    this.secrets += spans.length;
    let out = '';
    let at = 0;
    let s = 0;
    for (const [i, part] of parts.entries()) {
      const share = shares[i]!;
      const end = at + share.text.length;
      /** Where the share's character `k` (of the logical line's text) is in the physical line. */
      const place = (k: number) => share.place(k - at);
      let copied = 0;
      while (s < spans.length && spans[s]!.start < end) {
        const span = spans[s]!;
        const start = place(Math.max(span.start, at));
        out += part.content.slice(copied, start);
        copied = Math.max(copied, place(Math.min(span.end, end)));
        if (span.start >= at) {
          out += MASK;
          this.onSecret?.({ line: part.line, span: { ...span, start, end: copied } });
        }
        // The secret goes on in the next part.
        if (span.end > end) break;
        s++;
      }
      out += part.content.slice(copied) + part.eol;
      at = end;
    }
    return out;
  }
}

/** A part's share of its logical line's text, and where each of its characters is in the physical line. */
function shareOf(part: Part): { text: string; place: (k: number) => number } {
  if (part.json === undefined) return { text: part.content.slice(part.from, part.to), place: (k) => part.from + k };
  // The line's own newline (a full entry's `\n`) ends the text, as a line end does.
  const to = part.json.ended ? part.to - 2 : part.to;
  const places: number[] = [];
  let text = '';
  let i = part.from;
  while (i < to) {
    places.push(i);
    const c = part.content.charCodeAt(i);
    if (c !== 92 /* \\ */) {
      text += part.content[i];
      i++;
      continue;
    }
    const e = part.content[i + 1];
    if (e === 'u') {
      text += String.fromCharCode(parseInt(part.content.slice(i + 2, i + 6), 16));
      i += 6;
    } else {
      text += JSON_ESCAPES[e ?? ''] ?? e ?? '';
      i += 2;
    }
  }
  places.push(to);
  return { text, place: (k) => places[k]! };
}

/** A JSON string's one-character escapes and what they stand for. */
const JSON_ESCAPES: Readonly<Record<string, string>> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/** Redact a whole text (tests, programmatic use). Works on latin1 or UTF-8 strings alike. */
export function redactText(text: string): string {
  const r = new Redactor();
  // Going through latin1 bytes keeps the one-char-per-byte contract of Redactor.
  const bytes = Buffer.concat([r.push(Buffer.from(text, 'utf8')), r.end()]);
  return bytes.toString('utf8');
}
