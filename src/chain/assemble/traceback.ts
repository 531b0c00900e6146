// The traceback machine: `Traceback (most recent call last):`, its frames and code
// lines, and the error line that ends it, which becomes the command's error.
import type { LineRecord } from '../../core/records.js';
import { MAX_REQUEST_ID } from '../../core/request-ids.js';
import { maskText } from '../../secrets/mask.js';
import { opensWithTimestamp } from '../../lex/prefixes.js';
import type { CommandDraft } from './drafts.js';

/** A traceback read to its end: what a command carries. */
export type ReadTraceback = NonNullable<CommandDraft['traceback']>;

/**
 * Who gets a traceback when it closes: the open command, else the calls outside any command
 * (Commands), whose `clean_up`/`END` may yet come — osc prints a failed command's traceback just
 * before them, so a paste of a command's tail without its START shows it with no command open.
 */
export interface TracebackOwner {
  readonly command: CommandDraft | null;
  looseTraceback: ReadTraceback | null;
}

/** The traceback is the command's, its error line the command's error (clean_up's text, after it, wins). */
export function attachTraceback(cmd: CommandDraft, tb: ReadTraceback): void {
  cmd.traceback = tb;
  if (tb.error) cmd.error = tb.error;
}

interface OpenTraceback {
  line: number;
  endLine: number;
  frames: number;
  error: string | null;
  awaitingError: boolean;
}

/** What a record does to the traceback being read. */
export type TracebackStep = 'taken' | 'ended' | 'other';

export class Tracebacks {
  private open: OpenTraceback | null = null;

  get reading(): boolean {
    return this.open !== null;
  }

  /** `Traceback (most recent call last):`. */
  start(line: number): void {
    this.open = { line, endLine: line, frames: 0, error: null, awaitingError: false };
  }

  /** A frame without a `Traceback` header (a pasted fragment): still a traceback. */
  startAtFrame(line: number): void {
    this.open = { line, endLine: line, frames: 1, error: null, awaitingError: true };
  }

  /**
   * One record while a traceback is open: a frame or code line (`taken`), the error line
   * that ends it (`ended`: the caller flushes it), or a record of its own (`other`).
   */
  take(record: LineRecord, line: number): TracebackStep {
    const tb = this.open!;
    if (record.kind === 'traceback-frame' || record.kind === 'indented') {
      if (record.kind === 'traceback-frame') tb.frames++;
      tb.awaitingError = true;
      tb.endLine = line;
      return 'taken';
    }
    if (
      tb.awaitingError &&
      !record.prefix &&
      (record.kind === 'client-error' ||
        record.kind === 'message' ||
        // another program's dated line is no error line: it ends the traceback unended
        (record.kind === 'unrecognized' && !opensWithTimestamp(record.text)))
    ) {
      tb.error = maskText('text' in record ? record.text : record.kind === 'client-error' ? record.message : '');
      // (an id run into other text, over MAX_REQUEST_ID, is none)
      if (record.kind === 'client-error' && record.requestId !== null && record.requestId.length <= MAX_REQUEST_ID)
        tb.error = maskText(`${record.message} (Request-ID: ${record.requestId})`);
      tb.endLine = line;
      return 'ended';
    }
    // oslo.log prefixes every traceback line; those come as prefixed messages.
    if (record.prefix && record.kind === 'message' && tb.awaitingError) {
      tb.endLine = line;
      return 'taken';
    }
    return 'other';
  }

  /** Close the traceback being read, if any, into the open command, or with the calls outside any command. */
  flush(owner: TracebackOwner): void {
    const tb = this.open;
    if (!tb) return;
    this.open = null;
    const read = { line: tb.line, endLine: tb.endLine, error: tb.error, frames: tb.frames };
    if (owner.command) attachTraceback(owner.command, read);
    else owner.looseTraceback = read;
  }
}
