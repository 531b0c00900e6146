// A client command pasted without its prompt but typed over several lines: `openstack image
// create "cirros" \`, then bash's PS2 prompt `> ` before each line that goes on with it
// (samples/field/osc-image-create-ps2-debug, an issue comment). Read alone the first line is
// text; the `> ` of the line after it shows a terminal asked for the rest of a command, so the
// first line was typed at a prompt the paste left out: a shell line, as if the prompt were there
// (the assembler then joins the continued lines as at any prompt). A line that runs no OpenStack
// client, ends without a backslash, or whose next line is quoted no deeper than it (a markdown or
// mail quote of a command, `> ` before every line) stays as it was read.
import { typesClient } from '../../core/clients.js';
import type { ParsedLine } from './pasted-comments.js';

/** How deep the `>` quoting before a line's text is (`> `, `> > `, `>> `). */
function quoting(text: string): number {
  let depth = 0;
  let i = 0;
  while (text.charCodeAt(i) === 62 /* > */) {
    depth++;
    i++;
    if (text.charCodeAt(i) === 32) i++;
  }
  return depth;
}

/** The command typed on a line of text alone that runs a client and ends with a backslash, else null. */
function typedHead(parsed: ParsedLine): string | null {
  if (parsed.structural || parsed.values !== null || parsed.pieces.length !== 1) return null;
  const { record, text } = parsed.pieces[0]!;
  if (record.prefix !== undefined || (record.kind !== 'unrecognized' && record.kind !== 'indented')) return null;
  const typed = text.trim();
  if (!typed.endsWith('\\')) return null;
  return typesClient(typed.slice(0, -1)) ? typed : null;
}

/** Whether `next` is behind one more `>` than `head` (bash's PS2 inside the paste's own quoting). */
function atPs2(head: ParsedLine, next: ParsedLine): boolean {
  if (next.structural || next.values !== null) return false;
  return quoting(next.text) === quoting(head.text) + 1;
}

/** Holds a client command line ending with a backslash until the line after it tells whether it was typed at a prompt. */
export class UnpromptedTyping<L extends ParsedLine> {
  private held: { parsed: L; typed: string } | null = null;

  constructor(private readonly emit: (parsed: L) => void) {}

  take(parsed: L): void {
    const held = this.held;
    if (held !== null) {
      this.held = null;
      if (parsed.source === held.parsed.source && atPs2(held.parsed, parsed)) {
        const piece = held.parsed.pieces[0]!;
        held.parsed.pieces = [{ record: { kind: 'shell', text: held.typed }, text: piece.text }];
      }
      this.emit(held.parsed);
    }
    const typed = typedHead(parsed);
    if (typed !== null) this.held = { parsed, typed };
    else this.emit(parsed);
  }

  /** The input's end: a line held stays as read. */
  end(): void {
    const held = this.held;
    this.held = null;
    if (held !== null) this.emit(held.parsed);
  }
}
