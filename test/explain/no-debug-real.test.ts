// A failed `openstack …` piped into ostrace WITHOUT --debug prints one line, the error of the
// library that stopped it: it is a failed command, never "nothing to judge". The recordings in
// samples/real-osc-plain/ are the real client's; with the client installed the same commands run
// again here, against the fake cloud.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startFakeCloud } from '../fake-cloud/server.js';
import { onPath, runOpenstack } from '../fake-cloud/run-osc.js';
import { ostrace, root } from '../cli/built-cli.js';

const recorded = (name: string) => join(root, 'samples/real-osc-plain', `${name}.log`);

describe('explain on the real client output without --debug', () => {
  it.each([
    ['server-add-volume-no-volume', 'No Volume found for nosuchvol'],
    ['volume-show-not-found', "No volume with a name or ID of 'nosuchvol' exists."],
    ['server-list-no-auth-url', 'Missing value auth-url required for auth plugin password'],
    ['server-list-connection-refused', 'Unable to establish connection to http://127.0.0.1:9/v3/auth/tokens: '],
  ])('%s: a failed command, exit 1', (name, error) => {
    const r = ostrace(['explain', recorded(name)]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`1. a command whose start the log does not show failed: ${error}`);
    expect(r.stdout.replace(/\s+/g, ' ')).toContain('its exit status is not in the log: no --debug');
    expect(r.stdout.replace(/\s+/g, ' ')).toContain('Next: run it again with `--debug`');
  });

  it("argparse's usage and error: the command its usage names stopped in its argument parsing, exit 2", () => {
    const r = ostrace(['explain', recorded('server-add-volume-missing-argument')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      '1. `server add volume` (exit 2) stopped in its argument parsing: the following arguments are required: <volume>',
    );
    const text = r.stdout.replace(/\s+/g, ' ');
    // Its name is known, its arguments are not: never told as if `openstack server add volume` were the command line.
    expect(text).toContain(
      `\`openstack server add volume\` (${recorded('server-add-volume-missing-argument')}:1; its arguments are not in the log) stopped in its argument parsing, before the command ran (exit 2): argparse's error "the following arguments are required: <volume>".`,
    );
    expect(text).toContain('Next: run it again with <volume> given');
    expect(text).not.toContain('--debug');
  });

  it.each([
    [
      'volume-create-invalid-size',
      "argument --size: invalid int value: 'x'",
      "Next: give --size an int value, not 'x'.",
    ],
    [
      'server-add-volume-unrecognized-argument',
      'unrecognized arguments: --bogus',
      'Next: run it again without --bogus, which the command does not take',
    ],
  ])("%s: argparse's error is the reason, and Next says what it asked for", (name, error, next) => {
    const r = ostrace(['explain', recorded(name)]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`stopped in its argument parsing: ${error}`);
    expect(r.stdout.replace(/\s+/g, ' ')).toContain(next);
  });

  it('the JSON claims no argument the output does not show: argv empty, usageError, the name from the usage', () => {
    const r = ostrace(['analyze', '--format', 'json', recorded('server-add-volume-missing-argument')]);
    const report = JSON.parse(r.stdout) as {
      commands: Array<Record<string, unknown>>;
      explanations: Array<{ command: Record<string, unknown> }>;
      flows: unknown[];
    };
    expect(report.commands).toMatchObject([
      { argv: [], name: 'server add volume', exitCode: 2, usageError: true, exchanges: [] },
    ]);
    expect(report.explanations[0]!.command).toMatchObject({ argv: [], name: 'server add volume', usageError: true });
    expect(report.flows).toEqual([]);
  });

  it('with --debug: the token calls before argparse are not "the request went through", and no flow step is missing', () => {
    const log = recorded('server-add-volume-missing-argument-debug');
    const r = ostrace(['explain', log]);
    expect(r.code).toBe(1);
    const text = r.stdout.replace(/\s+/g, ' ');
    expect(text).toContain(
      `\`openstack server add volume vm1\` (${log}:1) stopped in its argument parsing, before the command ran (osc logged \`END return value: 1\`)`,
    );
    expect(text).not.toContain('went through');
    expect(text).not.toContain('never happened');
    expect(ostrace(['lint', log]).stdout).not.toContain('flow/missing-step');
  });

  it("a run in a pod: `oc rsh … openstack …`, and oc's `command terminated with exit code 1` its exit status", () => {
    const r = ostrace([
      'explain',
      'samples/field/oc-rsh-endpoint-list-discovery-failure/oc-rsh-endpoint-list-discovery-failure.log',
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('1. `endpoint list` (exit 1) failed: Could not find versioned identity endpoints');
  });

  it("keystoneauth's warning before the error is the run's, not an unrecognized line", () => {
    const r = ostrace(['analyze', '--format', 'json', recorded('server-list-connection-refused')]);
    const report = JSON.parse(r.stdout) as { inputs: Array<{ unrecognized: unknown[] }> };
    expect(report.inputs[0]!.unrecognized).toEqual([]);
  });

  it.each([
    ['server-add-volume-rolled-back', '`volume show vol1`', 36],
    ['server-add-volume-rolled-back-list', '`volume list`', 16],
    ['server-add-volume-rolled-back-value', '`volume show vol1 -f value -c status`', 13],
  ])('%s: an attach that printed no error, its volume then shown available, was rolled back', (name, read, row) => {
    const r = ostrace(['explain', recorded(name)]);
    expect(r.code).toBe(1);
    const text = r.stdout.replace(/\s+/g, ' ');
    expect(text).toContain('1. `server add volume vm1 vol1` was rolled back after the API accepted it');
    expect(text).toContain(
      `its later read of volume vol1 (${recorded(name)}:${row}) shows it \`available\`, not \`in-use\`: the attach failed after the API answered and was rolled back`,
    );
    expect(text).toContain('Next: run it again with `--debug`, which logs every call it makes and the request ids');
    const lint = ostrace(['lint', recorded(name)]);
    expect(lint.code).toBe(1);
    expect(lint.stdout).toContain(`${read} at ${recorded(name)}:${row} shows volume vol1 'available'`);
  });

  it.each([
    ['volume-create-error', '`volume show vol2`', 54],
    ['volume-create-error-list', '`volume list`', 35],
  ])(
    '%s: a create that printed no error, its volume then shown in error, failed after the API answered',
    (name, read, row) => {
      const r = ostrace(['explain', recorded(name)]);
      expect(r.code).toBe(1);
      const text = r.stdout.replace(/\s+/g, ' ');
      expect(text).toContain('1. `volume create --size 1 vol2` left volume vol2 `error` after the API accepted it');
      expect(text).toContain(
        `its later read of volume vol2 (${recorded(name)}:${row}) shows it \`error\`: the operation failed after the API answered`,
      );
      const lint = ostrace(['lint', recorded(name)]);
      expect(lint.stdout).toContain(`${read} at ${recorded(name)}:${row} shows volume vol2 'error'`);
      expect(lint.stdout).toContain('command/left-in-error');
    },
  );

  it.each(['server-add-volume-in-use', 'server-add-volume-then-remove', 'volume-create-creating'])(
    '%s: the volume in use, detached by a command in between, or still creating: no problem',
    (name) => {
      const r = ostrace(['explain', recorded(name)]);
      expect(r.stdout).toContain('No problem found');
      expect(r.code).toBe(0);
    },
  );

  it('a prompt in the paste names the command (samples/field/osc-server-list-ssl-no-debug)', () => {
    const r = ostrace(['explain', 'samples/field/osc-server-list-ssl-no-debug/osc-server-list-ssl-no-debug.log']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('1. `server list` failed: SSL exception connecting to https://ci-rhos');
  });
});

/** `openstack COMMAND 2>&1 | ostrace explain` run by sh against a fresh fake cloud: explain's exit and stdout. */
async function pipedIntoExplain(command: string, seed = 'no-debug-real') {
  const cloud = await startFakeCloud({ seed });
  try {
    const main = join(root, 'dist/bin/ostrace.js');
    return await runOpenstack(cloud, ['-c', `openstack ${command} 2>&1 | "${process.execPath}" "${main}" explain`], {
      executable: 'sh',
      debug: false,
      timeoutMs: 90_000,
    });
  } finally {
    await cloud.close();
  }
}

describe.skipIf(!onPath('openstack'))(
  'the real client without --debug, piped into explain',
  { timeout: 120_000 },
  () => {
    it('`openstack server add volume vm1 nosuchvol 2>&1 | ostrace explain` tells the failed lookup', async () => {
      const r = await pipedIntoExplain('server add volume vm1 nosuchvol');
      expect(r.exitCode).toBe(1);
      expect(r.stdout).toContain('failed: No Volume found for nosuchvol');
    });

    it('`openstack volume create --size x v 2>&1 | ostrace explain` tells argparse stopped it', async () => {
      const r = await pipedIntoExplain('volume create --size x v');
      expect(r.exitCode).toBe(1);
      expect(r.stdout).toContain(
        "`volume create` (exit 2) stopped in its argument parsing: argument --size: invalid int value: 'x'",
      );
    });

    it('an attach rolled back after the API answered, read by `volume show`: explain tells it, exit 1', async () => {
      const cloud = await startFakeCloud({ seed: 'no-debug-rolled-back', attachRolledBack: ['vol1'] });
      try {
        const main = join(root, 'dist/bin/ostrace.js');
        // A script traced by `set -x` (a CI job's): the shell names each command before its output.
        const session = 'openstack server add volume vm1 vol1; openstack volume show vol1';
        const r = await runOpenstack(
          cloud,
          ['-c', `(set -x; ${session}) 2>&1 | "${process.execPath}" "${main}" explain`],
          { executable: 'sh', debug: false, timeoutMs: 90_000 },
        );
        expect(r.exitCode).toBe(1);
        expect(r.stdout.replace(/\s+/g, ' ')).toContain('shows it `available`, not `in-use`: the attach failed');
      } finally {
        await cloud.close();
      }
    });
  },
);
