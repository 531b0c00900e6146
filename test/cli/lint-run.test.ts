// `ostrace run -- openstack …` with the REAL openstack client against the fake cloud.
// Skipped when `openstack` is not on PATH (apt-get install -y python3-openstackclient).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startFakeCloud } from '../fake-cloud/server.js';
import { onPath, runOpenstack } from '../fake-cloud/run-osc.js';

const main = join(new URL('../../', import.meta.url).pathname, 'dist/bin/ostrace.js');
const HAVE_OSC = onPath('openstack');

/** Runs `node main.js run … -- openstack ARGS` with the clean fake-cloud environment runOpenstack builds. */
async function ostraceRun(options: Parameters<typeof startFakeCloud>[0], runArgs: string[], args: string[]) {
  const cloud = await startFakeCloud(options);
  try {
    return await runOpenstack(cloud, [main, 'run', ...runArgs, '--', 'openstack', ...args], {
      executable: process.execPath,
      debug: false,
      timeoutMs: 90_000,
    });
  } finally {
    await cloud.close();
  }
}

describe.skipIf(!HAVE_OSC)('ostrace run -- openstack (real client, fake cloud)', { timeout: 120_000 }, () => {
  it('passes stdout and exit 0 through; the report goes to stderr', async () => {
    const r = await ostraceRun({ seed: 'run-list' }, [], ['server', 'list', '-f', 'value', '-c', 'Name']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('vm1\n');
    expect(r.stderr).toContain('server list');
    expect(r.stderr).toMatch(/GET +\/compute\/v2\.1\/servers\/detail +200/);
    expect(r.stderr).not.toContain('REQ: curl');
  });

  it("with --lint, a 500 gives the finding on stderr and the command's exit code 1", async () => {
    const r = await ostraceRun(
      { seed: 'run-500', rules: [{ method: 'POST', pathRegex: 'os-volume_attachments', action: { status: 500 } }] },
      ['--lint'],
      ['server', 'add', 'volume', 'vm1', 'vol1'],
    );
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      / {2}error {2}POST \/compute\/v2\.1\/servers\/\S+\/os-volume_attachments returned 500.* {2}http\/server-error$/m,
    );
  });

  it('with --lint on a clean attach: exit 0 and no error', async () => {
    const r = await ostraceRun(
      { seed: 'run-ok' },
      ['--lint', '--format', 'github'],
      ['server', 'add', 'volume', 'vm1', 'vol1'],
    );
    expect(r.exitCode).toBe(0);
    expect(r.stderr).not.toContain('::error');
  });
});

describe.skipIf(!HAVE_OSC)('Ctrl-C on a hung command (real client, fake cloud)', { timeout: 120_000 }, () => {
  // nova takes the attach POST and never answers; Ctrl-C goes to the foreground job, every process of it.
  const hang = {
    rules: [{ method: 'POST', pathRegex: /\/servers\/[^/]+\/os-volume_attachments$/, action: 'hang' as const }],
  };
  async function ctrlC(seed: string, args: string[], signal: 'SIGINT' | 'SIGTERM' = 'SIGINT') {
    const cloud = await startFakeCloud({ ...hang, seed });
    try {
      return await runOpenstack(cloud, args, {
        executable: 'sh',
        debug: false,
        timeoutMs: 90_000,
        interrupt: { when: () => cloud.served.some((s) => s.status === null), afterMs: 1000, job: true, signal },
      });
    } finally {
      await cloud.close();
    }
  }

  it('`openstack --debug … 2>&1 | ostrace explain` still tells the call the command was waiting for', async () => {
    const r = await ctrlC('ctrl-c-pipe', [
      '-c',
      `openstack --debug server add volume vm1 vol1 2>&1 | "${process.execPath}" "${main}" explain`,
    ]);
    expect(r.stderr).toBe(
      'ostrace: Ctrl-C: reading what standard input still has, then reporting (Ctrl-C again stops at once)\n',
    );
    expect(r.stdout.replace(/\s+/g, ' ')).toContain(
      '`openstack server add volume vm1 vol1` (<stdin>:1) exited 130 (interrupted: Ctrl-C); its POST /compute/v2.1/servers/0b7e1f6c-2d4a-4c35-9a51-3f0d8c2b9e11/os-volume_attachments got no response before it was interrupted',
    );
  });

  it('`ostrace run -- openstack …` reports on stderr and exits 130, as the command did', async () => {
    const r = await ctrlC('ctrl-c-run', [
      '-c',
      `exec "${process.execPath}" "${main}" run -- openstack server add volume vm1 vol1`,
    ]);
    expect(r.exitCode).toBe(130);
    expect(r.stderr).toContain('`server add volume` failed (exit 130)');
    expect(r.stderr).toContain('no response logged');
    expect(r.stderr.replace(/\s+/g, ' ')).toContain('exited 130 (interrupted: Ctrl-C)');
  });

  // A CI job's timeout (coreutils `timeout`, a runner cancelling the job) sends SIGTERM to the
  // command and to its whole process group; the client dies of it without a word (no `END`).
  it('`timeout … sh -c "openstack --debug … 2>&1 | ostrace explain"` still tells the call it was waiting for', async () => {
    const r = await ctrlC(
      'sigterm-pipe',
      ['-c', `openstack --debug server add volume vm1 vol1 2>&1 | "${process.execPath}" "${main}" explain`],
      'SIGTERM',
    );
    expect(r.stdout.replace(/\s+/g, ' ')).toContain(
      '`openstack server add volume vm1 vol1` (<stdin>:1): its end is not in the log; its POST /compute/v2.1/servers/0b7e1f6c-2d4a-4c35-9a51-3f0d8c2b9e11/os-volume_attachments got no response',
    );
  });

  it('`timeout … ostrace run -- openstack …` reports on stderr and exits 143', async () => {
    const r = await ctrlC(
      'sigterm-run',
      ['-c', `exec "${process.execPath}" "${main}" run -- openstack server add volume vm1 vol1`],
      'SIGTERM',
    );
    expect(r.exitCode).toBe(143);
    expect(r.stderr.replace(/\s+/g, ' ')).toContain(
      'its POST /compute/v2.1/servers/0b7e1f6c-2d4a-4c35-9a51-3f0d8c2b9e11/os-volume_attachments got no response',
    );
  });
});
