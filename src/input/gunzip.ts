// gzip data read as `gzip -d` reads it: members one after another are one stream, and bytes
// after the last member that begin no member (junk appended, a copy tool's zero padding) are
// ignored and counted. Node's gunzip took such bytes for a member: "corrupt gzip data", and
// the lines of the chunk before them lost. Each member is inflated raw, its header and trailer
// read here, so where it ends is known to the byte.
import zlib from 'node:zlib';

const FHCRC = 0x02;
const FEXTRA = 0x04;
const FNAME = 0x08;
const FCOMMENT = 0x10;
const RESERVED_FLAGS = 0xe0;

/**
 * Compressed bytes inflated at a time: what they inflate to is held at once, up to ~1000 times
 * as much (a 64 KB read of repeated log lines is 8 MB).
 */
const INFLATE_STEP_BYTES = 16 * 1024;

/** Node 20.15 added zlib.crc32; before it the trailer's length alone is checked. */
const crc32 = (zlib as { crc32?: (data: Buffer, value: number) => number }).crc32;

/** An error with the code node:zlib gives the same fault (read.ts names both codes). */
function gzipError(message: string, code: 'Z_DATA_ERROR' | 'Z_BUF_ERROR'): Error {
  return Object.assign(new Error(message), { code });
}
const truncated = () => gzipError('unexpected end of file', 'Z_BUF_ERROR');

/** The input's bytes, with a look-ahead that can be put back. */
class ByteQueue {
  private held: Buffer = Buffer.alloc(0);
  private done = false;
  constructor(private readonly chunks: AsyncIterator<Buffer>) {}

  /** At least `n` bytes held, unless the input ends first: whether they are. */
  async fill(n: number): Promise<boolean> {
    while (this.held.length < n && !this.done) {
      const next = await this.chunks.next();
      if (next.done) this.done = true;
      else if (next.value.length > 0) this.held = Buffer.concat([this.held, next.value]);
    }
    return this.held.length >= n;
  }

  get buffered(): Buffer {
    return this.held;
  }

  take(n: number): Buffer {
    const taken = this.held.subarray(0, n);
    this.held = this.held.subarray(n);
    return taken;
  }

  /** The bytes held, else the next chunk, at most `max` of them; null at the end of the input. */
  async next(max = Infinity): Promise<Buffer | null> {
    if (this.held.length > 0 || (await this.fill(1))) return this.take(Math.min(max, this.held.length));
    return null;
  }

  /** Bytes taken but not used go back in front. */
  unread(bytes: Buffer): void {
    this.held = this.held.length === 0 ? bytes : Buffer.concat([bytes, this.held]);
  }

  /** Skip `n` bytes (never held all at once: a header field may be large). */
  async skip(n: number): Promise<void> {
    while (n > 0) {
      const chunk = await this.next();
      if (chunk === null) throw truncated();
      if (chunk.length > n) this.unread(chunk.subarray(n));
      n -= Math.min(n, chunk.length);
    }
  }

  /** Skip past the next zero byte (the end of a header's file name or comment). */
  async skipPastZero(): Promise<void> {
    for (;;) {
      const chunk = await this.next();
      if (chunk === null) throw truncated();
      const zero = chunk.indexOf(0);
      if (zero >= 0) {
        this.unread(chunk.subarray(zero + 1));
        return;
      }
    }
  }
}

/** A member's header (RFC 1952 2.3), read past; its magic bytes were seen. */
async function skipHeader(q: ByteQueue): Promise<void> {
  if (!(await q.fill(10))) throw truncated();
  const header = q.take(10);
  if (header[2] !== 8) throw gzipError('unknown compression method', 'Z_DATA_ERROR');
  const flags = header[3]!;
  if (flags & RESERVED_FLAGS) throw gzipError('unknown header flags set', 'Z_DATA_ERROR');
  if (flags & FEXTRA) {
    if (!(await q.fill(2))) throw truncated();
    await q.skip(q.take(2).readUInt16LE(0));
  }
  if (flags & FNAME) await q.skipPastZero();
  if (flags & FCOMMENT) await q.skipPastZero();
  if (flags & FHCRC) await q.skip(2);
}

/** A member's deflate data, inflated as it arrives; its trailer checked. */
async function* inflateMember(q: ByteQueue): AsyncGenerator<Buffer> {
  const inflate = zlib.createInflateRaw();
  const out: Buffer[] = [];
  let failure: Error | null = null;
  let ended = false;
  let onEnd = () => {};
  inflate.on('data', (b: Buffer) => out.push(b));
  inflate.on('error', (e) => {
    failure = e;
    onEnd();
  });
  inflate.on('end', () => {
    ended = true;
    onEnd();
  });
  let crc = 0;
  let size = 0;
  function* drain(): Generator<Buffer> {
    while (out.length > 0) {
      const b = out.shift()!;
      if (crc32) crc = crc32(b, crc);
      size += b.length;
      yield b;
    }
  }
  try {
    let written = 0;
    for (;;) {
      const chunk = await q.next(INFLATE_STEP_BYTES);
      if (chunk === null) throw truncated();
      await new Promise<void>((resolve) => {
        onEnd = resolve;
        inflate.write(chunk, () => resolve());
      });
      if (failure) throw failure;
      written += chunk.length;
      yield* drain();
      // Input not taken: the deflate data ended inside this chunk (or right before it).
      const left = written - inflate.bytesWritten;
      if (left > 0) {
        q.unread(chunk.subarray(chunk.length - left));
        break;
      }
    }
    if (!ended) await new Promise<void>((resolve) => (onEnd = resolve));
    if (failure) throw failure;
    yield* drain();
  } finally {
    inflate.destroy();
  }
  if (!(await q.fill(8))) throw truncated();
  const trailer = q.take(8);
  if (crc32 && trailer.readUInt32LE(0) !== crc >>> 0) throw gzipError('incorrect data check', 'Z_DATA_ERROR');
  if (trailer.readUInt32LE(4) !== size % 2 ** 32) throw gzipError('incorrect length check', 'Z_DATA_ERROR');
}

/**
 * The data of the gzip members in `chunks`, which begin with one. Bytes after a member that
 * begin no other member are read to the end and counted, not inflated: `onIgnored` is told
 * how many.
 */
export async function* gunzipMembers(
  chunks: AsyncIterable<Buffer>,
  onIgnored: (bytes: number) => void = () => {},
): AsyncGenerator<Buffer> {
  const q = new ByteQueue(chunks[Symbol.asyncIterator]());
  let first = true;
  while (await q.fill(1)) {
    const isMember = (await q.fill(2)) && q.buffered[0] === 0x1f && q.buffered[1] === 0x8b;
    if (!isMember && !first) {
      let ignored = 0;
      for (let chunk = await q.next(); chunk !== null; chunk = await q.next()) ignored += chunk.length;
      onIgnored(ignored);
      return;
    }
    if (!isMember) throw q.buffered.length < 2 ? truncated() : gzipError('incorrect header check', 'Z_DATA_ERROR');
    first = false;
    await skipHeader(q);
    yield* inflateMember(q);
  }
}
