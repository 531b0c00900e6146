// explain tells a detach the API accepted and the compute host then failed (flow/detach-left-in-use),
// on the real client's recordings in samples/real-osc-plain/: with --debug and without.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ostrace, root } from '../cli/built-cli.js';

const recorded = (name: string) => join(root, 'samples/real-osc-plain', `${name}.log`);
const ROLLED_BACK =
  'shows it `in-use`, not `available`: the detach failed on the compute host after the API answered and was rolled back.';

describe('explain on a detach left in-use', () => {
  it('without --debug: the read after the detach, the services to read, and to run it again with --debug', () => {
    const r = ostrace(['explain', recorded('server-remove-volume-left-in-use')]);
    expect(r.code).toBe(1);
    const text = r.stdout.replace(/\s+/g, ' ');
    expect(text).toContain('1. `server remove volume vm1 vol1` was rolled back after the API accepted it');
    expect(text).toContain(
      `The client was told it worked, but its later read of volume vol1 (${recorded('server-remove-volume-left-in-use')}:26) ${ROLLED_BACK}`,
    );
    expect(text).toContain('Not given: the nova-compute, cinder-api logs');
    expect(text).toContain('Next: run it again with `--debug`, which logs every call it makes and the request ids');
  });

  it('with --debug: the DELETE answered 202, its request id to look up in nova-compute and cinder-api', () => {
    const r = ostrace(['explain', recorded('server-remove-volume-left-in-use-debug')]);
    expect(r.code).toBe(1);
    const text = r.stdout.replace(/\s+/g, ' ');
    expect(text).toContain('got HTTP 202 (request id req-bbed552b-db0d-4145-8242-6afa6e5e3bb0)');
    expect(text).toContain(ROLLED_BACK);
    expect(text).toContain(
      'Next: look up req-bbed552b-db0d-4145-8242-6afa6e5e3bb0 in the nova-api log, the nova-compute log, the cinder-api log.',
    );
  });

  it('a clean detach, read `available`, tells no rollback', () => {
    for (const name of ['server-remove-volume-available', 'server-remove-volume-available-debug'])
      expect(ostrace(['explain', recorded(name)]).stdout).not.toContain('rolled back');
  });
});
