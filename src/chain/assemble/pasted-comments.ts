// A paster's own notes between the records of a log: `#创建镜像` above the record it names
// (samples/field/nova-compute-zh-comments), `# now detach` between two steps. Read alone such
// a line is text, and right after a service record text is that record's next physical line:
// the note would be counted as the message's continuation. No log writes it so: oslo.log
// prefixes a record's first line, a traceback's lines are prefixed or indented, a body is
// JSON, and the next record begins with its own prefix. A run of unprefixed lines that begin
// with `#` and that a record's first line follows directly is the paster's comment: markup,
// which ends the record before it. Where no record follows (a config dump's `# …` lines go
// on with its settings, a shell transcript with its output) the lines stay as they were read.
import { LINE_KINDS } from '../../core/records.js';
import type { ParsedPiece } from '../../parse/index.js';

/** What the stages after parsing read of a parsed physical line (physical-lines.ts's ParsedLine). */
export interface ParsedLine {
  text: string;
  values: unknown;
  pieces: ParsedPiece[];
  source: string | null;
  structural: boolean;
}

/** Lines held at most: a longer run of `#` lines is a file's comment block, not a note. */
const MAX_RUN = 8;

/** An unprefixed line that begins with `#` and read as nothing (text, or indented text). */
function isHashLine(parsed: ParsedLine): boolean {
  if (parsed.structural || parsed.values !== null || parsed.pieces.length !== 1) return false;
  const { record, text } = parsed.pieces[0]!;
  if (record.prefix !== undefined || (record.kind !== 'unrecognized' && record.kind !== 'indented')) return false;
  return text.trimStart().charCodeAt(0) === 35; /* # */
}

/** The first line of a record: a service line with its level or logger, or a client record that opens. */
function opensRecord(parsed: ParsedLine): boolean {
  if (parsed.structural || parsed.pieces.length === 0) return false;
  const { record } = parsed.pieces[0]!;
  const p = record.prefix;
  if (p !== undefined) return p.level !== undefined || p.logger !== undefined;
  return LINE_KINDS[record.kind].opens;
}

/** Holds a run of `#` lines until the line after it tells what they are; lines go on in order. */
export class PastedComments<L extends ParsedLine> {
  private run: L[] = [];
  /** The run went on past MAX_RUN: it and the rest of it stay as read. */
  private long = false;

  constructor(private readonly emit: (parsed: L) => void) {}

  take(parsed: L): void {
    const hash = isHashLine(parsed);
    if (hash && this.run.length > 0 && this.run[0]!.source !== parsed.source) this.release(false);
    if (hash && !this.long) {
      if (this.run.length < MAX_RUN) {
        this.run.push(parsed);
        return;
      }
      this.long = true;
      this.release(false);
    }
    if (!hash) {
      this.long = false;
      this.release(this.run.length > 0 && this.run[0]!.source === parsed.source && opensRecord(parsed));
    }
    this.emit(parsed);
  }

  /** The input's end: a run no record followed stays as read. */
  end(): void {
    this.long = false;
    this.release(false);
  }

  private release(comment: boolean): void {
    const run = this.run;
    if (run.length === 0) return;
    this.run = [];
    for (const line of run) {
      if (comment) line.pieces = [{ record: { kind: 'markup', text: line.text }, text: line.pieces[0]!.text }];
      this.emit(line);
    }
  }
}
