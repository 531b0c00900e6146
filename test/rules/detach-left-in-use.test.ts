// flow/detach-left-in-use on the real client's recordings (samples/real-osc-plain, fake cloud
// option detachRolledBack): a detach nova-api accepted with 202 whose volume the client read
// `in-use` afterwards is told, with --debug at the DELETE call and without it at the command's
// prompt; a clean detach read `available`, a multiattach volume detached from one of its two
// servers (minicloud 10) and the other minicloud recordings are not.
import { describe, expect, it } from 'vitest';
import { recording } from '../recording.js';
import { lintSample, lintTexts, of } from './helpers.js';

const RULE = 'flow/detach-left-in-use';
const plain = (name: string) => `samples/real-osc-plain/${name}.log`;

describe('flow/detach-left-in-use', () => {
  it('tells the --debug run at its DELETE call: accepted with 202, the volume read `in-use` after it', () => {
    const [f, ...rest] = of(lintSample(plain('server-remove-volume-left-in-use-debug')), RULE);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ severity: 'error', line: 74 });
    expect(f!.message).toBe(
      'DELETE /compute/v2.1/servers/0b7e1f6c-2d4a-4c35-9a51-3f0d8c2b9e11/os-volume_attachments/' +
        '6f3c2a1e-8b9d-4e07-a2c4-5d6e7f809a1b was accepted (HTTP 202, request id ' +
        'req-bbed552b-db0d-4145-8242-6afa6e5e3bb0), but volume vol1 read at ' +
        "samples/real-osc-plain/server-remove-volume-left-in-use-debug.log:118 is 'in-use', not 'available': the " +
        'detach failed on the compute host after the API answered and was rolled back (nova-compute logs tell why)',
    );
    expect(f!.observed).toMatchObject({ resource: 'volume', name: 'vol1', state: 'in-use', line: 118 });
  });

  it("tells the run without --debug at the detach's prompt, its evidence the table's status row", () => {
    const [f, ...rest] = of(lintSample(plain('server-remove-volume-left-in-use')), RULE);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ severity: 'error', line: 1, exchange: null });
    expect(f!.message).toContain(
      "`volume show vol1` at samples/real-osc-plain/server-remove-volume-left-in-use.log:26 shows volume vol1 'in-use', not 'available'",
    );
    expect(f!.observed).toMatchObject({ resource: 'volume', name: 'vol1', state: 'in-use', line: 26 });
  });

  it.each(['server-remove-volume-available', 'server-remove-volume-available-debug'])(
    'is quiet on %s (the detach done: the volume read `available`)',
    (name) => {
      expect(of(lintSample(plain(name)), RULE)).toEqual([]);
    },
  );

  it.each(['server-remove-volume-multiattach', 'server-remove-volume-multiattach-debug'])(
    'is quiet on %s (a multiattach volume detached from vm1 stays in-use on vm2)',
    (name) => {
      expect(of(lintSample(plain(name)), RULE)).toEqual([]);
    },
  );

  it.each([
    ['01-attach-detach', 'attached, detached, then read available'],
    ['10-multiattach', 'detached from one of its two servers: still in-use on the other'],
    ['25-shelve-two-volumes', 'two volumes attached, shelved and unshelved, detached'],
  ])('is quiet on minicloud %s (%s)', (dir) => {
    expect(of(lintTexts(recording(dir).filter((i) => i.name === 'client.log')), RULE)).toEqual([]);
    expect(of(lintTexts(recording(dir)), RULE)).toEqual([]);
  });
});
