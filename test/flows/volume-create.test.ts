// server/volume-create on the real minicloud recordings: every recording creates its volume
// and each create replays complete (or, where cinder-api refused it, as that refusal alone);
// minicloud 07's create fails at the scheduler and leaves the volume error. The services of
// a cloud that logs at INFO write no DEBUG line: the flow's required steps are INFO lines, so
// the same recordings with their DEBUG lines removed replay the same way.
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runPipelineOnText } from '../../src/pipeline.js';
import type { FlowResult } from '../../src/model/flow-schema.js';
import type { SampleEvent } from '../../src/flows/grammar-schema.js';
import { loadFlowFile } from '../../src/flows/load.js';
import { flowSetFor, replayRun } from '../../src/flows/index.js';
import { sampleRun } from '../../src/flows/selftest.js';

const root = fileURLToPath(new URL('../../samples/minicloud/', import.meta.url));
const recordings = readdirSync(root)
  .filter((d) => /^\d\d-/.test(d))
  .sort();

const withoutDebug = (text: string) =>
  text
    .split('\n')
    .filter((l) => !l.includes(' DEBUG '))
    .join('\n');

function creates(dir: string, opts: { skip?: string[]; info?: boolean } = {}): FlowResult[] {
  const names = readdirSync(`${root}${dir}`)
    .filter((n) => n.endsWith('.log') && !(opts.skip ?? []).includes(n))
    .sort();
  const inputs = names.map((name) => {
    const text = readFileSync(`${root}${dir}/${name}`, 'utf8');
    return { name, text: opts.info ? withoutDebug(text) : text };
  });
  return runPipelineOnText(inputs).result.flows.filter((f) => f.flow === 'server/volume-create');
}

const happened = (f: FlowResult) => f.steps.filter((s) => s.status !== 'skipped').map((s) => [s.step, s.status]);
const NO_BACKEND = '07-volume-create-no-valid-backend';
const VOLUME_07 = 'f5f69092-9577-4b84-8753-a5d16663d7b0';

describe('server/volume-create on the minicloud recordings', () => {
  for (const info of [false, true]) {
    it(`every create replays complete, the volume available${info ? ' (services at INFO)' : ''}`, () => {
      let complete = 0;
      for (const dir of recordings.filter((d) => d !== NO_BACKEND)) {
        for (const f of creates(dir, { info })) {
          expect([dir, f.verdict, f.leaves?.state]).toEqual([dir, 'complete', 'available']);
          expect(f.leaves?.id).toBe(f.captures?.volume);
          complete++;
        }
      }
      // 01, 04, 09–29 create their volume inside the recording (20 its first one only; 22's
      // migration target is no create of its own: the retype's, at INFO too, where the os-retype's
      // body is not seen and cinder-api's "Retype volume request issued" names the operation; 25,
      // 27 and 28 create two).
      expect(complete).toBe(26);
    });
  }

  it('minicloud 07: NoValidBackend in the scheduler, cinder-volume never asked, the volume left error', () => {
    const [f, ...rest] = creates(NO_BACKEND);
    expect(rest).toEqual([]);
    expect(f!.requestId).toBe('req-8c4bc214-80f5-462e-a667-badc9c184584');
    expect(happened(f!)).toEqual([
      ['create-request', 'matched'],
      ['create-issued', 'matched'],
      ['scheduler-all-filtered', 'matched'],
      ['scheduler-failed', 'failed'],
      ['volume-set-error', 'matched'],
    ]);
    expect(f!.leaves).toMatchObject({
      id: VOLUME_07,
      state: 'error',
      step: 'scheduler-failed',
      source: 'cinder-scheduler.log',
      line: 25,
    });
  });

  it('minicloud 07 at INFO: the volume id comes from the INFO "Filtering removed all hosts" line', () => {
    const [f] = creates(NO_BACKEND, { info: true });
    expect(happened(f!)).toEqual([
      ['create-request', 'matched'],
      ['create-issued', 'matched'],
      ['scheduler-all-filtered', 'matched'],
      ['scheduler-failed', 'failed'],
    ]);
    expect(f!.leaves).toMatchObject({ id: VOLUME_07, state: 'error', step: 'scheduler-failed' });
  });

  it("without cinder-api's log, the scheduler's failure line starts the instance (the API steps missing)", () => {
    const [f] = creates(NO_BACKEND, { skip: ['cinder-api.log'] });
    expect(f!.verdict).toBe('failed');
    expect(f!.steps.filter((s) => s.status === 'missing').map((s) => s.step)).toEqual([
      'create-request',
      'create-issued',
    ]);
    expect(f!.leaves).toMatchObject({ id: VOLUME_07, state: 'error' });
  });

  it("cinder-volume's taskflow FAILURE of a create task is the create's failure (osism/cloud-in-a-box#262, cut after it)", () => {
    const name = 'osism-cinder-volume-create-task-failure';
    const text = readFileSync(new URL(`../../samples/field/${name}/${name}.log`, import.meta.url), 'utf8');
    const { result } = runPipelineOnText([{ name: 'cinder-volume.log', text }]);
    const [f, ...rest] = result.flows.filter((x) => x.flow === 'server/volume-create');
    expect(rest).toEqual([]);
    expect(f!.verdict).toBe('failed');
    expect(f!.steps.filter((s) => s.status === 'failed').map((s) => [s.step, s.line])).toEqual([
      ['volume-create-task-failed', 3],
    ]);
    const [story] = result.explanations!;
    expect(story!.title).toBe(
      'server/volume-create failed at cinder-volume "a task of cinder-volume\'s create flow fails"',
    );
  });

  it('the paste ends at the FAILURE: neither the reschedule nor the error-out after it is claimed', () => {
    const name = 'osism-cinder-volume-create-task-failure';
    const text = readFileSync(new URL(`../../samples/field/${name}/${name}.log`, import.meta.url), 'utf8');
    const [f] = runPipelineOnText([{ name: 'cinder-volume.log', text }]).result.flows.filter(
      (x) => x.flow === 'server/volume-create',
    );
    // Both ways on (rescheduled to cinder-scheduler, or set error by cinder-volume) take the same two
    // lines: the log stops at the failure, so the replay stops there too.
    expect(f!.steps.map((s) => [s.step, s.status])).toEqual([
      ['create-request', 'missing'],
      ['create-issued', 'missing'],
      ['scheduler-choose', 'skipped'],
      ['volume-create-start', 'matched'],
      ['volume-create-task-failed', 'failed'],
    ]);
    expect(f!.steps.map((s) => s.title).join(' ')).not.toMatch(/resched/);
  });

  it("without cinder-api's log, cinder-volume's `being created` line starts a clean create's instance", () => {
    const [f, ...rest] = creates('01-attach-detach', { skip: ['cinder-api.log', 'cinder-api-uwsgi.log'] });
    expect(rest).toEqual([]);
    expect(f!.verdict).toBe('incomplete');
    expect(f!.steps.filter((s) => s.status === 'missing').map((s) => s.step)).toEqual([
      'create-request',
      'create-issued',
    ]);
    expect(f!.leaves).toMatchObject({ id: 'aea2c641-fadf-4742-ac76-229e48ec5370', state: 'available' });
  });
});

// A server booted from a new volume: nova-compute creates the volume in cinder under the
// global request id of nova-api's POST /servers (no recording has one: the events are
// built from minicloud 01's create lines with a nova request id as the global id).
describe('server/volume-create inside a boot from volume', () => {
  const BOOT = 'req-b0b0b0b0-1111-4222-8333-444455556666';
  const VOLUME = 'aea2c641-fadf-4742-ac76-229e48ec5370';
  // cinder-api's own id, which the scheduler and cinder-volume log too (the RPC context carries it).
  const CINDER = 'req-00000001-0000-4000-8000-000000000000';
  const marker = (observer: SampleEvent['observer'], name: string, message: string, line: number): SampleEvent => ({
    type: 'marker',
    observer,
    marker: name,
    message,
    requestId: CINDER,
    globalRequestId: BOOT,
    line,
  });
  const cinderCreate: SampleEvent[] = [
    {
      type: 'exchange',
      observer: 'cinder-api',
      method: 'POST',
      path: '/v3/4002408efab24921ac623fdf4cdf1270/volumes',
      status: 202,
      requestId: CINDER,
      globalRequestId: BOOT,
    },
    marker('cinder-api', 'cinder.api.create-issued', 'Create volume request issued successfully.', 21),
    marker(
      'cinder-volume',
      'cinder.volume.create-start',
      `Volume ${VOLUME}: being created as raw with specification: {'status': 'creating'}`,
      12,
    ),
    marker('cinder-volume', 'cinder.volume.create-done', 'Created volume successfully.', 18),
  ];
  const novaBoot: SampleEvent = {
    type: 'exchange',
    observer: 'nova-api',
    method: 'POST',
    path: '/v2.1/servers',
    status: 202,
    requestId: BOOT,
    microversion: '2.1',
  };
  const loaded = loadFlowFile(fileURLToPath(new URL('../../grammars/server-volume-create.flow.json', import.meta.url)));
  const replayAll = (events: SampleEvent[]) => {
    if (!loaded.ok) throw new Error('server-volume-create.flow.json does not load');
    return replayRun(flowSetFor().flows, sampleRun(loaded.value.file, { name: 'boot', events, expect: [] })).flows;
  };

  it("with nova-api's log the boot owns the request: no create instance, so none broken", () => {
    expect(replayAll([novaBoot, ...cinderCreate])).toEqual([]);
  });

  it("without it the create replays complete under the boot's global request id", () => {
    expect(replayAll(cinderCreate).map((f) => [f.flow, f.verdict, f.requestId, f.leaves?.state])).toEqual([
      ['server/volume-create', 'complete', BOOT, 'available'],
    ]);
  });
});

// The retry branch is still the replay's when the log shows its lines: the flow file's sample of
// a create rescheduled three times (built from the cited cinder source with minicloud 07's ids).
describe('server/volume-create rescheduled', () => {
  const loaded = loadFlowFile(fileURLToPath(new URL('../../grammars/server-volume-create.flow.json', import.meta.url)));
  if (!loaded.ok) throw new Error('server-volume-create.flow.json does not load');
  const file = loaded.value.file;
  const thrice = loaded.value.samples.find((s) => s.name.startsWith('the driver fails three times'))!;
  const replay = (events: SampleEvent[]) =>
    replayRun(flowSetFor().flows, sampleRun(file, { name: 'rescheduled', events, expect: [] })).flows;

  it('a FAILURE then `re-scheduling`: the create went back to the scheduler, whose failure is then expected', () => {
    const events = thrice.events!;
    const firstReschedule = events.findIndex((e) => e.type === 'marker' && e.marker === 'cinder.volume.rescheduling');
    const failure: SampleEvent = {
      type: 'marker',
      observer: 'cinder-volume',
      marker: 'cinder.volume.create-task-failed',
      message:
        "Task 'cinder.volume.flows.manager.create_volume.CreateVolumeFromSpecTask;volume:create' (9589be86-c118-42b2-b74d-97933ac4d3f5) transitioned into state 'FAILURE' from state 'RUNNING'",
      requestId: events[0]!.requestId!,
      line: 11,
    };
    const cut = [...events.slice(0, firstReschedule), failure, events[firstReschedule]!];
    const [f] = replay(cut);
    expect(f!.steps.filter((s) => s.status !== 'skipped').map((s) => [s.step, s.status])).toEqual([
      ['create-request', 'matched'],
      ['create-issued', 'matched'],
      ['scheduler-choose', 'matched'],
      ['volume-create-start', 'matched'],
      ['volume-create-task-failed', 'failed'],
      ['volume-rescheduled', 'matched'],
      ['scheduler-failed', 'missing'],
    ]);
  });

  it('all three attempts and the scheduler giving up replay as the retry branch', () => {
    const [f] = replay(thrice.events!);
    expect(f!.verdict).toBe('failed');
    expect(f!.steps.filter((s) => s.status === 'matched').map((s) => s.step)).toContain('volume-rescheduled-3');
  });
});
