// What the log cannot confirm: an attach, a detach or a volume create the API accepted goes on
// asynchronously, so
// with the client log alone and no later read of the volume the verdict says so (the seed's
// single `server add volume`), and stays quiet when a later read shows how it ended (minicloud
// 01), when a problem already tells the command (04), or when service logs were given.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runPipelineOnText } from '../../src/pipeline.js';
import { recording } from '../recording.js';

const seed = () =>
  runPipelineOnText([
    {
      name: 'client.log',
      text: readFileSync(new URL('../../samples/seed-attach-volume/client.log', import.meta.url), 'utf8'),
    },
  ]).result;
const clientOnly = (dir: string) => recording(dir).filter((i) => i.name === 'client.log');

describe('explain: accepted operations the log cannot confirm', () => {
  it("lists the seed's attach: accepted with 200, nothing after it", () => {
    const run = seed();
    expect(run.explanations).toEqual([]);
    expect([...(run.unconfirmed ?? [])]).toEqual([
      {
        operation: 'attach',
        volume: 'liangr',
        server: 'vm-ml-1',
        command: {
          name: 'server add volume',
          argv: ['--debug', 'server', 'add', 'volume', 'vm-ml-1', 'liangr'],
          source: 'client.log',
          line: 1,
        },
        call: { status: 200, requestId: 'req-31c17aa4-13bb-46ba-b8da-73a075a4ef38', source: 'client.log', line: 50 },
      },
    ]);
  });

  it('is quiet when a later read of the volume shows how it ended (01: read in-use, then available)', () => {
    expect(runPipelineOnText(clientOnly('01-attach-detach')).result.unconfirmed).toBeUndefined();
  });

  it('lists the detach when the read after it is cut off (01 without its last volume show)', () => {
    const text = clientOnly('01-attach-detach')[0]!.text;
    const commands = text.split(/(?=^===== \S+ \S+ \$ )/m);
    const run = runPipelineOnText([{ name: 'client.log', text: commands.slice(0, -1).join('') }]).result;
    expect(run.unconfirmed?.map((u) => [u.operation, u.volume, u.server, u.call.status])).toEqual([
      ['detach', 'vol-01', 'srv-01', 202],
    ]);
  });

  it('lists a volume create the client never read after (07 cut after its create), quiet once read (01, 07)', () => {
    const text = clientOnly('07-volume-create-no-valid-backend')[0]!.text;
    const commands = text.split(/(?=^===== \S+ \S+ \$ )/m);
    const show = commands.findIndex((c) => c.includes('$ openstack --debug volume show'));
    const run = runPipelineOnText([{ name: 'client.log', text: commands.slice(0, show).join('') }]).result;
    expect([...(run.unconfirmed ?? [])]).toEqual([
      {
        operation: 'create',
        volume: 'vol-07',
        server: null,
        command: {
          name: 'volume create',
          argv: ['--debug', 'volume', 'create', '--size', '1', '--type', 'no-backend', 'vol-07'],
          source: 'client.log',
          line: 2,
        },
        call: { status: 202, requestId: 'req-8c4bc214-80f5-462e-a667-badc9c184584', source: 'client.log', line: 41 },
      },
    ]);
    // The whole 07: its read shows the create failed, a problem (command/left-in-error), not an open question.
    expect(runPipelineOnText(clientOnly('07-volume-create-no-valid-backend')).result.unconfirmed).toBeUndefined();
  });

  it('lists an extend the client never read after (12 cut after its volume set), by the name an earlier read gave', () => {
    const text = clientOnly('12-extend-attached')[0]!.text;
    const commands = text.split(/(?=^===== \S+ \S+ \$ )/m);
    const set = commands.findIndex((c) => c.includes('volume set --size 2'));
    const run = runPipelineOnText([{ name: 'client.log', text: commands.slice(0, set + 1).join('') }]).result;
    expect(
      run.unconfirmed?.map((u) => [u.operation, u.volume, u.command.name, u.call.status, u.call.requestId]),
    ).toEqual([['extend', 'vol-12', 'volume set', 202, 'req-994a205b-5b69-4c36-bf6d-1a2c27942842']]);
    // 21: the same extend, read in-use at size 2 afterwards.
    expect(runPipelineOnText(clientOnly('21-extend-attached-ok')).result.unconfirmed).toBeUndefined();
  });

  it('leaves a command a problem already tells (04) and runs with service logs alone', () => {
    expect(runPipelineOnText(clientOnly('04-attach-driver-error')).result.unconfirmed).toBeUndefined();
    expect(runPipelineOnText(recording('01-attach-detach')).result.unconfirmed).toBeUndefined();
  });
});
