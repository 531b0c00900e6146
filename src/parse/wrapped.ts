// Hard-wrapped pastes. Mail, READMEs, old docs and terminals wrap long lines at 76–80
// columns (`fold -w 76` cuts inside a word, `fold -s` after a space), splitting a URL or a
// header's name from its value. A wrapped line is joined to the record before it only when
// that is evident:
//   - the line before was cut: it ends with a space, or it is as wide as the widest line of
//     the input so far (the wrap width, at least 60 columns), or it ends inside an HTTP
//     status (`returned with HTTP 20` then `0`);
//   - the line itself is no record and has no prefix of its own (an unrecognized line or a
//     piece of JSON);
//   - joined, the record is still one record of the same kind, and says more (a longer URL,
//     one more header, a value completed), or it becomes a record where there was only text.
// Otherwise the line stays as it is (counted unrecognized when it is).
import type { LineRecord } from '../core/records.js';
import type { ParsedPiece } from './index.js';

/** The narrowest wrap width taken as one (a narrower line is not wrapped). */
const MIN_WRAP_WIDTH = 60;
/** `… returned with HTTP 20`: a status cut after one or two of its digits. */
const CUT_STATUS = / HTTP \d{1,2}$/;

const TEXT_KINDS = new Set<LineRecord['kind']>(['unrecognized', 'message', 'indented', 'blank']);

/** Kinds a continuation line may have alone: text, or JSON (a body cut before a brace). */
const CONTINUATION_KINDS = new Set<LineRecord['kind']>(['unrecognized', 'json']);

/** Per input: the widest line seen, which a hard wrap fills. */
export class WrapJoiner {
  private width = 0;

  /** Every physical line of the input passes here first (cheap: one comparison). */
  see(text: string): void {
    if (text.length > this.width) this.width = text.length;
  }

  /**
   * Whether a line may go on over the next physical line: it ends with a space, fills the
   * wrap width or ends inside a status. Such a line is held until the next one is seen.
   */
  mayContinue(lastSegment: string): boolean {
    if (lastSegment.length >= MIN_WRAP_WIDTH && lastSegment.length === this.width) return true;
    if (lastSegment.length >= MIN_WRAP_WIDTH && lastSegment.endsWith(' ')) return true;
    return CUT_STATUS.test(lastSegment);
  }

  /**
   * The pieces of `held + next` when `next` evidently continues the held line's last
   * record, else null. `parse` reads a text as the input reads its lines.
   */
  join(
    held: { text: string; pieces: ParsedPiece[] },
    next: { text: string; pieces: ParsedPiece[] },
    parse: (text: string) => ParsedPiece[],
  ): ParsedPiece[] | null {
    if (next.pieces.length !== 1 || next.text.length === 0) return null;
    const alone = next.pieces[0]!.record;
    if (!CONTINUATION_KINDS.has(alone.kind) || alone.prefix !== undefined) return null;
    const joined = parse(held.text + next.text);
    if (joined.length !== held.pieces.length) return null;
    const before = held.pieces[held.pieces.length - 1]!.record;
    const after = joined[joined.length - 1]!.record;
    if (TEXT_KINDS.has(after.kind)) return null;
    if (TEXT_KINDS.has(before.kind)) return joined;
    if (before.kind !== after.kind) return null;
    return JSON.stringify(before) === JSON.stringify(after) ? null : joined;
  }
}
