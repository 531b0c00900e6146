// A container runtime cuts a long line into parts by bytes, not characters: CRI-O's conmon at the
// end of each read(2) of the pipe, containerd at max_container_log_line_size (src/input/demux.ts,
// CRI_PREFIX). A UTF-8 character the cut went through ends one physical line (`P`) with its first
// bytes and opens the next part's text with the rest. kubelet joins the parts' bytes before
// anything decodes them (pkg/kubelet/kuberuntime/logs/logs.go: a `P` part's text is written
// without its newline), so `kubectl logs` shows the character whole. Decoded line by line it would
// be two U+FFFD; so, before decoding, the character's first bytes are moved to the start of the
// next part's text, after its prefix, when that text opens with exactly the bytes the character
// still needs. The lines the runtime wrote keep their number; only those few bytes change line.

import { runtimePartTextStart } from './demux.js';

/** How far into the next line its CRI prefix (with grep's file name before it) is looked for. */
const HEAD_BYTES = 1024;

/** The bytes a UTF-8 sequence that opens with `lead` has; 0 for a byte that opens none. */
function sequenceLength(lead: number): number {
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

const isContinuation = (b: number) => (b & 0xc0) === 0x80;

/**
 * Where the UTF-8 character the bytes before `end` leave unfinished begins, and how many bytes it
 * still needs; null when they end on a whole character (or on bytes no character begins with).
 */
function unfinishedAt(bytes: Uint8Array, end: number, start: number): { at: number; needs: number } | null {
  for (let back = 1; back <= 3 && end - back >= start; back++) {
    const b = bytes[end - back]!;
    if (isContinuation(b)) continue;
    const length = sequenceLength(b);
    return length > back ? { at: end - back, needs: length - back } : null;
  }
  return null;
}

/** Moves the first bytes of a character a runtime's cut split to the next part's text (see above); streaming. */
export class SplitCharacters {
  /** Bytes held from the last chunk: a line's unfinished character, its newline, and the next line's start. */
  private held: Buffer | null = null;
  /** The first bytes (up to HEAD_BYTES) of the line the bytes taken so far end inside. */
  private lineHead: Buffer = Buffer.alloc(0);

  write(chunk: Uint8Array): Buffer {
    return this.take(chunk, false);
  }

  end(): Buffer {
    return this.take(new Uint8Array(0), true);
  }

  private take(chunk: Uint8Array, last: boolean): Buffer {
    const bytes =
      this.held === null
        ? Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length)
        : Buffer.concat([this.held, chunk]);
    this.held = null;
    const out: Buffer[] = [];
    let copied = 0;
    let lineStart = 0;
    for (let nl = bytes.indexOf(10); nl >= 0; lineStart = nl + 1, nl = bytes.indexOf(10, nl + 1)) {
      // Almost every line ends on ASCII: nothing more to look at.
      if (nl === 0 || bytes[nl - 1]! < 0x80) continue;
      const unfinished = unfinishedAt(bytes, nl, lineStart);
      // Only a runtime's part (`P`) goes on in the next line: a full line's unfinished character stays as it is.
      if (unfinished === null || !this.isPart(this.headOf(bytes, lineStart))) continue;
      const next = bytes.indexOf(10, nl + 1);
      const headEnd = Math.min(next < 0 ? bytes.length : next, nl + 1 + HEAD_BYTES);
      const textStart = runtimePartTextStart(bytes.toString('latin1', nl + 1, headEnd));
      const textAt = nl + 1 + textStart;
      const restEnd = textAt + unfinished.needs;
      // The next line's head (or the rest of the character) has not all come yet: held until it has.
      const waiting = textStart < 0 ? headEnd - nl - 1 < HEAD_BYTES : restEnd > headEnd;
      if (waiting && next < 0 && !last) {
        out.push(bytes.subarray(copied, unfinished.at));
        this.held = bytes.subarray(unfinished.at);
        this.lineHead = this.headOf(bytes.subarray(0, unfinished.at), lineStart);
        return Buffer.concat(out);
      }
      if (textStart < 0 || restEnd > headEnd) continue;
      let rest = true;
      for (let i = textAt; i < restEnd; i++) rest &&= isContinuation(bytes[i]!);
      if (!rest) continue;
      out.push(bytes.subarray(copied, unfinished.at), bytes.subarray(nl, textAt), bytes.subarray(unfinished.at, nl));
      copied = textAt;
    }
    // A character the chunk ends inside waits for the next chunk, where its line's newline may be.
    const open = last ? null : unfinishedAt(bytes, bytes.length, Math.max(copied, lineStart));
    const end = open === null ? bytes.length : open.at;
    if (open !== null) this.held = bytes.subarray(open.at);
    out.push(bytes.subarray(copied, end));
    this.lineHead = this.headOf(bytes.subarray(0, end), lineStart);
    return out.length === 1 ? out[0]! : Buffer.concat(out);
  }

  /** The first bytes of the line that begins at `lineStart` of `bytes` (0: it began in an earlier chunk). */
  private headOf(bytes: Buffer, lineStart: number): Buffer {
    const here = bytes.subarray(lineStart, lineStart + HEAD_BYTES);
    if (lineStart > 0 || this.lineHead.length === 0) return Buffer.from(here);
    return Buffer.concat([this.lineHead, here]).subarray(0, HEAD_BYTES);
  }

  /** Whether the line that opens with `head` is a runtime's part (`P`) of a longer line. */
  private isPart(head: Buffer): boolean {
    const start = runtimePartTextStart(head.toString('latin1'));
    return start > 0 && head[start - 2] === 80; /* P */
  }
}
