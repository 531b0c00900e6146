// Ctrl-C in `openstack --debug server add volume … 2>&1 | ostrace explain` reaches both
// processes (src/cli/interrupts.ts). The input is the real client's output for a POST nova never
// answered, stopped by Ctrl-C (samples/real-osc/server-add-volume-hang-interrupted.log): until the
// interrupt every line but cliff's last two, which the client writes as it handles the signal.
import { spawn, type ChildProcess } from 'node:child_process';
import {
  createWriteStream,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
  type WriteStream,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { root } from './built-cli.js';

const cli = join(root, 'dist/bin/ostrace.js');
const recorded = readFileSync(join(root, 'samples/real-osc/server-add-volume-hang-interrupted.log'), 'utf8');
const cut = recorded.lastIndexOf('clean_up AddServerVolume: \n');
/** What the client wrote before Ctrl-C, and what it writes as it handles it. */
const beforeCtrlC = recorded.slice(0, cut);
const atCtrlC = recorded.slice(cut);

let dir = '';
/** The programs a test started, stopped if it fails before they end. */
const started: ChildProcess[] = [];
afterEach(() => {
  for (const child of started.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = '';
});

interface Ended {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** What the program wrote so far, and all of it once it ends. */
function ended(child: ChildProcess): { so: Ended; done: Promise<Ended> } {
  started.push(child);
  const so: Ended = { code: null, stdout: '', stderr: '' };
  child.stdout?.on('data', (c: Buffer) => (so.stdout += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (so.stderr += c.toString()));
  return { so, done: new Promise((resolve) => child.once('close', (code) => resolve({ ...so, code }))) };
}

/** The program took the Ctrl-C as one for the stream it reads (the client then handles its own). */
const tookCtrlC = (so: Ended) => so.stderr.includes('ostrace: Ctrl-C: reading what');

async function until(done: () => boolean, what: string): Promise<void> {
  for (let waited = 0; !done(); waited += 20) {
    if (waited > 30_000) throw new Error(`waited 30 s for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The program reads `fd` through the event loop: libuv made it non-blocking. */
function readsThroughLoop(pid: number, fd: number | string): boolean {
  const flags = /^flags:\s+([0-7]+)/m.exec(readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8'));
  return flags !== null && (parseInt(flags[1]!, 8) & 0o4000) !== 0;
}

const readsStdin = (pid: number) => readsThroughLoop(pid, 0);

/** The program reads the FIFO at `path`, opened as a file, through the event loop. */
function readsFifo(pid: number, path: string): boolean {
  const fd = readdirSync(`/proc/${pid}/fd`).find((n) => {
    try {
      return readlinkSync(`/proc/${pid}/fd/${n}`) === path;
    } catch {
      return false;
    }
  });
  return fd !== undefined && readsThroughLoop(pid, fd);
}

/** `ostrace explain FIFO` reading what the client wrote before Ctrl-C, the client still writing. */
async function explainOfFifo(): Promise<{
  fifo: string;
  ostrace: ChildProcess;
  result: ReturnType<typeof ended>;
  client: WriteStream;
}> {
  const fifo = await fifoIn();
  const ostrace = spawn(process.execPath, [cli, 'explain', fifo], { env });
  const result = ended(ostrace);
  const client = createWriteStream(fifo);
  client.write(beforeCtrlC);
  await until(() => readsFifo(ostrace.pid!, fifo), 'ostrace to read the FIFO');
  return { fifo, ostrace, result, client };
}

async function fifoIn(): Promise<string> {
  dir = mkdtempSync(join(tmpdir(), 'ostrace-interrupt-'));
  const fifo = join(dir, 'pipe');
  await new Promise((resolve) => spawn('mkfifo', [fifo]).once('close', resolve));
  return fifo;
}

const env = { ...process.env, NO_COLOR: '1' };

/**
 * `ostrace run -- STAND-IN server add volume vm1 vol1`, once the stand-in for the hung client
 * (`run` adds --debug to its argv) wrote its output so far and set `trap` (DIR: the test's
 * directory; AT: the path of what cliff writes at Ctrl-C).
 */
async function runHungClient(trap: string): Promise<{ ostrace: ChildProcess; result: ReturnType<typeof ended> }> {
  dir = mkdtempSync(join(tmpdir(), 'ostrace-interrupt-'));
  const before = join(dir, 'before.log');
  const running = join(dir, 'running');
  writeFileSync(before, beforeCtrlC);
  writeFileSync(join(dir, 'at.log'), atCtrlC);
  const client = join(dir, 'openstack');
  writeFileSync(
    client,
    `#!/bin/sh\ncat "${before}" >&2\n${trap.replace('AT', join(dir, 'at.log')).replace('DIR', dir)}\ntouch "${running}"\nfor i in $(seq 600); do sleep 0.1; done\n`,
    { mode: 0o755 },
  );
  const ostrace = spawn(process.execPath, [cli, 'run', '--', client, 'server', 'add', 'volume', 'vm1', 'vol1'], {
    env,
  });
  const result = ended(ostrace);
  await until(() => existsSync(running), 'the command to start');
  return { ostrace, result };
}

describe.skipIf(process.platform !== 'linux')('Ctrl-C while a piped command runs', { timeout: 60_000 }, () => {
  it("reads the client's last lines after Ctrl-C from a shell pipe, then tells the call left waiting", async () => {
    const fifo = await fifoIn();
    // `exec`: the shell's pid is ostrace's, reading the FIFO as a pipeline's stdin.
    const ostrace = spawn('sh', ['-c', `exec "${process.execPath}" "${cli}" explain < "${fifo}"`], { env });
    const result = ended(ostrace);
    const client = createWriteStream(fifo);
    client.write(beforeCtrlC);
    await until(() => readsStdin(ostrace.pid!), 'ostrace to read the pipe');
    ostrace.kill('SIGINT');
    await until(() => tookCtrlC(result.so), 'ostrace to take the Ctrl-C');
    // The client got the same Ctrl-C: cliff logs clean_up and END, and the pipe closes.
    client.end(atCtrlC);
    const { code, stdout, stderr } = await result.done;
    expect(stderr).toBe(
      'ostrace: Ctrl-C: reading what standard input still has, then reporting (Ctrl-C again stops at once)\n',
    );
    expect(code).toBe(1);
    expect(stdout).toContain('`openstack server add volume vm1 vol1` (<stdin>:1) exited 130 (interrupted: Ctrl-C)');
    expect(stdout.replace(/\s+/g, ' ')).toContain(
      'its POST /compute/v2.1/servers/0b7e1f6c-2d4a-4c35-9a51-3f0d8c2b9e11/os-volume_attachments got no response before it was interrupted',
    );
  });

  it('cuts the input when its writer goes on after Ctrl-C, and reports what was read', async () => {
    const ostrace = spawn(process.execPath, [cli, 'analyze', '--format', 'json'], { env });
    const result = ended(ostrace);
    ostrace.stdin.write(beforeCtrlC);
    await until(() => readsStdin(ostrace.pid!), 'ostrace to read its stdin');
    ostrace.kill('SIGINT');
    // The writer never ends: nothing but the cut ends the input.
    const { code, stdout, stderr } = await result.done;
    expect(stderr).toContain(
      'ostrace: standard input cut 2 s after Ctrl-C (its writer went on): the report covers what was read\n',
    );
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as { inputs: Array<{ lines: number }>; explanations: Array<{ title: string }> };
    expect(report.inputs[0]!.lines).toBe(beforeCtrlC.split('\n').length - 1);
    expect(report.explanations.map((p) => p.title)).toEqual([
      '`server add volume` failed at compute POST /servers/{server_id}/os-volume_attachments → no response',
    ]);
    ostrace.stdin.destroy();
  });

  it('reports when the writer closes the stream as Ctrl-C comes, whichever the program sees first', async () => {
    for (let attempt = 0; attempt < 3; attempt++) {
      const { ostrace, result, client } = await explainOfFifo();
      // The client handles the same Ctrl-C at once: its last lines and the pipe's end race the signal.
      ostrace.kill('SIGINT');
      client.end(atCtrlC);
      const { code, stdout } = await result.done;
      expect(code).toBe(1);
      expect(stdout.replace(/\s+/g, ' ')).toContain('exited 130 (interrupted: Ctrl-C)');
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('stops at once on a second Ctrl-C, as without one', async () => {
    const ostrace = spawn(process.execPath, [cli, 'explain'], { env });
    const result = ended(ostrace);
    ostrace.stdin.write(beforeCtrlC);
    await until(() => readsStdin(ostrace.pid!), 'ostrace to read its stdin');
    ostrace.kill('SIGINT');
    await until(() => tookCtrlC(result.so), 'ostrace to take the Ctrl-C');
    ostrace.kill('SIGINT');
    const { code, stdout } = await result.done;
    expect(code).toBe(130);
    expect(stdout).toBe('');
    ostrace.stdin.destroy();
  });

  it('cuts a pipe given as a file (`<(…)`, a FIFO) the same way', async () => {
    const { fifo, ostrace, result, client } = await explainOfFifo();
    ostrace.kill('SIGINT');
    await until(() => tookCtrlC(result.so), 'ostrace to take the Ctrl-C');
    client.end(atCtrlC);
    const { code, stdout, stderr } = await result.done;
    expect(stderr).toBe(
      `ostrace: Ctrl-C: reading what ${fifo} still has, then reporting (Ctrl-C again stops at once)\n`,
    );
    expect(code).toBe(1);
    expect(stdout.replace(/\s+/g, ' ')).toContain(
      `\`openstack server add volume vm1 vol1\` (${fifo}:1) exited 130 (interrupted: Ctrl-C)`,
    );
  });

  it('`run`: a Ctrl-C sent to ostrace alone is passed on to the command, whose last lines are reported', async () => {
    // On SIGINT the stand-in writes what cliff writes, and exits 130.
    const { ostrace, result } = await runHungClient(`trap 'cat "AT" >&2; exit 130' INT`);
    ostrace.kill('SIGINT');
    const { code, stderr } = await result.done;
    expect(code).toBe(130);
    expect(stderr).toContain('exited 130 (interrupted: Ctrl-C)');
  });
});

// A CI job's timeout sends SIGTERM: coreutils `timeout` to its command and then to its whole
// process group (the command gets it twice), a runner cancelling the job to every process.
describe.skipIf(process.platform !== 'linux')('SIGTERM while a piped command runs', { timeout: 60_000 }, () => {
  const tookSigterm = (so: Ended) => so.stderr.includes('ostrace: SIGTERM: reading what');

  it('reads what the pipe still has, reports, and exits 143; the same SIGTERM twice is one', async () => {
    const ostrace = spawn(process.execPath, [cli, 'explain'], { env });
    const result = ended(ostrace);
    ostrace.stdin.write(beforeCtrlC);
    await until(() => readsStdin(ostrace.pid!), 'ostrace to read its stdin');
    // As `timeout` sends it: to the command, then to its group (the second after the first was handled).
    ostrace.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 30));
    ostrace.kill('SIGTERM');
    // The writer goes on (its own SIGTERM did not reach it): the cut ends the input.
    const { code, stdout, stderr } = await result.done;
    expect(stderr).toBe(
      'ostrace: SIGTERM: reading what standard input still has, then reporting (another signal stops at once)\n' +
        'ostrace: standard input cut 2 s after SIGTERM (its writer went on): the report covers what was read\n',
    );
    // Stopped is never passed, whatever the report found.
    expect(code).toBe(143);
    expect(stdout.replace(/\s+/g, ' ')).toContain(
      'its POST /compute/v2.1/servers/0b7e1f6c-2d4a-4c35-9a51-3f0d8c2b9e11/os-volume_attachments got no response',
    );
    ostrace.stdin.destroy();
  });

  it('says so when the input had just ended (its writer got the same SIGTERM first), and reports', async () => {
    const fifo = await fifoIn();
    // A second input keeps the run busy after the pipe ended: the signal comes while it is read.
    const big = join(dir, 'big.log');
    writeFileSync(big, readFileSync(join(root, 'samples/seed-attach-volume/client.log'), 'utf8').repeat(300));
    const ostrace = spawn(process.execPath, [cli, 'explain', fifo, big], { env });
    const result = ended(ostrace);
    const writer = createWriteStream(fifo);
    writer.end(beforeCtrlC);
    await new Promise<void>((r) => writer.once('close', () => r()));
    await new Promise((r) => setTimeout(r, 100));
    ostrace.kill('SIGTERM');
    const { code, stdout, stderr } = await result.done;
    expect(stderr).toBe('ostrace: SIGTERM: the input had just ended, reporting (another signal stops at once)\n');
    expect(code).toBe(143);
    expect(stdout).toContain('Verdict');
  });

  it('stops at once on a signal after the one taken', async () => {
    for (const [again, exit] of [
      ['SIGTERM', 143],
      ['SIGINT', 130],
    ] as const) {
      const ostrace = spawn(process.execPath, [cli, 'explain'], { env });
      const result = ended(ostrace);
      ostrace.stdin.write(beforeCtrlC);
      await until(() => readsStdin(ostrace.pid!), 'ostrace to read its stdin');
      ostrace.kill('SIGTERM');
      await until(() => tookSigterm(result.so), 'ostrace to take the SIGTERM');
      // Later than the same signal sent twice (`timeout`): a second request.
      await new Promise((r) => setTimeout(r, 400));
      ostrace.kill(again);
      const { code, stdout } = await result.done;
      expect(code).toBe(exit);
      expect(stdout).toBe('');
      ostrace.stdin.destroy();
    }
  });

  it('`run`: SIGTERM sent to ostrace alone is passed on to the command at once', async () => {
    // The stand-in notes the SIGTERM it gets (and only that one).
    const { ostrace, result } = await runHungClient(`trap 'touch "DIR/terminated"; exit 143' TERM`);
    const terminated = join(dir, 'terminated');
    ostrace.kill('SIGTERM');
    const { code, stderr } = await result.done;
    expect(existsSync(terminated)).toBe(true);
    expect(code).toBe(143);
    expect(stderr.replace(/\s+/g, ' ')).toContain(
      'its POST /compute/v2.1/servers/0b7e1f6c-2d4a-4c35-9a51-3f0d8c2b9e11/os-volume_attachments got no response',
    );
  });
});
