// Markers anywhere in the line. People run the clients inside their own programs and
// loggers (`===========My:DEBUG:REQ: curl -g -i -X PUT http://… =========`,
// `2024-03-01 10:11:12,345 - app - DEBUG - RESP: [200] …`): the keystoneauth record is
// there, behind a prefix no one told us about. A line that is unrecognized as a whole but
// has a record marker inside teaches that prefix; the input's next lines that begin with
// it (the same text, other digits, another level) are read without it. The prefix is
// only learnt where the rest of the line is a record, and only taken off lines whose rest
// is one: when unsure a line stays unrecognized. A pod's name and `: ` before a dated
// service record (Kubernetes logs as a collector pasted them) is taken off each line it is on.
import { parsePieces, type ParsedPiece } from './index.js';
import { PasteBlocks } from './paste-blocks.js';

/** Texts that begin a client record; the first one found after the start of a line ends the prefix. */
const MARKERS = [
  'REQ: curl ',
  "REQ: b'curl ",
  'RESP: [',
  "RESP:{'",
  'RESP BODY: ',
  'GET call to ',
  'POST call to ',
  'PUT call to ',
  'DELETE call to ',
  'PATCH call to ',
  'HEAD call to ',
  'Making authentication request to ',
];

const LEVEL_WORDS = /\b(?:DEBUG|INFO|WARNING|WARN|ERROR|CRITICAL|TRACE|AUDIT)\b/g;
/**
 * A prefix that starts with the time of the record: `2024-03-01 10:11:12,345 - …`, also indented
 * as a code block does it (an RST `.. code-block::`, a markdown list item's block).
 */
const DATED_PREFIX = /^[ \t]*(\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(?:[.,]\d+)?)/;
/** A prefix is short and holds no quoted text (a marker inside a quoted value is data). */
const MAX_PREFIX = 160;
/**
 * A pod's or container's name and `: ` before a dated record, as a collector (or the user) put it:
 * `cinder-api-6494ffc69b-7jcwm: 2024-06-11 14:13:50 ERROR cinder.api.v3.attachments …`. One word
 * with no path or space (grep -H's `file:` has no space after it and is the demultiplexer's).
 */
const NAME_BEFORE_DATE = /^[A-Za-z0-9][\w.@-]{0,99}: (?=\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d)/;

/**
 * The prefix text as a pattern: digits may differ (timestamps, pids), and so may the level
 * and a dotted logger name (`keystoneauth.session`, `urllib3.connectionpool`).
 */
function prefixPattern(prefix: string): RegExp {
  const parts: string[] = [];
  let last = 0;
  const tokens = /\d+|\b(?:DEBUG|INFO|WARNING|WARN|ERROR|CRITICAL|TRACE|AUDIT)\b|\b[A-Za-z_]\w*(?:\.\w+)+\b/g;
  for (let m = tokens.exec(prefix); m; m = tokens.exec(prefix)) {
    parts.push(escape(prefix.slice(last, m.index)));
    parts.push(/^\d/.test(m[0]) ? '\\d+' : /^[A-Z]+$/.test(m[0]) ? LEVEL_WORDS.source : '[\\w.]+');
    last = m.index + m[0].length;
  }
  parts.push(escape(prefix.slice(last)));
  return new RegExp(`^${parts.join('')}`);
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A banner closing the user's line: ` =========` (three or more of one character after a
 * space), or five or more glued to the record's end (`…"=========`).
 */
function withoutTrailingBanner(text: string): string {
  const end = text.trimEnd();
  const c = end[end.length - 1];
  if (c !== '=' && c !== '-' && c !== '*' && c !== '#' && c !== '~') return text;
  let i = end.length - 1;
  while (i > 0 && end[i - 1] === c) i--;
  const run = end.length - i;
  if (run < 3 || (run < 5 && i > 0 && end[i - 1] !== ' ')) return text;
  return end.slice(0, i).trimEnd();
}

/** Where a record marker starts inside the line (not at its start), or -1. */
function markerAt(text: string): number {
  let best = -1;
  for (const m of MARKERS) {
    const at = text.indexOf(m, 1);
    if (at > 0 && (best < 0 || at < best)) best = at;
  }
  return best;
}

const isRecord = (p: ParsedPiece) =>
  p.record.kind !== 'unrecognized' && p.record.kind !== 'message' && p.record.kind !== 'blank';

/** Client records behind a marker's prefix (a message alone is no proof the prefix is one). */
const clientRecords = (pieces: ParsedPiece[]) => pieces.every(isRecord);

/**
 * An oslo.log record behind a name, time, level and logger (`key: 2024-06-11 …` in a config,
 * `Date: …` in headers, `Command: …` are no such record), and nothing left unread after it.
 */
const serviceRecord = (pieces: ParsedPiece[]) =>
  pieces[0]?.record.prefix?.style === 'oslo' &&
  pieces.every((p) => p.record.kind !== 'unrecognized' && p.record.kind !== 'blank');

/** One input's learnt prefix (a new input starts with none), and its paste markup over several lines. */
export class LearnedPrefix {
  private pattern: RegExp | null = null;

  private readonly paste = new PasteBlocks();

  /** The prefix learnt so far, as a pattern (tests, diagnostics). */
  get learnt(): RegExp | null {
    return this.pattern;
  }

  /** The records of a physical line: its own, or those behind a prefix learnt (now or before); markup of a comment or heading. */
  pieces(text: string): ParsedPiece[] {
    return this.paste.take(text, () => this.behindPrefix(text));
  }

  private behindPrefix(text: string): ParsedPiece[] {
    const own = parsePieces(text);
    // A line that is all records needs no prefix; one with text left over may have one
    // (the splitter may have cut the line at its marker already).
    if (!own.some((p) => p.record.kind === 'unrecognized' && p.record.prefix === undefined)) return own;
    if (this.pattern) {
      const m = this.pattern.exec(text);
      if (m && m[0].length > 0) {
        const rest = this.behind(m[0], text.slice(m[0].length), clientRecords);
        if (rest) return rest;
      }
    }
    // Cheap first: no `: ` or ` to ` in the line, no marker.
    if (text.indexOf(': ') < 0 && text.indexOf(' to ') < 0) return own;
    // A name names itself on each line: nothing to learn (a learnt marker prefix stays).
    const named = NAME_BEFORE_DATE.exec(text);
    const behindName = named && this.behind(named[0], text.slice(named[0].length), serviceRecord);
    if (behindName) return behindName;
    const at = markerAt(text);
    if (at < 0 || at > MAX_PREFIX) return own;
    const prefix = text.slice(0, at);
    if (prefix.includes('"') || prefix.includes("'")) return own;
    const rest = this.behind(prefix, text.slice(at), clientRecords);
    if (!rest) return own;
    this.pattern = prefixPattern(prefix);
    return rest;
  }

  /** The records of the text behind a prefix, when `accepts` takes them (else null); a dated prefix gives them its time. */
  private behind(prefix: string, rest: string, accepts: (pieces: ParsedPiece[]) => boolean): ParsedPiece[] | null {
    const pieces = parsePieces(withoutTrailingBanner(rest));
    if (pieces.length === 0 || !accepts(pieces)) return null;
    const dated = DATED_PREFIX.exec(prefix);
    if (dated) for (const p of pieces) p.record.prefix ??= { style: 'learned', timestamp: dated[1]! };
    return pieces;
  }
}
