// flow/attach-rolled-back on the real minicloud recordings: an attach nova-api accepted whose
// volume the client read `available` afterwards (04: the backend failed initialize_connection,
// the attachment was deleted) is told from the client log alone; a clean attach, a multiattach
// volume's second attach and an attach detached again before any settled read are not.
import { describe, expect, it } from 'vitest';
import { recording } from '../recording.js';
import { lintTexts, of } from './helpers.js';

const RULE = 'flow/attach-rolled-back';
const clientOnly = (dir: string) => recording(dir).filter((i) => i.name === 'client.log');

describe('flow/attach-rolled-back', () => {
  it("tells 04's attach from the client log alone: accepted with 200, the volume read `available` after it", () => {
    const [f, ...rest] = of(lintTexts(clientOnly('04-attach-driver-error')), RULE);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ severity: 'error', source: 'client.log', line: 205 });
    expect(f!.message).toBe(
      'POST /v2.1/servers/23298385-064c-49b9-8680-7b28594fd76b/os-volume_attachments was accepted (HTTP 200, ' +
        'request id req-25947822-c9a4-46d4-8181-7a50c86c12ed), but volume vol-04 read at client.log:264 is ' +
        "'available', not 'in-use': the attach failed after the API answered and was rolled back (nova-compute " +
        'and cinder-volume logs tell why)',
    );
  });

  it('fires with the service logs too (the client read is the same)', () => {
    expect(of(lintTexts(recording('04-attach-driver-error')), RULE)).toHaveLength(1);
  });

  it('is quiet when another command on the volume ran before the first read (01 without its reads after the attach)', () => {
    const text = clientOnly('01-attach-detach')[0]!.text;
    const commands = text.split(/(?=^===== \S+ \S+ \$ )/m);
    expect(commands.map((c) => /\$ openstack --debug (?:--\S+ \S+ )?(\S+ \S+)/.exec(c)?.[1])).toEqual([
      'volume create',
      'volume show',
      'server create',
      'server add',
      'volume show',
      'volume show',
      'server remove',
      'volume show',
    ]);
    // The volume is read `available` only after the detach: that tells of the detach.
    const cut = [...commands.slice(0, 4), ...commands.slice(6)].join('');
    expect(of(lintTexts([{ name: 'client.log', text: cut }]), RULE)).toEqual([]);
  });

  it.each([
    ['01-attach-detach', 'attached: read in-use, then detached and read available'],
    ['10-multiattach', "a multiattach volume's two attaches, each read in-use"],
    ['03-attach-in-use-error', 'the second attach refused by the API: no accepted attach to judge'],
    ['25-shelve-two-volumes', 'two volumes attached, shelved and unshelved, detached'],
  ])('is quiet on %s (%s)', (dir) => {
    expect(of(lintTexts(clientOnly(dir)), RULE)).toEqual([]);
    expect(of(lintTexts(recording(dir)), RULE)).toEqual([]);
  });
});

describe('flow/attach-rolled-back over a long run', () => {
  it('tells each attach by its own read when one volume is attached 800 times in 1,200 commands', () => {
    // 04's attach and its read, as a run repeating "attach, attach again, read": the first
    // attach of each three is cut off from the read by the second (a command on the same volume
    // and server), the second is read `available`. The volume and server are named by every command.
    const lines = clientOnly('04-attach-driver-error')[0]!.text.split('\n');
    const attach = lines.slice(128, 223);
    const read = lines.slice(223, 278);
    const times = 400;
    const text = Array.from({ length: times }, () => [...attach, ...attach, ...read].join('\n')).join('\n') + '\n';
    const found = of(lintTexts([{ name: 'client.log', text }]), RULE);
    const block = 2 * attach.length + read.length;
    // The second attach's call (its line 77) and the read's volume list (its line 41).
    expect(found.map((f) => f.line)).toEqual(Array.from({ length: times }, (_, k) => k * block + attach.length + 77));
    expect(found.map((f) => /read at client\.log:(\d+)/.exec(f.message)?.[1])).toEqual(
      Array.from({ length: times }, (_, k) => String(k * block + 2 * attach.length + 41)),
    );
  });
});
