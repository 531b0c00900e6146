// `npm run bench`: generates each kind of input deterministically, at each size —
// a console `openstack --debug` log, a real multi-service recording grown with
// shifted times and fresh ids, nova-api + nova-compute logs of an older cloud
// (no global request ids), osc's `--log-file` output, and the console log gzip'd and
// piped into stdin — and prints for each the MB/s and peak RSS of
// `ostrace analyze --format json > /dev/null`, next to `wc -l`, `grep -c` and lnav's
// indexing (`lnav -n -c ';SELECT count(*) FROM all_logs'`, when lnav is installed)
// on the same files in the same run. A benchmark, not a test: it never fails on time.
//
// OSTRACE_BENCH_KINDS=console,multi-service,old-services,log-file,console-gzip,console-stdin
// OSTRACE_BENCH_SIZES=20,200 (MB of log, before compression)
// OSTRACE_BENCH_DIR=DIR keeps the generated files there (and reuses them); by default
// they go to a temporary folder that is removed at the end.
import { spawn, spawnSync } from 'node:child_process';
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateLog, generateLogFile } from './generate.js';
import { growRecording, recordingDir } from './grow-recording.js';
import { generateOldServices } from './old-services.js';

const MB = 1024 * 1024;
const repo = fileURLToPath(new URL('../../../', import.meta.url));
const cli = fileURLToPath(new URL('../../bin/ostrace.js', import.meta.url));

interface Kind {
  name: string;
  /** What `grep -c` counts in it. */
  pattern: string;
  generate(dir: string, bytes: number): Promise<string[]>;
  /** How every tool reads the files: as named (the default), or piped to its stdin by `cat`. */
  via?: 'stdin';
}

/** gzip a generated file in place (`F` → `F.gz`): every tool reads the compressed file. */
async function gzipped(file: string): Promise<string> {
  await pipeline(createReadStream(file), createGzip(), createWriteStream(`${file}.gz`));
  rmSync(file);
  return `${file}.gz`;
}

/** The bytes a file holds once decompressed (a rate is per MB of log, compressed or not). */
async function plainBytes(file: string): Promise<number> {
  if (!file.endsWith('.gz')) return statSync(file).size;
  let n = 0;
  for await (const chunk of createReadStream(file).pipe(createGunzip())) n += (chunk as Buffer).length;
  return n;
}

/** One generated file in `dir`. */
const oneFile =
  (name: string, write: (file: string, bytes: number) => Promise<number>) =>
  async (dir: string, bytes: number): Promise<string[]> => {
    const file = join(dir, name);
    await write(file, bytes);
    return [file];
  };

const KINDS: Kind[] = [
  { name: 'console', pattern: 'REQ: curl', generate: oneFile('client.log', generateLog) },
  {
    name: 'multi-service',
    pattern: 'req-',
    generate: (dir, bytes) => growRecording(recordingDir(repo), dir, bytes),
  },
  { name: 'old-services', pattern: 'status: ', generate: generateOldServices },
  { name: 'log-file', pattern: 'REQ: curl', generate: oneFile('osc.log', generateLogFile) },
  {
    name: 'console-gzip',
    pattern: 'REQ: curl',
    generate: async (dir, bytes) => Promise.all((await oneFile('client.log', generateLog)(dir, bytes)).map(gzipped)),
  },
  { name: 'console-stdin', pattern: 'REQ: curl', via: 'stdin', generate: oneFile('client.log', generateLog) },
];

/**
 * A tool's command line on the files: as named, through `zcat` for the tools that cannot read
 * gzip (wc, grep), or piped by `cat` into its stdin (`-` for ostrace).
 */
function commandOf(kind: Kind, files: string[], tool: string[], stdinName: string | null): [string, string[]] {
  const gz = files.some((f) => f.endsWith('.gz'));
  const reader = kind.via === 'stdin' ? 'cat' : gz && stdinName === null ? 'zcat' : null;
  if (reader === null) return [tool[0]!, [...tool.slice(1), ...files]];
  const quoted = tool.map((t) => `'${t.replace(/'/g, "'\\''")}'`).join(' ');
  const last = kind.via === 'stdin' && stdinName ? ` ${stdinName}` : '';
  return ['sh', ['-c', `${reader} "$@" | ${quoted}${last}`, 'sh', ...files]];
}

interface Measured {
  seconds: number;
  peakRssMb: number | null;
  code: number | null;
  stderr: string;
}

const hasTime = existsSync('/usr/bin/time');

/**
 * Run a command with stdout to /dev/null: wall time, and peak RSS from GNU time
 * (`%M`), or else from sampling the child's VmHWM.
 */
function measure(cmd: string, args: string[], env?: NodeJS.ProcessEnv): Promise<Measured> {
  return new Promise((resolve) => {
    const report = join(tmpdir(), `ostrace-bench-time-${process.pid}`);
    const [c, a] = hasTime ? ['/usr/bin/time', ['-f', '%M', '-o', report, cmd, ...args]] : [cmd, args];
    const start = process.hrtime.bigint();
    const child = spawn(c, a, { stdio: ['ignore', 'ignore', 'pipe'], env: env ?? process.env });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-2000);
    });
    let peak: number | null = null;
    const timer = hasTime
      ? null
      : setInterval(() => {
          try {
            const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
            if (m) peak = Math.max(peak ?? 0, Number(m[1]) / 1024);
          } catch {
            /* gone */
          }
        }, 10);
    child.on('close', (code) => {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      if (timer) clearInterval(timer);
      if (hasTime) {
        const kb = Number(/(\d+)\s*$/.exec(readFileSync(report, 'utf8'))?.[1]);
        peak = Number.isFinite(kb) ? kb / 1024 : null;
        rmSync(report, { force: true });
      }
      resolve({ seconds, peakRssMb: peak, code, stderr });
    });
  });
}

const lnav = spawnSync('lnav', ['-V'], { encoding: 'utf8' }).status === 0;

async function inputOf(kind: Kind, mb: number, root: string): Promise<string[]> {
  const dir = join(root, `${kind.name}-${mb}`);
  const done = join(dir, 'files.json');
  if (existsSync(done)) return JSON.parse(readFileSync(done, 'utf8')) as string[];
  mkdirSync(dir, { recursive: true });
  process.stderr.write(`generating ${kind.name}, ${mb} MB …\n`);
  const files = await kind.generate(dir, mb * MB);
  writeFileSync(done, JSON.stringify(files));
  return files;
}

const fixed = (n: number | null, digits = 1) => (n === null || !Number.isFinite(n) ? '–' : n.toFixed(digits));

async function main(): Promise<void> {
  const kinds = (process.env.OSTRACE_BENCH_KINDS ?? KINDS.map((k) => k.name).join(',')).split(',');
  const sizes = (process.env.OSTRACE_BENCH_SIZES ?? '20,200').split(',').map(Number);
  const keep = process.env.OSTRACE_BENCH_DIR;
  const root = keep ?? mkdtempSync(join(tmpdir(), 'ostrace-bench-'));
  const lnavHome = mkdtempSync(join(tmpdir(), 'ostrace-bench-lnav-'));
  const rows: string[] = [];
  const seconds = new Map<string, number>();
  let ostraceEmpty: Measured | undefined;
  let lnavEmpty: Measured | null | undefined;
  try {
    for (const name of kinds) {
      const kind = KINDS.find((k) => k.name === name);
      if (!kind) throw new Error(`unknown kind ${name} (${KINDS.map((k) => k.name).join(', ')})`);
      for (const mb of sizes) {
        const files = await inputOf(kind, mb, root);
        let bytes = 0;
        for (const f of files) bytes += await plainBytes(f);
        const size = bytes / MB;
        // ostrace and lnav read gzip themselves; stdin is `-` for ostrace, implied for the others
        const ostrace = await measure(
          ...commandOf(kind, files, [process.execPath, cli, 'analyze', '--format', 'json'], '-'),
        );
        if (ostrace.code !== 0) process.stderr.write(`ostrace exited ${ostrace.code}: ${ostrace.stderr}\n`);
        const wc = await measure(...commandOf(kind, files, ['wc', '-l'], null));
        const grep = await measure(...commandOf(kind, files, ['grep', '-c', kind.pattern], null));
        const lnavRun = lnav
          ? await measure(...commandOf(kind, files, ['lnav', '-n', '-c', ';SELECT count(*) FROM all_logs'], ''), {
              ...process.env,
              HOME: lnavHome,
            })
          : null;
        const rate = (m: Measured | null) => (m ? size / m.seconds : null);
        const ratio = lnavRun ? rate(ostrace)! / rate(lnavRun)! : null;
        seconds.set(`${name}|${mb}`, ostrace.seconds);
        rows.push(
          `| ${name} | ${fixed(size)} | ${fixed(ostrace.seconds, 2)} | ${fixed(rate(ostrace))} | ${fixed(ostrace.peakRssMb, 0)} | ${fixed(rate(wc), 0)} | ${fixed(rate(grep), 0)} | ${fixed(rate(lnavRun))} | ${ratio === null ? '–' : `${ratio.toFixed(2)}×`} |`,
        );
        process.stderr.write(`${rows[rows.length - 1]}\n`);
      }
    }
    // What every run costs before its first line: an empty input, the median of three runs each.
    const empty = join(lnavHome, 'empty.log');
    writeFileSync(empty, '');
    const median = async (run: () => Promise<Measured>) => {
      const runs = [await run(), await run(), await run()].sort((a, b) => a.seconds - b.seconds);
      return runs[1]!;
    };
    ostraceEmpty = await median(() => measure(process.execPath, [cli, 'analyze', '--format', 'json', empty]));
    lnavEmpty = lnav
      ? await median(() =>
          measure('lnav', ['-n', '-c', ';SELECT count(*) FROM all_logs', empty], { ...process.env, HOME: lnavHome }),
        )
      : null;
  } finally {
    if (!keep) rmSync(root, { recursive: true, force: true });
    rmSync(lnavHome, { recursive: true, force: true });
  }
  process.stdout.write(
    [
      `node ${process.version}, ${new Date().toISOString().slice(0, 10)}; MB = MiB; ostrace = \`analyze --format json > /dev/null\``,
      '',
      '| input | MB | ostrace s | ostrace MB/s | peak RSS MB | `wc -l` MB/s | `grep -c` MB/s | lnav MB/s | ostrace / lnav |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...rows,
      '',
      `an empty input (what every run costs before its first line): ostrace ${fixed(ostraceEmpty?.seconds ?? null, 2)} s, ` +
        `${fixed(ostraceEmpty?.peakRssMb ?? null, 0)} MB peak RSS${lnavEmpty ? `; lnav ${fixed(lnavEmpty.seconds, 2)} s, ${fixed(lnavEmpty.peakRssMb, 0)} MB` : ''}`,
      '',
    ].join('\n'),
  );
  // growth: time ratio against size ratio between the smallest and largest size
  if (sizes.length > 1) {
    const lo = Math.min(...sizes);
    const hi = Math.max(...sizes);
    for (const name of kinds) {
      const a = seconds.get(`${name}|${lo}`);
      const b = seconds.get(`${name}|${hi}`);
      if (a && b) process.stdout.write(`${name}: ${hi / lo}× the input took ${(b / a).toFixed(1)}× the time\n`);
    }
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${(e as Error).message}\n`);
  process.exitCode = 1;
});
