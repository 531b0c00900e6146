/**
 * Run the real `openstack` CLI (python-openstackclient) with `--debug` against a fake
 * cloud started by startFakeCloud(). Asynchronous on purpose: the fake cloud lives in
 * this same Node process, so a synchronous spawn would deadlock.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { existsSync } from 'node:fs';

/** What runOpenstack needs from a FakeCloud (kept structural so tests can stub it). */
export interface OscTarget {
  url: string;
  username: string;
  password: string;
  projectName: string;
  domainName: string;
}

export interface RunOpenstackOptions {
  /** Kill the client after this many ms (default 60000). */
  timeoutMs?: number;
  /** Extra environment variables (e.g. OS_CONNECT_RETRIES). Applied last. */
  env?: Record<string, string>;
  /** Executable to run (default "openstack", looked up on PATH). */
  executable?: string;
  /** Pass `--debug` (default true). */
  debug?: boolean;
  /** Override credentials (e.g. a wrong password). */
  username?: string;
  password?: string;
  /**
   * PYTHONHASHSEED for the client. Unset (default) = Python's random per-process seed, as
   * in real use: set iteration order then varies between runs, which changes e.g. the key
   * order of the SDK's JSON request bodies and of the `options: Namespace(...)` line.
   * record-samples.ts pins it to "0" so re-recordings are stable.
   */
  pythonHashSeed?: string;
  /**
   * Ctrl-C: SIGINT to the client `afterMs` after `when()` first holds (polled), as a user
   * stops a command that hangs; `job`: the client runs as a terminal's foreground job would, in a
   * process group of its own, and the signal goes to the whole group (a pipeline's every process).
   * `signal` SIGTERM: as coreutils `timeout` ends a job, to the client and then to its group.
   */
  interrupt?: { when: () => boolean; afterMs: number; job?: boolean; signal?: 'SIGINT' | 'SIGTERM' };
}

export interface RunOpenstackResult {
  stdout: string;
  stderr: string;
  /** Process exit code; null when it was killed by a signal (e.g. timeout). */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  durationMs: number;
  /** The full argv after the executable. */
  argv: string[];
}

/** True if `name` is an executable file somewhere on PATH. */
export function onPath(name: string): boolean {
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    if (dir !== '' && existsSync(join(dir, name))) return true;
  }
  return false;
}

/**
 * Run `openstack --debug ...args` against `cloud`. The child gets a clean environment:
 * only PATH/LANG from the parent, OS_* auth variables for the fake cloud, and a
 * temporary HOME / XDG dirs / cwd, plus OS_CLIENT_CONFIG_FILE pointing at an empty
 * clouds.yaml, so no user or site clouds.yaml can interfere.
 */
export async function runOpenstack(
  cloud: OscTarget,
  args: string[],
  opts: RunOpenstackOptions = {},
): Promise<RunOpenstackResult> {
  const home = await mkdtemp(join(tmpdir(), 'ostrace-osc-'));
  try {
    const xdgConfig = join(home, '.config');
    const xdgDirs = join(home, 'xdg');
    await mkdir(xdgConfig, { recursive: true });
    await mkdir(xdgDirs, { recursive: true });
    const cloudsYaml = join(home, 'clouds.yaml');
    await writeFile(cloudsYaml, 'clouds: {}\n');

    const env: Record<string, string> = {
      PATH: process.env['PATH'] ?? '/usr/local/bin:/usr/bin:/bin',
      LANG: 'C.UTF-8',
      LC_ALL: 'C.UTF-8',
      HOME: home,
      XDG_CONFIG_HOME: xdgConfig,
      XDG_CONFIG_DIRS: xdgDirs,
      XDG_CACHE_HOME: join(home, '.cache'),
      PYTHONDONTWRITEBYTECODE: '1',
      OS_CLIENT_CONFIG_FILE: cloudsYaml,
      OS_AUTH_URL: `${cloud.url}/identity`,
      OS_USERNAME: opts.username ?? cloud.username,
      OS_PASSWORD: opts.password ?? cloud.password,
      OS_PROJECT_NAME: cloud.projectName,
      OS_USER_DOMAIN_NAME: cloud.domainName,
      OS_PROJECT_DOMAIN_NAME: cloud.domainName,
      OS_IDENTITY_API_VERSION: '3',
      OS_REGION_NAME: 'RegionOne',
      ...(opts.pythonHashSeed !== undefined ? { PYTHONHASHSEED: opts.pythonHashSeed } : {}),
      ...opts.env,
    };
    const argv = [...(opts.debug === false ? [] : ['--debug']), ...args];
    const started = Date.now();
    const child = spawn(opts.executable ?? 'openstack', argv, {
      cwd: home,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: opts.interrupt?.job === true,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    const interrupt = opts.interrupt;
    const poll =
      interrupt &&
      setInterval(() => {
        if (!interrupt.when()) return;
        clearInterval(poll);
        setTimeout(() => {
          const signal = interrupt.signal ?? 'SIGINT';
          if (signal === 'SIGTERM') child.kill(signal);
          if (interrupt.job) process.kill(-child.pid!, signal);
          else if (signal === 'SIGINT') child.kill(signal);
        }, interrupt.afterMs);
      }, 50);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, opts.timeoutMs ?? 60_000);
    const { code, signal } = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>(
      (resolve, reject) => {
        child.once('error', reject);
        child.once('close', (c, s) => resolve({ code: c, signal: s }));
      },
    ).finally(() => {
      clearTimeout(timer);
      if (poll) clearInterval(poll);
    });
    return {
      stdout: Buffer.concat(out).toString('utf8'),
      stderr: Buffer.concat(err).toString('utf8'),
      exitCode: code,
      signal,
      timedOut,
      durationMs: Date.now() - started,
      argv,
    };
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}
