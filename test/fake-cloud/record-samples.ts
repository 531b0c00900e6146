/**
 * Record every scenario in scenarios.ts with the real `openstack --debug` client against
 * the fake cloud, and write
 *   samples/real-osc/<scenario>.log          the client's stderr, as recorded
 *   samples/real-osc/<scenario>.served.json  the fake cloud's ground truth:
 *                                            [{method, path, status, requestId}, ...]
 *   samples/real-osc/index.json              scenario list: name, description, argv, exitCode
 *
 * Recordings use a fixed port (default 18080) and a per-scenario seed, so request ids,
 * tokens (and so their {SHA256} hashes) and generated ids are the same on every
 * re-recording (the client runs with PYTHONHASHSEED=0, so Python set/dict-from-set
 * orders are stable too); Date headers, token timestamps, created_at of new resources and Python
 * object addresses (`<... object at 0x7f...>`) still change.
 *
 * Usage (Node 20 cannot run .ts directly):
 *   npx tsc -p . && node dist/test/fake-cloud/record-samples.js [--port 18080] [--only a,b] [--out DIR]
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFakeCloud } from './server.js';
import { runOpenstack, onPath } from './run-osc.js';
import type { RunOpenstackResult } from './run-osc.js';
import { interruptOf, SCENARIOS } from './scenarios.js';

function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        const name = (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: unknown }).name;
        if (name === 'ostrace') return dir;
      } catch {
        // keep walking
      }
    }
    const up = dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
}

function parseArgs(argv: string[]): { port: number; only: Set<string> | null; out: string } {
  let port = 18080;
  let only: Set<string> | null = null;
  let out = join(repoRoot(), 'samples', 'real-osc');
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = argv[i + 1];
    if (a === '--port' && v !== undefined) {
      port = Number(v);
      i++;
    } else if (a === '--only' && v !== undefined) {
      only = new Set(
        v
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s !== ''),
      );
      i++;
    } else if (a === '--out' && v !== undefined) {
      out = resolve(v);
      i++;
    } else {
      throw new Error(`unknown argument ${a ?? ''}`);
    }
  }
  return { port, only, out };
}

async function main(): Promise<number> {
  const { port, only, out } = parseArgs(process.argv.slice(2));
  if (!onPath('openstack')) {
    process.stderr.write('openstack is not on PATH: apt-get install -y python3-openstackclient\n');
    return 2;
  }
  await mkdir(out, { recursive: true });
  const index: Array<{ name: string; description: string; argv: string[]; exitCode: number | null }> = [];
  let failures = 0;
  for (const sc of SCENARIOS) {
    if (only && !only.has(sc.name)) continue;
    const cloud = await startFakeCloud({ ...sc.cloud, port, seed: sc.name });
    let result: RunOpenstackResult;
    try {
      result = await runOpenstack(cloud, sc.args, {
        env: sc.env ?? {},
        timeoutMs: 120_000,
        pythonHashSeed: '0',
        interrupt: interruptOf(sc, cloud.served),
      });
    } finally {
      await cloud.close();
    }
    const served = cloud.served.map(({ method, path, status, requestId }) => ({ method, path, status, requestId }));
    await writeFile(join(out, `${sc.name}.log`), result.stderr);
    await writeFile(join(out, `${sc.name}.served.json`), JSON.stringify(served, null, 2) + '\n');
    index.push({
      name: sc.name,
      description: sc.description,
      argv: ['openstack', ...result.argv],
      exitCode: result.exitCode,
    });
    const ok = result.exitCode === sc.expectExit && !result.timedOut;
    if (!ok) failures++;
    process.stdout.write(
      `${ok ? 'ok  ' : 'FAIL'} ${sc.name}: exit ${String(result.exitCode)} (expected ${sc.expectExit}), ` +
        `${served.length} served, ${result.stderr.split('\n').length} log lines, ${result.durationMs} ms\n`,
    );
  }
  if (only === null) await writeFile(join(out, 'index.json'), JSON.stringify(index, null, 2) + '\n');
  return failures === 0 ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
