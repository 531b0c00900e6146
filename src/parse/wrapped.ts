// Hard-wrapped pastes. Mail, READMEs, old docs and terminals wrap long lines at 76–80
// columns (`fold -w 76` cuts inside a word, `fold -s` after the last space that fits, a
// blog's editor drops the space), splitting a URL or a header's name from its value. A
// wrapped line is joined to the record before it only when that is evident:
//   - the line before was cut: it is as wide as the widest line of the input so far (the
//     wrap width, at least 60 columns); or it ends with a space and this line's first word
//     would not have fitted after it (in the widest line, or in the width the input's lines
//     ending with a space share: a mail's soft wrap, whose headers and footer run wider); or it ends inside an HTTP status (`HTTP 20` then `0`);
//     or it left a context bracket open (`[req-…` and no `]`); or it ends with a method and
//     this line is its URL; or it is a RESP and this line opens with a header's name;
//   - the line itself is no record and has no prefix of its own (unrecognized text, text
//     cut before a space, or a piece of JSON); a quote or indentation it shares with the
//     line before is margin, not text;
//   - joined, the record is still one record of the same kind, and says more (a longer URL,
//     one more header, a value completed), or it becomes a record where there was only text,
//     or it is the same text record (a traceback's code line, a service message) made whole.
// Otherwise the line stays as it is (counted unrecognized when it is).
import type { LineRecord } from '../core/records.js';
import { HTTP_METHODS } from '../lex/matchers.js';
import type { ParsedPiece } from './index.js';
import { startsRecord } from './physical.js';

/** The narrowest wrap width taken as one (a narrower line is not wrapped). */
const MIN_WRAP_WIDTH = 60;
/** The widest soft wrap looked for, and how many lines ending with a space within how many columns make one. */
const MAX_SOFT_WIDTH = 200;
const SOFT_WIDTH_BAND = 8;
const SOFT_WIDTH_LINES = 3;
/** `… returned with HTTP 20`: a status cut after one or two of its digits. */
const CUT_STATUS = / HTTP \d{1,2}$/;
const isDigit = (c: number) => c >= 48 && c <= 57;

/** CUT_STATUS.test(text), from the end: every line is asked, and few end with a digit. */
function cutStatus(text: string): boolean {
  let digits = 0;
  while (digits < 3 && isDigit(text.charCodeAt(text.length - 1 - digits))) digits++;
  return (digits === 1 || digits === 2) && text.startsWith(' HTTP ', text.length - digits - 6);
}
/** `> ` mail quoting, nested or not, or the indentation of a code block. */
const MARGIN = /^(?:(?:> ?)+|[ \t]+)/;

/** A double quote or a bracket left open at the end of the text (scanned only for lines as wide as the widest). */
function leftOpen(text: string): boolean {
  let quoted = false;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 92 /* \\ */) i++;
    else if (c === 34 /* " */) quoted = !quoted;
    else if (!quoted && (c === 123 || c === 91 || c === 40)) depth++;
    else if (!quoted && (c === 125 || c === 93 || c === 41)) depth--;
  }
  return quoted || depth > 0;
}

/** A double quote left open at the end of the text (a quoted header cut after its name). */
function leftOpenQuote(text: string): boolean {
  // From quote to backslash to quote by indexOf: a JSON body has few of either per character.
  let quoted = false;
  let quote = text.indexOf('"');
  let backslash = text.indexOf('\\');
  while (quote >= 0) {
    if (backslash >= 0 && backslash < quote) {
      // the backslash escapes the character after it (a quote or another backslash)
      const escaped = backslash + 1;
      if (escaped === quote) quote = text.indexOf('"', quote + 1);
      backslash = text.indexOf('\\', escaped + 1);
      continue;
    }
    quoted = !quoted;
    quote = text.indexOf('"', quote + 1);
  }
  return quoted;
}

/** A context bracket opened (`[req-…`) and not closed: the line was cut inside it. */
function openContext(text: string): boolean {
  const open = text.indexOf('[req-');
  return open >= 0 && text.indexOf(']', open) < 0;
}

/** ` POST` at the end of a line: a service's request line cut before its URL. */
function endsWithMethod(text: string): boolean {
  const sp = text.lastIndexOf(' ');
  return sp >= 0 && text.length - sp <= 8 && HTTP_METHODS.has(text.slice(sp + 1));
}
/**
 * A client record cut inside its own syntax: after a curl option that takes a value (` -H`),
 * after a header's name (`X-Openstack-Request-Id:`), or inside a quoted header or body. A doc
 * or mail soft-wrapped at its width (no trailing space kept) cuts a REQ or RESP line there.
 */
const CUT_OPTION = / -[HdX]$/;
const CUT_HEADER_NAME = /(?:^|[\s"])[A-Za-z][\w-]*:$/;
function cutInsideRecord(text: string): boolean {
  // Both patterns end the text: its last character decides whether either can match.
  const last = text.charCodeAt(text.length - 1);
  if ((last === 72 || last === 100 || last === 88) /* H d X */ && CUT_OPTION.test(text)) return true;
  if (last === 58 /* : */ && CUT_HEADER_NAME.test(text)) return true;
  const body = text.lastIndexOf(" -d '");
  return body >= 0 && text.indexOf("'", body + 5) < 0;
}
const CLIENT_RECORDS = new Set<LineRecord['kind']>(['req', 'resp']);
/** A header's name and its value's start: `Content-Length: 804`. */
const HEADER_START = /^[A-Za-z][\w-]*: \S/;

/** A line of closing quotes and brackets only. */
const CLOSING_ONLY = /^["')\]}]{1,4}$/;
/**
 * The longest text joined: the head of a record (URL, headers, status, ids) is in its first
 * kilobytes; joining a folded body of megabytes line by line would read it again per line.
 */
const MAX_JOINED = 16_384;
/** Lines held on trial while text wrapped over several lines has not become a record yet. */
const MAX_TENTATIVE = 2;

const TEXT_KINDS = new Set<LineRecord['kind']>(['unrecognized', 'message', 'indented', 'blank']);

/** Kinds a continuation line may have alone: text, JSON (a body cut before a brace), or text cut before a space. */
const CONTINUATION_KINDS = new Set<LineRecord['kind']>(['unrecognized', 'json', 'indented']);

/** Per input: the widest line seen, which a hard wrap fills. */
export class WrapJoiner {
  private width = 0;

  /** How many lines have been exactly as wide as the widest: two make the width a wrap width. */
  private atWidth = 0;

  /** How many lines ending with a space have each length (up to MAX_SOFT_WIDTH): a soft wrap's lines. */
  private readonly spaced = new Uint32Array(MAX_SOFT_WIDTH + 1);

  /** Every physical line of the input passes here first (cheap: one comparison). */
  see(text: string): void {
    if (text.length > this.width) {
      this.width = text.length;
      this.atWidth = 1;
    } else if (text.length === this.width) this.atWidth++;
    if (text.length <= MAX_SOFT_WIDTH && text.charCodeAt(text.length - 1) === 32) this.spaced[text.length]!++;
  }

  /**
   * The width a soft wrap kept its spaces at (mail's format=flowed, `fold -s`): the widest length
   * near which (SOFT_WIDTH_BAND columns) at least SOFT_WIDTH_LINES lines end with a space; 0 when
   * none. Lines the wrap did not cut (a mail's headers, a long URL) may be wider than it.
   */
  private softWidth(): number {
    let inBand = 0;
    for (let w = MAX_SOFT_WIDTH; w >= MIN_WRAP_WIDTH; w--) {
      inBand += this.spaced[w]!;
      if (w + SOFT_WIDTH_BAND <= MAX_SOFT_WIDTH) inBand -= this.spaced[w + SOFT_WIDTH_BAND]!;
      if (inBand >= SOFT_WIDTH_LINES) {
        // the widest length of the band
        let top = w + SOFT_WIDTH_BAND - 1;
        while (this.spaced[top] === 0) top--;
        return top;
      }
    }
    return 0;
  }

  /**
   * Whether a line may go on over the next physical line: it fills the wrap width, ends
   * with a space, ends inside a status, leaves a context bracket open or ends with a
   * request's method, or is (the end of) a RESP, whose headers a soft wrap may go on with.
   * Such a line is held until the next one is seen.
   */
  mayContinue(segment: string, record?: LineRecord): boolean {
    if (this.width >= MIN_WRAP_WIDTH && (this.fillsWidth(segment) || segment.endsWith(' '))) return true;
    return (
      record?.kind === 'resp' ||
      cutStatus(segment) ||
      openContext(segment) ||
      endsWithMethod(segment) ||
      cutInsideRecord(segment) ||
      (segment.includes('"') && leftOpenQuote(segment))
    );
  }

  /**
   * The line fills the wrap width: it is as wide as the widest line, and that width is a wrap
   * width (another line was as wide) or the line was plainly cut (a quote or bracket left
   * open). The first long line of a log is not held for being the longest so far.
   */
  private fillsWidth(segment: string): boolean {
    return segment.length === this.width && (this.atWidth >= 2 || leftOpen(segment));
  }

  /**
   * How `rest` goes on from `segment` where that was cut (see the rules above): `''` when the
   * cut kept every character (a hard cut, a space kept at the end, a status), `' '` when a
   * soft wrap dropped the space (a context bracket left open, a method before its URL), null
   * when there is no sign of a cut.
   */
  private separator(segment: string, rest: string, heldText: string, held?: LineRecord): string | null {
    if (this.width >= MIN_WRAP_WIDTH) {
      if (this.fillsWidth(segment)) return '';
      if (segment.endsWith(' ')) {
        const space = rest.indexOf(' ');
        const word = space < 0 ? rest.length : space;
        if (segment.length + word >= this.width) return '';
        // Wider lines the wrap did not cut: the word would not have fitted in the soft wrap's width.
        const soft = this.softWidth();
        return soft > 0 && segment.length + word > soft ? '' : null;
      }
    }
    if (CUT_STATUS.test(segment) && /^\d{1,2}(?!\d)/.test(rest)) return '';
    if (openContext(heldText)) return ' ';
    if (endsWithMethod(segment) && (rest.startsWith('http://') || rest.startsWith('https://'))) return ' ';
    // A REQ or RESP cut inside its own syntax goes on after the space the wrap took.
    if (held && CLIENT_RECORDS.has(held.kind) && (cutInsideRecord(segment) || leftOpenQuote(heldText))) return ' ';
    // A RESP soft-wrapped between two of its headers goes on with the next one's name.
    if (held?.kind === 'resp' && HEADER_START.test(rest)) return ' ';
    return null;
  }

  /**
   * What `next` does to the held text: `joined` when it evidently continues the held line's
   * last record (its pieces given), `tentative` when the joined text is still no record but
   * was cut again and may become one with the next line (a summary line wrapped over three),
   * null otherwise. `segment` is the last physical line held; `tentative` how many lines are
   * held on trial already; `parse` reads a text as the input reads its lines.
   */
  join(
    held: { text: string; pieces: ParsedPiece[] },
    segment: string,
    next: { text: string; pieces: ParsedPiece[] },
    parse: (text: string) => ParsedPiece[],
    tentative = 0,
  ): { kind: 'joined' | 'tentative'; text: string; pieces: ParsedPiece[] } | null {
    if (next.pieces.length !== 1 || next.text.length === 0) return null;
    // Each join reads the record again: a long one (a folded body) goes on as continuation lines.
    if (held.text.length > MAX_JOINED) return null;
    const alone = next.pieces[0]!.record;
    if (!CONTINUATION_KINDS.has(alone.kind) || alone.prefix !== undefined) return null;
    // A quoted mail quotes every wrapped line again, a markdown code block indents it: that
    // margin is not part of the record.
    const margin = MARGIN.exec(held.text)?.[0] ?? '';
    const rest = margin !== '' && next.text.startsWith(margin) ? next.text.slice(margin.length) : next.text;
    // A line that begins as a record does is one, cut or not: the line before ended at the width.
    if (startsRecord(rest)) return null;
    const separator = this.separator(segment, rest, held.text, held.pieces[held.pieces.length - 1]?.record);
    if (separator === null) return null;
    const text = held.text + separator + rest;
    const joined = parse(text);
    if (joined.length !== held.pieces.length) return null;
    const before = held.pieces[held.pieces.length - 1]!.record;
    const after = joined[joined.length - 1]!.record;
    // Text cut at the wrap width goes on as the same text: a traceback's code line, a
    // service message, an exception's message. The widest line so far is only a wrap width
    // when another line was as wide (the first long line of a log is not cut for being long).
    if (TEXT_KINDS.has(after.kind) && after.kind === before.kind && after.kind !== 'blank') {
      const byWidthAlone = separator === '' && segment.length === this.width && this.atWidth < 2;
      return byWidthAlone ? null : { kind: 'joined', text, pieces: joined };
    }
    if (TEXT_KINDS.has(after.kind)) {
      const onTrial = before.kind === 'unrecognized' && tentative < MAX_TENTATIVE && this.mayContinue(next.text);
      return onTrial ? { kind: 'tentative', text, pieces: joined } : null;
    }
    if (TEXT_KINDS.has(before.kind)) return { kind: 'joined', text, pieces: joined };
    if (before.kind !== after.kind) return null;
    // The same record again: joined only when the line adds nothing but the quote or
    // bracket that closes it (a record that ends with a cut `"`).
    if (JSON.stringify(before) === JSON.stringify(after) && !CLOSING_ONLY.test(next.text)) return null;
    return { kind: 'joined', text, pieces: joined };
  }
}
