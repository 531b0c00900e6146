// `npm run bench`: MB/s and peak RSS of `ostrace analyze --format json` on a large
// generated log, next to `grep -c 'REQ: curl'` and `wc -l` on the same file. Peak RSS
// is mostly V8 taking room it does not need; the heap-capped row shows the live size.
// A benchmark, not a test: it prints numbers and never fails on time.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { generateLog } from './generate.js';

const MB = 1024 * 1024;
const HEAP_CAP_MB = 64;
const size = Number(process.env.OSTRACE_BENCH_MB ?? 120) * MB;
const file = process.env.OSTRACE_BENCH_FILE ?? '/tmp/ostrace-bench.log';
const cli = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

interface Measured {
  seconds: number;
  peakRssMb: number | null;
  stdoutBytes: number;
  code: number | null;
}

/** Run a command, sampling VmHWM (peak resident set) from /proc while it runs. */
function measure(cmd: string, args: string[]): Promise<Measured> {
  return new Promise((resolve) => {
    const start = process.hrtime.bigint();
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdoutBytes = 0;
    let peak: number | null = null;
    child.stdout.on('data', (c: Buffer) => {
      stdoutBytes += c.length;
    });
    const sample = () => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) peak = Math.max(peak ?? 0, Number(m[1]) / 1024);
      } catch {
        /* process gone */
      }
    };
    const timer = setInterval(sample, 20);
    child.on('exit', (code) => {
      clearInterval(timer);
      resolve({ seconds: Number(process.hrtime.bigint() - start) / 1e9, peakRssMb: peak, stdoutBytes, code });
    });
  });
}

async function main(): Promise<void> {
  if (!existsSync(file) || statSync(file).size < size) {
    process.stdout.write(`generating ${(size / MB).toFixed(0)} MB into ${file} …\n`);
    await generateLog(file, size);
  }
  const bytes = statSync(file).size;
  const runs: Array<[string, string, string[]]> = [
    ['ostrace analyze --format json', process.execPath, [cli, 'analyze', '--format', 'json', file]],
    // The same run with V8's old space capped: it completes only if live memory does not
    // grow with the log (rows beyond the newest few hundred live in a temp file).
    [
      `  … with a ${HEAP_CAP_MB} MB heap cap`,
      process.execPath,
      [`--max-old-space-size=${HEAP_CAP_MB}`, cli, 'analyze', '--format', 'json', file],
    ],
    ["grep -c 'REQ: curl'", 'grep', ['-c', 'REQ: curl', file]],
    ['wc -l', 'wc', ['-l', file]],
  ];
  process.stdout.write(`input: ${file}, ${(bytes / MB).toFixed(1)} MB\n\n`);
  process.stdout.write(
    `${'command'.padEnd(32)} ${'seconds'.padStart(8)} ${'MB/s'.padStart(8)} ${'peak RSS MB'.padStart(12)}\n`,
  );
  for (const [label, cmd, args] of runs) {
    const r = await measure(cmd, args);
    const rss = r.peakRssMb === null ? '?' : r.peakRssMb.toFixed(0);
    process.stdout.write(
      `${label.padEnd(32)} ${r.seconds.toFixed(2).padStart(8)} ${(bytes / MB / r.seconds).toFixed(1).padStart(8)} ${rss.padStart(12)}${r.code === 0 ? '' : `  (exit ${r.code})`}\n`,
    );
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${(e as Error).message}\n`);
  process.exitCode = 1;
});
