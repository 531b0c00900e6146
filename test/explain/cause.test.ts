// A failed detach whose cause is an earlier operation (samples/minicloud/12, a real
// recording: `volume set --size 2` was accepted with 202, cinder-volume failed the extend
// and left the volume error_extending, the detach then got 400 from cinder-api). The
// story tells the extend first, from the call that started it, and the detach's story
// names the extend as the cause (rule flow/caused-by-resource-state).
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runPipelineOnText } from '../../src/pipeline.js';

const root = fileURLToPath(new URL('../../samples/minicloud/', import.meta.url));
const dir = `${root}12-extend-attached/`;

function explanations(from = dir) {
  const names = readdirSync(from)
    .filter((n) => n.endsWith('.log'))
    .sort();
  return runPipelineOnText(names.map((name) => ({ name, text: readFileSync(`${from}${name}`, 'utf8') }))).result
    .explanations!;
}

describe('explain: a failure caused by an earlier operation (minicloud 12)', () => {
  it('tells the failed extend from the POST os-extend the client got 202 for, failing at cinder-volume', () => {
    const [extend] = explanations();
    expect(extend!.command).toMatchObject({ name: 'volume set', exitCode: 0 });
    // Not the GET /volumes/detail whose request id cinderclient sent as the global id of the POST.
    expect(extend!.clientCall).toMatchObject({ method: 'POST', status: 202 });
    expect(extend!.clientCall!.requestId).toBe('req-994a205b-5b69-4c36-bf6d-1a2c27942842');
    expect(extend!.firstError).toMatchObject({
      service: 'cinder-volume',
      source: 'cinder-volume.log',
      line: 23,
      flow: 'server/extend-volume',
    });
    expect(extend!.title).not.toContain('no response');
    expect(extend!.resource?.states.map((s) => [s.when, s.status]).at(-1)).toEqual(['after', 'error_extending']);
  });

  it('names the extend as the cause of the detach 400, and not the services the refusal never reached', () => {
    const [, detach, ...rest] = explanations();
    expect(rest).toEqual([]);
    expect(detach!.command).toMatchObject({ name: 'server remove volume', exitCode: 1 });
    expect(detach!.firstError).toMatchObject({
      service: 'cinder-api',
      status: 400,
      source: 'cinder-api.log',
      line: 208,
    });
    expect(detach!.cause).toMatchObject({
      flow: 'server/extend-volume',
      state: 'error_extending',
      source: 'cinder-volume.log',
      line: 23,
    });
    expect(detach!.text).toContain('It was refused because an earlier server/extend-volume operation left volume');
    expect(detach!.followed.map((f) => f.kind)).not.toContain('silent');
  });
});

describe('explain: an attach refused because the volume create had failed (minicloud 07)', () => {
  const stories = () => explanations(`${root}07-volume-create-no-valid-backend/`);

  it("tells the failed create first, at the scheduler's NoValidBackend line", () => {
    const [create] = stories();
    expect(create!.command).toMatchObject({ name: 'volume create', exitCode: 0 });
    expect(create!.firstError).toMatchObject({ service: 'cinder-scheduler', source: 'cinder-scheduler.log', line: 25 });
    // The client's own read of the volume (command/left-in-error) says the create failed after the 202.
    expect(create!.text).toContain('its later read of volume vol-07 (client.log:114) shows it `error`');
    expect(create!.text).toContain('It first went wrong at cinder-scheduler');
  });

  it('names the failed create as the cause of the attach 400, with what to do about a volume that never existed', () => {
    const [, attach, ...rest] = stories();
    expect(rest).toEqual([]);
    expect(attach!.command).toMatchObject({ name: 'server add volume', exitCode: 1 });
    expect(attach!.firstError).toMatchObject({
      service: 'cinder-api',
      call: 'POST /attachments',
      status: 400,
      source: 'cinder-api.log',
      line: 79,
    });
    expect(attach!.cause).toMatchObject({
      flow: 'server/volume-create',
      step: 'scheduler-failed',
      state: 'error',
      source: 'cinder-scheduler.log',
      line: 25,
      resourceId: 'f5f69092-9577-4b84-8753-a5d16663d7b0',
    });
    expect(attach!.text).toContain(
      'It was refused because an earlier server/volume-create operation left volume f5f69092-9577-4b84-8753-a5d16663d7b0 `error` (cinder-scheduler.log:25',
    );
    expect(attach!.text).toContain('delete the volume and create it again');
  });
});

// The client's log alone (minicloud 07's client.log): no service log tells why the attach got its
// 400, but the client's own later read showed the created volume `error` (command/left-in-error),
// so that command is named as the cause. The run's left-in-error findings are read once for all
// its stories, not once per refused call.
describe('explain: the client log alone names the create whose volume a read showed in error', () => {
  it('the attach 400 is caused by `volume create`, at its accepted call', () => {
    const name = 'client.log';
    const text = readFileSync(`${root}07-volume-create-no-valid-backend/${name}`, 'utf8');
    const stories = [...runPipelineOnText([{ name, text }]).result.explanations!];
    const attach = stories.find((x) => x.command?.name === 'server add volume');
    expect(attach!.cause).toEqual({
      flow: 'volume create',
      step: 'accepted',
      source: name,
      line: 41,
      requestId: null,
      globalRequestId: null,
      resource: 'volume',
      resourceId: 'f5f69092-9577-4b84-8753-a5d16663d7b0',
      state: 'error',
    });
  });
});
