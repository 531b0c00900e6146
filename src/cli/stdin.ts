// The process's standard input as the program reads it (src/cli/worker.ts): read by the
// program's own thread, and only once the program reads it — a run over files leaves it unread
// for whoever reads it next (`while read f; do ostrace analyze "$f"; done < list`).
import { fstatSync, read as readFd } from 'node:fs';
import { Readable } from 'node:stream';
import { writerStream, type Interrupts } from '../input/writer-stream.js';

/** Bytes asked of one read(2) of standard input, as a file stream reads a file. */
const STDIN_CHUNK = 64 * 1024;

/**
 * Standard input: a pipe or socket (a stream another process writes, src/input/writer-stream.ts)
 * through the event loop, which a Ctrl-C can cut; a file (`< saved.log`) or device by read(2) calls. Read here rather
 * than relayed by the bin's thread: relayed, each chunk was allocated by one thread and copied
 * into another, and glibc's per-thread arenas kept what both freed (200 MB read through `-`:
 * 150 MB peak RSS, 132 read as a file).
 */
export function processStdin(interrupts: Interrupts): Readable {
  let source: Readable | null = null;
  // A wrapper, so that nothing of fd 0 is touched until the program reads it.
  const stdin: Readable = new Readable({
    read() {
      if (source !== null) return void source.resume();
      source = written() ? writerStream(0, 'standard input', interrupts) : fileOfStdin();
      source.on('data', (chunk: Buffer) => {
        if (!stdin.push(chunk)) source?.pause();
      });
      // A stream cut after Ctrl-C closes without an end of its own.
      source.once('end', () => stdin.push(null));
      source.once('close', () => stdin.push(null));
      source.once('error', (e) => stdin.destroy(e));
      source.resume();
    },
    destroy(error, callback) {
      source?.destroy();
      callback(error);
    },
  });
  return stdin;
}

/** Standard input is written by another process as ostrace reads it: a pipe, a FIFO, a socket. */
function written(): boolean {
  try {
    const st = fstatSync(0);
    return st.isFIFO() || st.isSocket();
  } catch {
    return false;
  }
}

/** A file or device on fd 0, read by read(2) calls. */
function fileOfStdin(): Readable {
  let spare: Buffer | null = null;
  return new Readable({
    highWaterMark: STDIN_CHUNK,
    read() {
      const buffer = spare ?? Buffer.allocUnsafeSlow(STDIN_CHUNK);
      spare = null;
      const attempt = () =>
        readFd(0, buffer, 0, STDIN_CHUNK, null, (e, n) => {
          // A non-blocking descriptor (its writer's choice) with nothing in it yet: wait, as a blocking read would.
          if (e?.code === 'EAGAIN') return void setTimeout(attempt, 10);
          if (e) return void this.destroy(e);
          if (n === 0) return void this.push(null);
          // A short read (a pipe's few lines) is copied out and the chunk kept for the next read.
          if (n < STDIN_CHUNK / 2) {
            spare = buffer;
            this.push(Buffer.from(buffer.subarray(0, n)));
          } else this.push(buffer.subarray(0, n));
        });
      attempt();
    },
  });
}
