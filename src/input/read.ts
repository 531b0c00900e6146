// Input sources: files, `-`/stdin, gzip detected by its magic bytes. Lines are
// produced as they arrive; CRLF and LF both end a line, a last line without a
// newline is kept, and invalid UTF-8 becomes U+FFFD instead of an error. A file that
// begins with a byte-order mark is read in the encoding it names (UTF-16 from PowerShell).
import { createReadStream, open } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { InputError } from '../core/errors.js';
import { ByteDecoder } from './decode.js';
import { SplitCharacters } from './split-characters.js';
import { gunzipMembers } from './gunzip.js';
import { writerStream, type Interrupts } from './writer-stream.js';

export interface LineSource {
  name: string;
  /** The file it reads (absent for stdin): another thread may open it too. */
  path?: string;
  /** Size on disk when known (for progress), else null. */
  size: number | null;
  lines(): AsyncGenerator<string>;
  /** The same lines in the batches they arrive in (one read chunk each): less per-line async overhead. */
  batches(): AsyncGenerator<string[]>;
  /** Raw bytes read so far (before gunzip). */
  bytesRead(): number;
  /** It was read in another thread, `bytes` of it (progress counts them as read here). */
  readElsewhere?(bytes: number): void;
  /** The lines cut to MAX_LINE_CHARS found since the last call, by line number (the batches they are in come after). */
  takeCuts?(): CutLine[];
  /** Bytes after its gzip data that begin no gzip member (junk, padding): ignored, as `gzip -d` does. */
  ignoredBytes?(): number;
  /** Another thread read it and ignored `bytes` after its gzip data. */
  ignoredElsewhere?(bytes: number): void;
}

/** A line longer than MAX_LINE_CHARS: only its start was kept. */
export interface CutLine {
  line: number;
  /** Its length in characters, as written. */
  length: number;
}

/**
 * The longest line kept whole (characters). A response body of thousands of images is a few
 * MB; a line past this is no log record (a dump, a binary file, a log without newlines) and
 * would hold its whole length in memory, past V8's longest string (2^29 characters) a run's
 * end: its start is read, the rest is skipped and counted (rule log/long-line).
 */
export const MAX_LINE_CHARS = 16 * 1024 * 1024;

export const STDIN_NAME = '<stdin>';

/**
 * Open a file (or `-` for stdin). Throws InputError naming the file when it cannot be read.
 * `interrupts`: where a Ctrl-C goes while a pipe given as a file (`<(…)`, a FIFO) is read.
 */
export async function openSource(
  name: string,
  stdin: Readable = process.stdin,
  interrupts?: Interrupts,
): Promise<LineSource> {
  let size: number | null = null;
  /** A pipe given as a file (`<(…)` is `/dev/fd/63`): another process writes it, it is read once. */
  let pipe = false;
  if (name !== '-') {
    try {
      const st = await stat(name);
      if (st.isDirectory()) throw new InputError(`${name}: is a directory`);
      pipe = st.isFIFO();
      size = pipe ? null : st.size;
    } catch (e) {
      if (e instanceof InputError) throw e;
      throw new InputError(`${name}: ${describeFsError(e)}`);
    }
  }
  let bytes = 0;
  let cuts: CutLine[] = [];
  let ignored = 0;
  const display = name === '-' ? STDIN_NAME : name;
  async function* batches(): AsyncGenerator<string[]> {
    // Opened when read, not when named: a directory of thousands of logs holds one descriptor at a time.
    const raw =
      name === '-' ? stdin : pipe ? writerStream(await openFd(display), display, interrupts) : createReadStream(name);
    const counted = countBytes(raw, (n) => {
      bytes += n;
    });
    const stream = await maybeGunzip(counted, (n) => {
      ignored = n;
    });
    try {
      yield* splitLines(stream, (cut) => cuts.push(cut));
    } catch (e) {
      throw new InputError(`${display}: ${describeFsError(e)}`);
    }
  }
  return {
    name: display,
    // Another thread may open a file too; a pipe is read once, here.
    ...(name === '-' || pipe ? {} : { path: name }),
    size,
    bytesRead: () => bytes,
    readElsewhere: (n) => {
      bytes = n;
    },
    ignoredBytes: () => ignored,
    ignoredElsewhere: (n) => {
      ignored = n;
    },
    takeCuts: () => {
      const taken = cuts;
      cuts = [];
      return taken;
    },
    batches,
    async *lines() {
      for await (const batch of batches()) yield* batch;
    },
  };
}

/** A pipe's descriptor: opening waits for its writer, as reading it would. */
function openFd(name: string): Promise<number> {
  return new Promise((resolve, reject) =>
    open(name, 'r', (e, fd) => (e ? reject(new InputError(`${name}: ${describeFsError(e)}`)) : resolve(fd))),
  );
}

/**
 * Split a byte stream into lines: LF or CRLF ends a line, a last line without a
 * newline is kept, invalid UTF-8 becomes U+FFFD; bytes after a UTF-16 byte-order mark are
 * UTF-16 (src/input/decode.ts). A long line arriving in many
 * chunks is joined once, not re-scanned per chunk; one longer than `maxLine` is cut
 * to its first `maxLine` characters (`onCut` is told before the batch holding it).
 */
export async function* splitLines(
  stream: AsyncIterable<Buffer | string>,
  onCut: (cut: CutLine) => void = () => {},
  maxLine = MAX_LINE_CHARS,
): AsyncGenerator<string[]> {
  const decoder = new ByteDecoder();
  /** The line being read: its parts kept so far, their length, and what was skipped of it. */
  let pending: string[] = [];
  let kept = 0;
  let skipped = 0;
  let lines = 0;
  const keep = (part: string) => {
    const room = maxLine - kept;
    if (part.length <= room) {
      if (part.length > 0) pending.push(part);
      kept += part.length;
    } else {
      if (room > 0) pending.push(part.slice(0, room));
      kept = maxLine;
      skipped += part.length - Math.max(room, 0);
    }
  };
  /** The line read so far with its last part, as one string; a CR before its LF is no part of it. */
  const line = (last: string): string => {
    lines++;
    if (pending.length === 0 && last.length <= maxLine) {
      return last.endsWith('\r') ? last.slice(0, -1) : last;
    }
    keep(last);
    const text = pending.join('');
    const whole = skipped === 0;
    if (!whole) onCut({ line: lines, length: kept + skipped });
    pending = [];
    kept = 0;
    skipped = 0;
    return whole && text.endsWith('\r') ? text.slice(0, -1) : text;
  };
  /** The lines `text` ends (none when it holds no newline); what follows its last newline is kept for the next. */
  const ended = (text: string): string[] | null => {
    let nl = text.indexOf('\n');
    if (nl < 0) {
      keep(text);
      return null;
    }
    const batch: string[] = [];
    let start = 0;
    while (nl >= 0) {
      batch.push(line(text.slice(start, nl)));
      start = nl + 1;
      nl = text.indexOf('\n', start);
    }
    if (start < text.length) keep(text.slice(start));
    return batch;
  };
  // A character a container runtime's cut split between two lines is joined before it is decoded.
  const characters = new SplitCharacters();
  for await (const chunk of stream) {
    const batch = ended(typeof chunk === 'string' ? chunk : decoder.write(characters.write(chunk)));
    if (batch) yield batch;
  }
  // The decoder may hold the first bytes of a short input until its end (too few to tell UTF-16).
  const batch = ended(decoder.write(characters.end()) + decoder.end()) ?? [];
  if (pending.length > 0 || skipped > 0) batch.push(line(''));
  if (batch.length > 0) yield batch;
}

async function* countBytes(src: Readable, add: (n: number) => void): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of src) {
      const b = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
      add(b.length);
      yield b;
    }
  } catch (e) {
    throw new InputError(describeFsError(e));
  }
}

/** The bytes, gunzipped when they begin as gzip (`onIgnored` is told of bytes after its data). */
async function maybeGunzip(chunks: AsyncGenerator<Buffer>, onIgnored: (bytes: number) => void): Promise<Readable> {
  const first = await chunks.next();
  const head = first.done ? Buffer.alloc(0) : first.value;
  const all = (async function* () {
    if (head.length > 0) yield head;
    for await (const c of chunks) yield c;
  })();
  const gzip = head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
  return Readable.from(gzip ? gunzipMembers(all, onIgnored) : all, { objectMode: false });
}

/** `x.gz: 4 bytes after its gzip data ignored (trailing garbage)` */
export function describeIgnored(name: string, bytes: number): string {
  return `${name}: ${bytes} byte${bytes === 1 ? '' : 's'} after its gzip data ignored (trailing garbage)`;
}

function describeFsError(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  switch (err?.code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    case 'Z_BUF_ERROR':
      return 'truncated gzip data';
    case 'Z_DATA_ERROR':
      return 'corrupt gzip data';
    default:
      return err?.message ?? String(e);
  }
}
