// Writing generated benchmark inputs: chunks to a file, with back-pressure.
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';

/** Write `chunk(0)`, `chunk(1)`, … (`count` of them, or until one returns null) to `path`; bytes written. */
export async function writeAll(path: string, count: number, chunk: (i: number) => string | null): Promise<number> {
  const out = createWriteStream(path);
  let written = 0;
  for (let i = 0; i < count; i++) {
    const text = chunk(i);
    if (text === null) break;
    written += Buffer.byteLength(text);
    if (!out.write(text)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return written;
}
