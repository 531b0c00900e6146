// The program thread's first code (dist/bin/ostrace-cli.js): it compiles the program's bundle
// (dist/bin/ostrace-program.cjs, src/cli/worker.ts and all it imports) with the V8 code cache
// the build made beside it (dist/bin/ostrace-program.cache), then runs it. Parsing and compiling
// over a megabyte of JavaScript is a fixed cost of every run, also of `openstack --debug … | ostrace
// analyze` on a few hundred lines; with the cache V8 skips most of it. The cache is used only
// for the exact program it was made from (a SHA-256 of the program's bytes heads the file) and V8
// itself refuses it for another V8 or other flags: then the program is compiled as without one.
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync, writeSync } from 'node:fs';
// A namespace: the bundle's banner declares its own `createRequire`.
import * as nodeModule from 'node:module';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';
import { workerData } from 'node:worker_threads';
import type { ToProgram } from './worker-protocol.js';

const DIGEST_BYTES = 32;

const programPath = fileURLToPath(new URL('./ostrace-program.cjs', import.meta.url));
const cachePath = fileURLToPath(new URL('./ostrace-program.cache', import.meta.url));

/** The program's text, wrapped as Node wraps a CommonJS module, and the SHA-256 of its bytes. */
function readProgram(): { wrapped: string; digest: Buffer } {
  const bytes = readFileSync(programPath);
  return {
    wrapped: (nodeModule.Module as unknown as { wrap(code: string): string }).wrap(bytes.toString()),
    digest: createHash('sha256').update(bytes).digest(),
  };
}

const { wrapped, digest } = readProgram();

/** The cache's V8 data when it was made from this very program, else undefined. */
function cachedDataFor(): Buffer | undefined {
  let file: Buffer;
  try {
    file = readFileSync(cachePath);
  } catch {
    return undefined;
  }
  if (file.length <= DIGEST_BYTES || !file.subarray(0, DIGEST_BYTES).equals(digest)) return undefined;
  return file.subarray(DIGEST_BYTES);
}

/** The program compiled (the cache is garbage once it is). */
function compile(): Script {
  const cachedData = cachedDataFor();
  const start = performance.now();
  // Only the wrapped text is kept (V8 compiles the program's functions from it as they are first called).
  const compiled = new Script(wrapped, { filename: programPath, cachedData });
  if (process.env.OSTRACE_TRACE_STAGES) {
    const how =
      cachedData === undefined
        ? 'no code cache for this program'
        : compiled.cachedDataRejected
          ? 'code cache refused by V8'
          : 'code cache';
    writeSync(2, `ostrace: program compiled in ${(performance.now() - start).toFixed(0)} ms (${how})\n`);
  }
  return compiled;
}

const script = compile();
const programModule = { exports: {} };
(script.runInThisContext() as (...args: unknown[]) => void).call(
  programModule.exports,
  programModule.exports,
  nodeModule.createRequire(programPath),
  programModule,
  programPath,
  fileURLToPath(new URL('.', import.meta.url)),
);

// The build (src/cli/prepare-bin.ts) runs the bin once on a sample with this set: the cache
// then holds the functions a run compiles, not only the top level.
if ((workerData as ToProgram).writeCodeCache) {
  process.once('exit', () => {
    const data = script.createCachedData();
    const temporary = `${cachePath}.${process.pid}`;
    writeFileSync(temporary, Buffer.concat([digest, data]));
    renameSync(temporary, cachePath);
  });
}
