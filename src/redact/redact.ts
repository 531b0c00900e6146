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
  /** The part redacted, its line end after it; set once its line is whole. */
  out?: string;
  /** The secrets that begin in it, told when it is handed on (in input order). */
  hits?: SecretHit[];
  /** The share is a JSON string's body (docker json-file's log), searched as the text it decodes to; `ended`: by the line's `\n`. */
  json?: { ended: boolean };
}

/** The parts so far of a line a wrapper cut, and what tells its next part. */
type OpenLine = { parts: Part[] } & (
  { wrapper: 'cri'; first: SourcedLine; last: SourcedLine } | { wrapper: 'docker'; stream: 'stdout' | 'stderr' }
);

/** Streams chunks through line by line; a line is only redacted once it is complete. */
export class Redactor {
  private pending = '';
  private lineNo = 0;
  /** Names each line's source and cuts a CRI prefix, as analyze's reading does (src/input/demux.ts). */
  private readonly demux = new Demultiplexer();
  /**
   * The lines a wrapper cut whose last part has not come yet, one a stream: a runtime writes each
   * stream's parts apart (containerd's cri logger, pkg/cri/io/logger.go redirectLogs: a goroutine a
   * stream, one write a part), so another stream's line may come between a part and the next.
   */
  private readonly open = new Map<string, OpenLine>();
  /** The physical lines in input order from the first open line's first part on: each waits for those before it. */
  private queue: Part[] = [];
  /** The characters the queue holds. */
  private held = 0;
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
    this.finishAll();
    out += this.drain();
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
    // No line open, and no runtime's or docker's line (their stream's name is in it): searched whole,
    // as every line of most logs is, without the demultiplexer's look at it.
    if (this.open.size === 0 && !content.includes(' std') && !content.startsWith('{"log":"')) {
      const whole: Part = { content, eol, line, from: 0, to: content.length };
      this.redactParts([whole]);
      return this.handOn(whole);
    }
    const split = this.demux.split(content);
    // The demultiplexer decodes a json-file line's string; here its place in the line is what counts.
    const docker = split.cri === undefined || split.cri.dockerJson ? dockerJsonPart(content) : null;
    // A CRI part's text is the line after the runtime's prefix (and grep's, when grep -r printed it).
    const cri =
      split.cri !== undefined && !split.cri.dockerJson && content.endsWith(split.text) ? split.cri : undefined;
    const part: Part =
      docker !== null
        ? { content, eol, line, from: docker.from, to: docker.to, json: { ended: !docker.partial } }
        : { content, eol, line, from: content.length - split.text.length, to: content.length };
    const key = cri !== undefined ? `${split.source ?? ''}\n${cri.stream}` : docker !== null ? docker.stream : null;
    const open = key === null ? undefined : this.open.get(key);
    if (open !== undefined) {
      const goesOn =
        open.wrapper === 'cri'
          ? continuesRuntimePart(open.first, open.last, split)
          : open.wrapper === 'docker' && docker !== null;
      // The lines held are bounded like one line analyze keeps (MAX_LINE_CHARS): a longer one is searched in pieces.
      if (goesOn && this.held + content.length <= MAX_LINE_CHARS) {
        open.parts.push(part);
        this.enqueue(part);
        if (open.wrapper === 'cri') open.last = split;
        if (!(cri ?? docker)!.partial) this.finish(key!, open);
        return this.drain();
      }
      // Not its rest: the parts go on as far as they came.
      this.finish(key!, open);
    }
    // Only another stream's part of the same file leaves a stream's open line open.
    for (const [k, other] of this.open)
      if (
        this.held > MAX_LINE_CHARS ||
        (other.wrapper === 'cri' ? cri === undefined || split.source !== other.first.source : docker === null)
      )
        this.finish(k, other);
    if ((cri ?? docker)?.partial === true) {
      this.open.set(
        key!,
        cri !== undefined
          ? { parts: [part], wrapper: 'cri', first: split, last: split }
          : { parts: [part], wrapper: 'docker', stream: docker!.stream },
      );
      this.enqueue(part);
      return this.drain();
    }
    // A json-file line of its own: its log string searched as the text it decodes to. Any other
    // line of its own is searched whole, prefixes included.
    const whole = docker !== null ? part : { content, eol, line, from: 0, to: content.length };
    this.redactParts([whole]);
    if (this.queue.length === 0) return this.handOn(whole);
    this.enqueue(whole);
    return this.drain();
  }

  private enqueue(part: Part): void {
    this.queue.push(part);
    this.held += part.content.length;
  }

  /** A part whose line is whole: its secrets told, its text handed on. */
  private handOn(part: Part): string {
    if (part.hits !== undefined) for (const hit of part.hits) this.onSecret?.(hit);
    return part.out!;
  }

  /** The open line's parts so far are one line: redacted, for the queue to hand on. */
  private finish(key: string, line: OpenLine): void {
    this.open.delete(key);
    this.redactParts(line.parts);
  }

  private finishAll(): void {
    for (const [key, line] of this.open) this.finish(key, line);
  }

  /** The queue's lines up to the first part of a line still open, in input order. */
  private drain(): string {
    let out = '';
    let n = 0;
    for (; n < this.queue.length && this.queue[n]!.out !== undefined; n++) {
      out += this.handOn(this.queue[n]!);
      this.held -= this.queue[n]!.content.length;
    }
    if (n > 0) this.queue = n === this.queue.length ? [] : this.queue.slice(n);
    return out;
  }

  /**
   * The parts of one logical line, each with the secrets in its share of the line's text masked:
   * a secret's *** where it begins, its characters in later parts dropped, so the parts joined
   * read as the joined line redacted. Every other byte, prefixes included, stays.
   */
  private redactParts(parts: readonly Part[]): void {
    const shares = parts.map(shareOf);
    const text = shares.length === 1 ? shares[0]!.text : shares.map((s) => s.text).join('');
    const spans = findSecrets(text);
    if (spans.length === 0) {
      for (const p of parts) p.out = p.content + p.eol;
      return;
    }
    this.secrets += spans.length;
    let at = 0;
    let s = 0;
    for (const [i, part] of parts.entries()) {
      const share = shares[i]!;
      const end = at + share.text.length;
      /** Where the share's character `k` (of the logical line's text) is in the physical line. */
      const place = (k: number) => share.place(k - at);
      let out = '';
      let copied = 0;
      while (s < spans.length && spans[s]!.start < end) {
        const span = spans[s]!;
        const start = place(Math.max(span.start, at));
        out += part.content.slice(copied, start);
        copied = Math.max(copied, place(Math.min(span.end, end)));
        if (span.start >= at) {
          out += MASK;
          (part.hits ??= []).push({ line: part.line, span: { ...span, start, end: copied } });
        }
        // The secret goes on in the next part.
        if (span.end > end) break;
        s++;
      }
      part.out = out + part.content.slice(copied) + part.eol;
      at = end;
    }
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
