// Paste markup that spans lines. A GitHub issue template leaves its instructions as HTML
// comments over several lines (`<!--` … `-->`), and a markdown heading may have a single `#`
// (`# Logs from nova-compute`). Neither is a log line, and neither may end or feed a record
// around it (a comment line after a RESP BODY is not more body). Whether such a line is markup
// depends on the lines before it, so this is read per input:
//   - a line opening a comment (`<!--` and no `-->` after it) and every line up to the one
//     holding `-->` are markup; a comment never closed must not swallow the log: a line that
//     reads as a log record (a prefixed service line, a client's REQ or RESP) ends it;
//   - inside a fenced code block nothing is a comment or a heading: `# ` there is a shell or a
//     config comment, `<!--` is the code's own; a line running `openstack …` with no prompt is
//     a shell line (docs and notes show the command so, its output in the next block);
//   - `# text` outside a fence is a heading only where it would be unrecognized anyway (a root
//     prompt running a client is a shell line) and the line before is blank, markup or the
//     input's start: a `#` line right after text is a comment or a prompt in a transcript, and
//     in a config dump's comment block each `#` line follows another.
import { LINE_KINDS, type LineRecord } from '../core/records.js';
import { parsePieces, type ParsedPiece } from './index.js';
import { codeFence } from './physical.js';

/** `> ` mail quoting, nested or not, or the indentation of a code block (as the wrap joiner strips it). */
const MARGIN = /^(?:(?:> ?)+|[ \t]+)/;

/** A record only a log writes: a service line under its prefix, or a client's own record (REQ, RESP). */
function isLogRecord(record: LineRecord): boolean {
  const traits = LINE_KINDS[record.kind];
  return record.prefix !== undefined || (traits.client && traits.opens);
}

/** `# Logs from nova-compute`: one `#`, a space, then text. */
function isSingleHashHeading(text: string): boolean {
  return text.charCodeAt(0) === 35 /* # */ && text.charCodeAt(1) === 32 && text.length > 2 && text[2] !== ' ';
}

const markup = (text: string): ParsedPiece[] => [{ record: { kind: 'markup', text }, text }];

/** `openstack` then a command word or an option: what docs and notes put in a code block to run. */
const TYPED_CLIENT = /^openstack (?:[a-z][a-z-]*(?: |$)|--?[a-z])/;

/**
 * A line of a code block that runs the client with no prompt before it (`openstack volume
 * attachment show <id>`, the output in the next block): a shell line, as if a prompt were there.
 * Only inside a fence, where prose is not, and only where the line reads as nothing else.
 */
function typedCommand(text: string, own: ParsedPiece[]): ParsedPiece[] {
  const alone = own.length === 1 ? own[0]!.record : null;
  if (alone?.kind !== 'unrecognized' || alone.prefix !== undefined) return own;
  const typed = text.trim();
  return TYPED_CLIENT.test(typed) ? [{ record: { kind: 'shell', text: typed }, text }] : own;
}

/** One input's open comment and fence, and what the line before was. */
export class PasteBlocks {
  private commentOpen = false;
  /** The character of the open code fence (`` ` `` or `~`), or null. */
  private fence: string | null = null;
  private before: 'start' | 'blank' | 'markup' | 'text' = 'start';
  private last = '';

  /**
   * The pieces of one physical line: `read` gives them as the line alone reads; a line of a
   * comment, or a single-`#` heading, is markup instead.
   */
  take(text: string, read: () => ParsedPiece[]): ParsedPiece[] {
    // The wrap joiner reads the line before and this one joined: no new line, no new state.
    if (this.isRejoin(text)) return read();
    this.last = text;
    if (this.commentOpen) {
      if (text.includes('-->')) {
        this.commentOpen = false;
        return this.seen(markup(text));
      }
      const own = parsePieces(text);
      if (!own.some((p) => isLogRecord(p.record))) return this.seen(markup(text));
      this.commentOpen = false;
    }
    const fence = codeFence(text);
    if (fence) {
      if (this.fence === null) this.fence = fence.char;
      else if (fence.char === this.fence && !fence.info) this.fence = null;
      return this.seen(read());
    }
    if (this.fence !== null) return this.seen(typedCommand(text, read()));
    let start = 0;
    while (text.charCodeAt(start) === 32 || text.charCodeAt(start) === 9) start++;
    if (text.startsWith('<!--', start) && text.indexOf('-->', start + 4) < 0) {
      this.commentOpen = true;
      return this.seen(markup(text));
    }
    const own = read();
    const alone = own.length === 1 ? own[0]!.record : null;
    if (
      this.before !== 'text' &&
      alone?.kind === 'unrecognized' &&
      alone.prefix === undefined &&
      isSingleHashHeading(text)
    )
      return this.seen(markup(text));
    return this.seen(own);
  }

  /** Whether `text` is the line before joined with the last line (a hard-wrap re-read), not a line of its own. */
  private isRejoin(text: string): boolean {
    const last = this.last;
    // Most lines are not: their last characters differ.
    if (last === '' || text.charCodeAt(text.length - 1) !== last.charCodeAt(last.length - 1)) return false;
    const core = last.replace(MARGIN, '');
    return core !== '' && text.length > core.length && text.endsWith(core);
  }

  private seen(pieces: ParsedPiece[]): ParsedPiece[] {
    const kind = pieces.length === 1 ? pieces[0]!.record.kind : 'text';
    this.before = kind === 'blank' ? 'blank' : kind === 'markup' ? 'markup' : 'text';
    return pieces;
  }
}
