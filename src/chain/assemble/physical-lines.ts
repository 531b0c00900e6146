// One physical input's lines into parsed lines, in order: a quoted-printable mail's body and
// HTML-escaped pastes decoded, a stream of many sources split by its prefixes, a custom service
// format matched, records read (behind a prefix learnt from the input itself), hard-wrapped
// pastes joined, a paster's `#` notes between records told from the records' next lines
// (pasted-comments.ts). All of it depends on this input's earlier lines only, never on another
// input's or on what the stages made of them (src/analyze.ts takes the lines it emits into the
// run).
import { stripAnsi } from '../../lex/lexer.js';
import { Demultiplexer, logFileOfCommand, type RuntimePiece, type SourcedLine } from '../../input/demux.js';
import { MAX_LINE_CHARS } from '../../input/read.js';
import { decodeEntities, looksHtmlEscaped } from '../../parse/html-escaped.js';
import { parseLine, type ParsedPiece } from '../../parse/index.js';
import { startsRecord } from '../../parse/physical.js';
import { LearnedPrefix } from '../../parse/learned.js';
import { MimeParts } from '../../parse/mime.js';
import { QuotedPrintable } from '../../parse/quoted-printable.js';
import { WrapJoiner } from '../../parse/wrapped.js';
import { PastedComments } from './pasted-comments.js';
import { UnpromptedTyping } from './unprompted-typing.js';
import { compileTemplate, matchTemplate, type CompiledTemplate, type TemplateValues } from '../../service/template.js';

/** A physical line as parsed, before the stages take it. */
export interface ParsedLine {
  line: number;
  text: string;
  values: TemplateValues | null;
  pieces: ParsedPiece[];
  /** The source a prefix named (grep, tail, a data set…); null: the physical input itself. */
  source: string | null;
  /** A line of the stream's own structure (tail's header, grep's `--`): no log line. */
  structural: boolean;
  /** A structural line the stream's tool printed itself (compose's `Attaching to …`): the stream's own input counts it. */
  own?: boolean;
  /** The physical line's bytes, counted when the stream is split into sources. */
  bytes: number;
  /** Physical lines after this one that were its hard-wrapped continuation (joined into its text). */
  wrapped?: number;
  /** The line was longer than the reader keeps (src/input/read.ts): its length as written; `text` is its start. */
  cut?: number;
}

/** Reads one physical input at a time; each parsed line goes to `emit` when no later line can change it. */
export class PhysicalLines {
  private lineNo = 0;
  /** This input is a paste of HTML source (`&quot;` for quotes): its lines are decoded. */
  private htmlEscaped = false;
  /** A mail whose body is quoted-printable: soft-broken lines joined, `=XX` decoded. */
  private mail = new QuotedPrintable();
  /** A MIME mail's declared boundaries: a part's boundary line ends what the part before held. */
  private mime = new MimeParts();
  /** Splits a stream of many sources by the prefix of each line. */
  private demux = new Demultiplexer();
  /** A prefix of the user's own logger, learnt from a record marker behind it. */
  private learned = new LearnedPrefix();
  /** Hard-wrapped pastes: the wrap width and the joining of continuation lines. */
  private wrap = new WrapJoiner();
  /**
   * The lines a container runtime cut into parts (`P`), one a stream: their parts so far, until
   * the last (`F`) comes. The runtime writes each stream apart (containerd's cri logger,
   * pkg/cri/io/logger.go redirectLogs: a goroutine a stream, one write a part), so another
   * stream's line may come between a part and the next.
   */
  private runtimeParts = new Map<RuntimePiece['stream'], RuntimeParts>();
  /** The logical lines from the first open runtime line on, in input order: each read once those before it are whole. */
  private waiting: Array<LogicalLine | RuntimeParts> = [];
  /** The characters of the waiting lines that are whole: bounded like one line. */
  private waitingChars = 0;
  /** A line that may go on over the next physical line, held until that line is seen. */
  private held: {
    parsed: ParsedLine;
    lastSegment: string;
    /** The text and records with the lines on trial joined. */
    joined: { text: string; pieces: ParsedPiece[] };
    /** Lines joined on trial: wrapped text that has not become a record yet. */
    trial: ParsedLine[];
  } | null = null;
  private readonly templates: CompiledTemplate[];
  /** A paster's `#` notes between records: held until the line after them is seen. */
  private readonly comments: PastedComments<ParsedLine>;
  /** A client command line typed over several lines with its prompt cut: held until the line after it is seen. */
  private readonly unprompted: UnpromptedTyping<ParsedLine>;
  /** Each parsed line, in order, on its way out. */
  private readonly emit: (parsed: ParsedLine) => void;

  constructor(emit: (parsed: ParsedLine) => void, formatTemplates: readonly string[] = []) {
    this.templates = formatTemplates.map((t) => compileTemplate(t));
    this.comments = new PastedComments(emit);
    this.unprompted = new UnpromptedTyping((parsed) => this.comments.take(parsed));
    this.emit = (parsed) => this.unprompted.take(parsed);
  }

  /** The number of the last line pushed since `begin`. */
  get lastLine(): number {
    return this.lineNo;
  }

  /** A new physical input: nothing learnt from the one before carries over. */
  begin(name: string): void {
    this.lineNo = 0;
    this.runtimeParts.clear();
    this.waiting = [];
    this.waitingChars = 0;
    this.htmlEscaped = false;
    this.mail = new QuotedPrintable();
    this.mime = new MimeParts();
    this.demux = new Demultiplexer(name);
    this.learned = new LearnedPrefix();
    this.wrap = new WrapJoiner();
  }

  /** The input's end: a line held for a continuation goes on as it is. */
  end(): void {
    const rest = this.mail.end();
    if (rest) this.read(rest.text, this.lineNo - rest.lines + 1, rest.lines - 1, rest.bytes);
    this.endRuntimeParts();
    this.releaseHeld();
    this.unprompted.end();
    this.comments.end();
  }

  /** `cut`: the line's length as written, when `raw` is only its start. */
  push(raw: string, cut?: number): void {
    const physical = ++this.lineNo;
    if (this.mime.take(raw)) {
      // A MIME part's boundary: the part before ends (a soft-broken line of it as it is), and so
      // does its quoted-printable body (the next part says its own encoding). Markup, no log line.
      const rest = this.mail.end();
      if (rest) this.read(rest.text, physical - rest.lines, rest.lines - 1, rest.bytes);
      this.mail = new QuotedPrintable();
      this.endRuntimeParts();
      this.releaseHeld();
      this.emit({
        line: physical,
        text: raw,
        values: null,
        pieces: [{ record: { kind: 'markup', text: raw }, text: raw }],
        source: null,
        structural: false,
        bytes: 0,
      });
      return;
    }
    // A quoted-printable mail's body: a soft-broken line waits for the rest of itself.
    const mail = this.mail.take(raw);
    if (mail === undefined) this.read(raw, physical, 0, undefined, cut);
    else if (mail !== null) this.read(mail.text, physical - mail.lines + 1, mail.lines - 1, mail.bytes);
  }

  /**
   * One logical line: `line` its first physical line, `joined` the physical lines after it that a
   * mail's soft line breaks joined into it, `rawBytes` the bytes of all of them (undefined: `raw`'s).
   */
  private read(raw: string, line: number, joined: number, rawBytes: number | undefined, cut?: number): void {
    // A paste out of an HTML page's source: decoded from its first telling line on.
    if (!this.htmlEscaped && looksHtmlEscaped(raw)) this.htmlEscaped = true;
    const decoded = this.htmlEscaped ? decodeEntities(raw) : raw;
    // One stream of many sources (grep -r, tail, a data set): each line to its source's input.
    const split = this.demux.split(decoded);
    const bytes = split.source === null ? 0 : (rawBytes ?? Buffer.byteLength(raw) + 1);
    const logical = { split, decoded, line, joined, bytes, ...(cut === undefined ? {} : { cut }) };
    const cri = split.cri;
    const open = cri === undefined ? undefined : this.runtimeParts.get(cri.stream);
    if (open !== undefined) {
      if (open.goesOnWith(split)) {
        // The next part of the line the runtime cut (or its last, `F`).
        open.add(logical);
        if (!cri!.partial) this.runtimeParts.delete(cri!.stream);
        this.readWaiting();
        return;
      }
      // Not its rest: the line's parts go on as far as they came.
      this.runtimeParts.delete(cri!.stream);
    }
    // Only another stream's line of the same file leaves a stream's cut line open.
    for (const [stream, parts] of this.runtimeParts)
      if (cri === undefined || split.source !== parts.first.split.source || this.waitingChars > MAX_LINE_CHARS)
        this.runtimeParts.delete(stream);
    if (cri?.partial === true) {
      const parts = new RuntimeParts(logical);
      this.runtimeParts.set(cri.stream, parts);
      this.waiting.push(parts);
    } else if (this.waiting.length > 0) {
      this.waiting.push(logical);
      this.waitingChars += split.text.length;
    } else {
      this.readLogical(logical);
      return;
    }
    this.readWaiting();
  }

  /** The waiting lines up to the first runtime line still open, read in order. */
  private readWaiting(): void {
    let n = 0;
    for (; n < this.waiting.length; n++) {
      const item = this.waiting[n]!;
      if (item instanceof RuntimeParts) {
        if (this.runtimeParts.get(item.first.split.cri!.stream) === item) break;
        this.readLogical(item.whole());
      } else {
        this.waitingChars -= item.split.text.length;
        this.readLogical(item);
      }
    }
    if (n > 0) this.waiting = n === this.waiting.length ? [] : this.waiting.slice(n);
  }

  /** One logical line, its source named (and its runtime's parts joined): parsed, held or emitted. */
  private readLogical({ split, decoded, line, joined, bytes, cut }: LogicalLine): void {
    const text = split.text;
    const wrapped = joined > 0 ? { wrapped: joined } : {};
    if (split.structural) {
      this.releaseHeld();
      this.emit({
        line,
        text: decoded,
        values: null,
        pieces: [],
        source: split.source,
        structural: true,
        own: split.own === true,
        bytes,
        ...wrapped,
        ...(cut === undefined ? {} : { cut }),
      });
      return;
    }
    const values = this.templates.length > 0 ? this.matchCustom(text) : null;
    // A physical line usually holds one record; a flattened paste holds several (same line
    // number), each handed on with its own text, so a long flattened line is read once.
    const pieces: ParsedPiece[] = values
      ? [{ record: parseLine(text), text: stripAnsi(text) }]
      : this.learned.pieces(text);
    // A command at a prompt: what follows is its output, the log it read when it names one. The
    // prompt line itself is the stream's, not the output of the log read before it.
    const shell = pieces.length === 1 && pieces[0]!.record.kind === 'shell' ? pieces[0]!.text : null;
    const own = shell !== null && (split.shape === 'command' || split.shape === 'tail' || split.shape === 'heading');
    const parsed: ParsedLine = {
      line,
      text,
      values,
      pieces,
      source: own ? null : split.source,
      structural: false,
      bytes: own ? 0 : bytes,
      ...wrapped,
      ...(cut === undefined ? {} : { cut }),
    };
    if (shell !== null) this.demux.command(logFileOfCommand(shell));
    if (values !== null || !this.holdOrJoin(parsed)) {
      this.releaseHeld();
      this.emit(parsed);
    }
  }

  /**
   * Hard-wrapped pastes: whether the line was taken as the held line's continuation, or held
   * itself because it may go on over the next line. Either way it is not emitted yet.
   */
  private holdOrJoin(parsed: ParsedLine): boolean {
    const text = parsed.text;
    this.wrap.see(text);
    const held = this.held;
    if (held && (parsed.source === null || parsed.source === held.parsed.source)) {
      const parse = (t: string) => this.learned.pieces(t);
      const step = this.wrap.join(held.joined, held.lastSegment, parsed, parse, held.trial.length);
      if (step) {
        held.joined = { text: step.text, pieces: step.pieces };
        held.lastSegment = text;
        if (step.kind === 'tentative') held.trial.push(parsed);
        else {
          const base = held.parsed;
          base.text = step.text;
          base.pieces = step.pieces;
          base.wrapped = (base.wrapped ?? 0) + held.trial.length + 1;
          for (const t of held.trial) base.bytes += t.bytes;
          base.bytes += parsed.bytes;
          held.trial = [];
        }
        if (!this.wrap.mayContinue(text, step.pieces.at(-1)?.record)) this.releaseHeld();
        return true;
      }
    }
    if (!this.wrap.mayContinue(text, parsed.pieces.at(-1)?.record)) return false;
    this.releaseHeld();
    this.held = { parsed, lastSegment: text, joined: { text, pieces: parsed.pieces }, trial: [] };
    return true;
  }

  /** The lines the runtime cut whose last part never came (the input ends, or a MIME part): their parts go on as one line each. */
  private endRuntimeParts(): void {
    this.runtimeParts.clear();
    this.readWaiting();
  }

  /** The held line goes on as it is (with what it was joined with): the line after it did not continue it. */
  private releaseHeld(): void {
    const held = this.held;
    if (!held) return;
    this.held = null;
    this.emit(held.parsed);
    // Lines on trial that did not make a record are lines of their own.
    for (const t of held.trial) this.emit(t);
  }

  private matchCustom(text: string): TemplateValues | null {
    const stripped = stripAnsi(text);
    for (const t of this.templates) {
      const v = matchTemplate(t, stripped);
      if (v) return v;
    }
    return null;
  }
}

/** A service's record opens with its date (oslo.log `2026-12-05 01:48:42.123`, ISO with a `T`). */
const DATED_RECORD = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}/;

/**
 * Whether `next` is the next part of the line a container runtime cut, whose first part was
 * `first` and last part so far `last`: a runtime's line of the same stream in the same file and,
 * through grep, the next line of that file. grep prints only the lines that match: with `-n` the
 * next part's number follows the last's, without it a line that opens a record (a dated record, a
 * client's REQ or RESP…) is another line, the rest of this one left out. `ostrace redact` joins
 * the parts by the same test (src/redact/redact.ts).
 */
export function continuesRuntimePart(first: SourcedLine, last: SourcedLine, next: SourcedLine): boolean {
  if (next.cri === undefined || next.cri.stream !== first.cri?.stream || next.source !== first.source) return false;
  // A CRI part's rest is a CRI line, a json-file entry's the stream's next entry.
  if (next.cri.dockerJson !== first.cri.dockerJson) return false;
  if (next.shape !== 'grep') return true;
  if (last.sourceLine !== null && next.sourceLine !== null) return next.sourceLine === last.sourceLine + 1;
  return !DATED_RECORD.test(next.text) && !startsRecord(next.text);
}

/** One logical line as the demultiplexer split it: `line` its first physical line, `joined` the physical lines after it joined into it. */
interface LogicalLine {
  split: SourcedLine;
  /** The line as read (HTML entities decoded), with its prefixes. */
  decoded: string;
  line: number;
  joined: number;
  bytes: number;
  /** Its length as written, when only its start is kept. */
  cut?: number;
}

/**
 * The parts of one line a container runtime cut (CRI `P` lines, then the `F` line that ends it,
 * src/input/demux.ts): one logical line, numbered by its first physical line, the others counted
 * as wrapped. Its text is kept up to MAX_LINE_CHARS, as the reader keeps a line: a runtime that
 * never ends a line holds no more than that, the rest is counted in its length (`cut`).
 */
class RuntimeParts {
  private readonly texts: string[];
  private kept: number;
  /** Characters as written, when some were not kept (a part the reader cut, or past MAX_LINE_CHARS). */
  private written: number;
  private cutAny: boolean;
  private joined: number;
  private bytes: number;
  /** The last part taken. */
  private last: SourcedLine;

  constructor(readonly first: LogicalLine) {
    this.last = first.split;
    this.texts = [first.split.text];
    this.kept = first.split.text.length;
    this.written = first.cut ?? this.kept;
    this.cutAny = first.cut !== undefined;
    this.joined = first.joined;
    this.bytes = first.bytes;
    if (this.kept > MAX_LINE_CHARS) this.keepStart();
  }

  /** Whether `next` is the line's next part (continuesRuntimePart). */
  goesOnWith(next: SourcedLine): boolean {
    return continuesRuntimePart(this.first.split, this.last, next);
  }

  add(part: LogicalLine): void {
    this.last = part.split;
    const text = part.split.text;
    this.written += part.cut ?? text.length;
    if (part.cut !== undefined) this.cutAny = true;
    if (this.kept < MAX_LINE_CHARS) {
      this.texts.push(text);
      this.kept += text.length;
      if (this.kept > MAX_LINE_CHARS) this.keepStart();
    } else this.cutAny = true;
    this.joined += 1 + part.joined;
    this.bytes += part.bytes;
  }

  /** Only the first MAX_LINE_CHARS characters are kept. */
  private keepStart(): void {
    const text = this.texts.join('').slice(0, MAX_LINE_CHARS);
    this.texts.length = 0;
    this.texts.push(text);
    this.kept = text.length;
    this.cutAny = true;
  }

  whole(): LogicalLine {
    const text = this.texts.length === 1 ? this.texts[0]! : this.texts.join('');
    const first = this.first;
    return {
      split: { ...first.split, text },
      decoded: first.decoded,
      line: first.line,
      joined: this.joined,
      bytes: this.bytes,
      ...(this.cutAny ? { cut: this.written } : {}),
    };
  }
}
