// Which flow claims a global request id: the request that started the operation
// decides (a shelve's or a delete's attachment calls are theirs, never a broken
// attach or detach), and operations without volume calls replay complete.
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runPipelineOnText } from '../../src/pipeline.js';
import { loadFlowFile, type LoadedFlowFile } from '../../src/flows/load.js';
import { flowSetFor, replayRun } from '../../src/flows/index.js';
import { sampleRun } from '../../src/flows/selftest.js';
import type { SampleEvent } from '../../src/flows/grammar-schema.js';

const grammar = (name: string): LoadedFlowFile => {
  const r = loadFlowFile(fileURLToPath(new URL(`../../grammars/${name}`, import.meta.url)));
  if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join('\n'));
  return r.value;
};
const shelve = grammar('server-shelve.flow.json');
const del = grammar('server-delete.flow.json');

/** Inline service events replayed with every built-in flow. */
const replayAll = (events: SampleEvent[]) =>
  replayRun(flowSetFor().flows, sampleRun(shelve.file, { name: 'test', events, expect: [] })).flows;

const recording = (dir: string, skip: string[] = []) => {
  const base = new URL(`../../samples/minicloud/${dir}/`, import.meta.url);
  return readdirSync(base)
    .filter((n) => n.endsWith('.log') && !skip.includes(n))
    .sort()
    .map((n) => ({ name: n, text: readFileSync(new URL(n, base), 'utf8') }));
};
/** The recording's nova logs as a service logging at INFO writes them: no request bodies. */
const novaAtInfo = (dir: string, keep: string[]) =>
  recording(dir)
    .filter((i) => keep.includes(i.name))
    .map((i) =>
      i.name.startsWith('nova-')
        ? {
            ...i,
            text: i.text
              .split('\n')
              .filter((l) => !l.includes(' DEBUG '))
              .join('\n'),
          }
        : i,
    );
const serverFlows = (flows: Iterable<{ flow: string; verdict: string; requestId: string | null }>) =>
  [...flows].filter((f) => f.flow.startsWith('server/')).map((f) => [f.flow, f.verdict, f.requestId]);

const SHELVE = 'req-88d7e39a-7d30-4151-846d-17880053388a';
const SERVER = '148f9246-9775-4a00-8c35-a2eec468d192';
const P = '/v3/4002408efab24921ac623fdf4cdf1270';
const cinder = (method: string, path: string, status: number, n: number, global: string, action?: string) =>
  ({
    type: 'exchange',
    observer: 'cinder-api',
    method,
    path: P + path,
    status,
    requestId: `req-00000000-0000-4000-8000-00000000000${n}`,
    globalRequestId: global,
    ...(action ? { action } : {}),
  }) as SampleEvent;
const swap = (global: string): SampleEvent[] => [
  cinder('POST', '/attachments', 200, 1, global, 'attachment'),
  cinder('DELETE', '/attachments/3e777cf2-45d4-4f53-8192-1a28868a61e6', 200, 2, global),
];
const novaAction = (action: string, requestId: string): SampleEvent => ({
  type: 'exchange',
  observer: 'nova-api',
  method: 'POST',
  path: `/v2.1/servers/${SERVER}/action`,
  status: 202,
  requestId,
  microversion: '2.1',
  action,
});

describe('the operation that started a request claims it', () => {
  it('minicloud 09: the shelve-offload attachment swap is server/shelve, complete; no attach instance for it', () => {
    const { result } = runPipelineOnText(recording('09-detach-shelved-offloaded'));
    expect(serverFlows(result.flows)).toEqual([
      ['server/volume-create', 'complete', 'req-8858bf16-8231-4183-a1c6-07a6c15e605d'],
      ['server/attach-volume', 'complete', 'req-74241a56-0a3e-4470-b5d4-5416bf32f83b'],
      ['server/shelve', 'complete', SHELVE],
      ['server/detach-volume', 'complete', 'req-33b439b5-8ff5-4545-9365-7c5f5131ca12'],
    ]);
    expect(result.flows.find((f) => f.flow === 'client/server-shelve')?.verdict).toBe('complete');
  });

  it('minicloud 11: the implicit detach of the delete is server/delete, complete', () => {
    const { result } = runPipelineOnText(recording('11-server-delete-attached'));
    expect(serverFlows(result.flows)).toEqual([
      ['server/volume-create', 'complete', 'req-36da92fc-6274-4d49-8890-e3f35304c9ae'],
      ['server/attach-volume', 'complete', 'req-cc15b240-b9dd-45a5-97b0-fea7b9c9201b'],
      ['server/delete', 'complete', 'req-842b644e-b143-4bc2-9587-c210c106478c'],
    ]);
  });

  it('minicloud 23–27: cold and live migration, evacuate, and two volumes shelved, unshelved and migrated, replay complete', () => {
    const server = (dir: string) => serverFlows(runPipelineOnText(recording(dir)).result.flows).map(([f, v]) => [f, v]);
    expect(server('23-cold-migrate-attached')).toContainEqual(['server/migrate', 'complete']);
    expect(server('24-live-migrate-attached')).toContainEqual(['server/live-migrate', 'complete']);
    expect(server('26-evacuate-attached')).toContainEqual(['server/evacuate', 'complete']);
    expect(server('29-cold-migrate-revert-attached')).toEqual(
      expect.arrayContaining([
        ['server/migrate', 'complete'],
        ['server/revert-resize', 'complete'],
      ]),
    );
    // A volume-backed rebuild (2.93) detaches the data volume first and attaches the root first:
    // each volume's calls are matched by the volume they name, not by their order.
    const bfv = runPipelineOnText(recording('28-rebuild-volume-backed')).result;
    expect(bfv.findings.filter((f) => f.ruleId.startsWith('flow/'))).toEqual([]);
    expect(bfv.flows.find((f) => f.flow === 'server/rebuild')).toMatchObject({
      variant: 'volume-backed',
      verdict: 'complete',
    });
    // The rebuild was sent by the user's own keystoneauth program: no CLI flow replays its calls.
    expect(bfv.flows.filter((f) => f.flow === 'client/server-rebuild')).toEqual([]);
    // Two volumes: each phase of a migration runs over both before the next.
    const two = runPipelineOnText(recording('27-migrate-two-volumes')).result;
    expect(two.findings.filter((f) => f.ruleId.startsWith('flow/'))).toEqual([]);
    expect(serverFlows(two.flows).map(([f, v]) => [f, v])).toEqual(
      expect.arrayContaining([
        ['server/live-migrate', 'complete'],
        ['server/migrate', 'complete'],
      ]),
    );
    const { result } = runPipelineOnText(recording('25-shelve-two-volumes'));
    expect(result.findings.filter((f) => f.ruleId.startsWith('flow/'))).toEqual([]);
    // The per-volume steps once for each volume, each with its own attachment.
    const shelve = result.flows.find((f) => f.flow === 'server/shelve')!;
    expect(shelve.verdict).toBe('complete');
    expect(shelve.steps.filter((s) => s.step === 'attachment-delete').map((s) => s.status)).toEqual([
      'matched',
      'matched',
    ]);
    expect(Object.keys(shelve.captures ?? {})).toEqual(expect.arrayContaining(['attachment', 'attachment#2']));
    expect(shelve.captures?.attachment).not.toBe(shelve.captures?.['attachment#2']);
    const unshelve = result.flows.find((f) => f.flow === 'server/unshelve')!;
    expect([unshelve.verdict, unshelve.steps.filter((s) => s.step === 'attachment-complete').length]).toEqual([
      'complete',
      2,
    ]);
  });

  it('minicloud 20: the legacy `nova volume-update` (no command markers) replays as client/server-swap-volume, its service side as server/swap-volume', () => {
    const { result } = runPipelineOnText(recording('20-swap-attached'));
    const swap = result.flows.filter((f) => f.flow.endsWith('swap-volume'));
    expect(swap.map((f) => [f.flow, f.variant, f.verdict, f.command, f.line])).toEqual([
      ['client/server-swap-volume', 'novaclient', 'complete', null, 360],
      ['server/swap-volume', 'new-style', 'complete', null, expect.any(Number)],
    ]);
  });

  it("minicloud 22: a retype that migrates an attached volume is one server/retype-volume, the target's create and nova's swap its steps", () => {
    const RETYPE = 'req-3a275d6c-a2ed-4b0c-bb2a-348a6c395e6e';
    const { result } = runPipelineOnText(recording('22-retype-migrate-attached'));
    expect(serverFlows(result.flows)).toEqual([
      ['server/volume-create', 'complete', 'req-046dd9ad-aa60-4836-8f78-392ea1a07ac0'],
      ['server/attach-volume', 'complete', 'req-cc9c47de-3bd4-4214-acad-0d23a6fae24a'],
      ['server/retype-volume', 'complete', RETYPE],
      ['server/detach-volume', 'complete', 'req-0a577911-7c25-4b54-9ce1-a3a2608e3126'],
    ]);
    const retype = result.flows.find((f) => f.flow === 'server/retype-volume')!;
    expect(retype.variant).toBe('migrate-attached');
    expect(retype.leaves).toMatchObject({ id: '382f6f01-5836-4a86-b28e-7c828de4d89b', state: 'in-use' });
    // nova-api.log:48, a later GET /v2.1 its worker logged under the swap's ids: a read, no body, no action.
    const stale = [...result.exchanges].find((e) => e.source.endsWith('nova-api.log') && e.line === 48);
    expect([stale?.method, stale?.requestId, stale?.action]).toEqual([
      'GET',
      'req-b599b633-a712-4567-a796-15373bf04ed2',
      null,
    ]);
    // Every service at INFO: cinder-api's os-retype body is unseen; its "Retype volume request
    // issued" line names the operation before the target's create could.
    const info = runPipelineOnText(
      recording('22-retype-migrate-attached').map((i) => ({
        ...i,
        text: i.text
          .split('\n')
          .filter((l) => !l.includes(' DEBUG '))
          .join('\n'),
      })),
    ).result;
    expect(serverFlows(info.flows).filter(([, , id]) => id === RETYPE)).toEqual([
      ['server/retype-volume', 'complete', RETYPE],
    ]);
  });

  it('minicloud 13: shelve then unshelve, each claimed by its own flow and complete', () => {
    const { result } = runPipelineOnText(recording('13-unshelve-attached'));
    expect(serverFlows(result.flows).map(([flow, verdict]) => [flow, verdict])).toEqual([
      ['server/volume-create', 'complete'],
      ['server/attach-volume', 'complete'],
      ['server/shelve', 'complete'],
      ['server/unshelve', 'complete'],
      ['server/detach-volume', 'complete'],
    ]);
  });

  it('minicloud 14: delete_on_termination, the volume deleted after its attachment, in server/delete', () => {
    const { result } = runPipelineOnText(recording('14-server-delete-on-termination'));
    const deletes = result.flows.filter((f) => f.flow === 'server/delete');
    expect(
      deletes.map((f) => [
        f.verdict,
        f.steps.filter((s) => s.status === 'matched' && s.exchange !== null).map((s) => s.step),
      ]),
    ).toEqual([['complete', ['nova-delete', 'attachment-delete', 'volume-delete']]]);
  });

  it.each([
    ['15-resize-attached', ['server/volume-create', 'server/attach-volume', 'server/resize', 'server/detach-volume']],
    ['16-rebuild-attached', ['server/volume-create', 'server/attach-volume', 'server/rebuild', 'server/detach-volume']],
    [
      '17-resize-revert-attached',
      ['server/volume-create', 'server/attach-volume', 'server/resize', 'server/revert-resize', 'server/detach-volume'],
    ],
    [
      '18-shelve-then-offload',
      [
        'server/volume-create',
        'server/attach-volume',
        'server/shelve-offload',
        'server/unshelve',
        'server/detach-volume',
        'server/shelve',
      ],
    ],
    ['19-delete-shelved-offloaded', ['server/volume-create', 'server/attach-volume', 'server/shelve', 'server/delete']],
  ])(
    'minicloud %s: the attachment calls of an operation are its own flow, every server flow complete',
    (dir, flows) => {
      const { result } = runPipelineOnText(recording(dir));
      expect(serverFlows(result.flows).map(([flow, verdict]) => [flow, verdict])).toEqual(
        flows.map((f) => [f, 'complete']),
      );
    },
  );

  it('minicloud 18: a shelve that is not offloaded makes no volume call; the later shelveOffload swaps the attachment', () => {
    const { result } = runPipelineOnText(recording('18-shelve-then-offload'));
    const matched = (flow: string) =>
      result.flows
        .find((f) => f.flow === flow)!
        .steps.filter((s) => s.status === 'matched')
        .map((s) => s.step);
    expect(matched('server/shelve')).toEqual(['nova-shelve', 'compute-shelving']);
    expect(matched('server/shelve-offload')).toEqual([
      'nova-shelve-offload',
      'compute-offloading',
      'attachment-create',
      'attachment-delete',
      'volume-terminate-connection',
      'volume-deleting-attachment',
    ]);
  });

  it('minicloud 19: the local delete of a SHELVED_OFFLOADED server, nova-api deleting the attachment, is server/delete', () => {
    const { result } = runPipelineOnText(recording('19-delete-shelved-offloaded'));
    const del = result.flows.find((f) => f.flow === 'server/delete')!;
    expect(del.steps.filter((s) => s.status === 'matched').map((s) => s.step)).toEqual([
      'nova-delete',
      'api-local-delete',
      'attachment-delete',
    ]);
  });

  it('without the nova-api log, the nova-compute "Shelving" line still makes it a shelve (its API step missing), not an attach', () => {
    const { result } = runPipelineOnText(recording('09-detach-shelved-offloaded', ['nova-api.log']));
    const mine = result.flows.filter((f) => f.requestId === SHELVE);
    expect(
      mine.map((f) => [f.flow, f.verdict, f.steps.filter((s) => s.status === 'missing').map((s) => s.step)]),
    ).toEqual([['server/shelve', 'incomplete', ['nova-shelve']]]);
  });

  it("with cinder-api's log alone, a shelve-offload's attachment swap is no attach rolled back; a failed attach still is", () => {
    const only = (dir: string) => runPipelineOnText(recording(dir).filter((i) => i.name === 'cinder-api.log')).result;
    for (const dir of ['09-detach-shelved-offloaded', '18-shelve-then-offload'])
      expect(only(dir).flows.filter((f) => f.verdict === 'failed')).toEqual([]);
    const failed = only('04-attach-driver-error').flows.filter((f) => f.verdict === 'failed');
    expect(failed.map((f) => [f.flow, f.steps.filter((s) => s.status === 'failed').map((s) => s.step)])).toEqual([
      ['server/attach-volume', ['attachment-update', 'attachment-delete-rollback']],
    ]);
  });

  it('nova-api at INFO (no request bodies): the shelve is still the shelve, its action read from the flow that fits', () => {
    const { result } = runPipelineOnText(
      novaAtInfo('09-detach-shelved-offloaded', ['nova-api.log', 'cinder-api.log', 'cinder-volume.log']),
    );
    expect(serverFlows(result.flows).map(([flow, verdict]) => [flow, verdict])).toEqual([
      ['server/volume-create', 'complete'],
      ['server/attach-volume', 'complete'],
      ['server/shelve', 'complete'],
      ['server/detach-volume', 'complete'],
    ]);
  });

  it('nova at INFO: the "Migrating" line names the resize; without it a resize and a cold migrate fit alike, and neither is guessed', () => {
    const logs = ['nova-api.log', 'cinder-api.log', 'cinder-volume.log'];
    const named = runPipelineOnText(novaAtInfo('15-resize-attached', [...logs, 'nova-compute.log'])).result;
    expect(serverFlows(named.flows).map(([flow, verdict]) => [flow, verdict])).toContainEqual([
      'server/resize',
      'complete',
    ]);
    const unnamed = runPipelineOnText(novaAtInfo('15-resize-attached', logs)).result;
    expect(serverFlows(unnamed.flows).map(([flow]) => flow)).toEqual([
      'server/volume-create',
      'server/attach-volume',
      'server/detach-volume',
    ]);
  });

  it('a POST …/action whose body is unknown and that no flow completes (a confirmResize, 204) is left unclaimed', () => {
    const id = 'req-7c7c7c7c-1111-4222-8333-444455556666';
    const confirm: SampleEvent = { ...novaAction('confirmResize', id), status: 204 };
    delete confirm.action;
    expect(replayAll([confirm])).toEqual([]);
  });

  it('an operation without a flow (rescue) keeps its attachment calls: no broken attach or detach is replayed', () => {
    const id = 'req-5e5e5e5e-1111-4222-8333-444455556666';
    expect(replayAll([novaAction('rescue', id), ...swap(id)])).toEqual([]);
    // The same calls under a shelve request are the shelve's.
    expect(replayAll([novaAction('shelve', id), ...swap(id)]).map((f) => [f.flow, f.verdict])).toEqual([
      ['server/shelve', 'complete'],
    ]);
  });

  it('with no API request in the logs the earliest anchor decides (a bare POST /attachments is an attach)', () => {
    const id = 'req-6f6f6f6f-1111-4222-8333-444455556666';
    expect(replayAll(swap(id).slice(0, 1)).map((f) => f.flow)).toEqual(['server/attach-volume']);
    // …but not when the guess would undo a call that never failed (the swap deletes another attachment).
    expect(replayAll(swap(id)).map((f) => f.flow)).toEqual([]);
  });
});

describe('operations without volume calls replay complete', () => {
  it('a shelve that is not offloaded (shelved_offload_time > 0) makes no volume call', () => {
    const events: SampleEvent[] = [
      novaAction('shelve', SHELVE),
      {
        type: 'marker',
        observer: 'nova-compute',
        marker: 'nova.shelve.start',
        message: 'Shelving',
        requestId: SHELVE,
        instance: SERVER,
      },
    ];
    const flows = replayRun(shelve.flows, sampleRun(shelve.file, { name: 't', events, expect: [] })).flows;
    expect(
      flows.map((f) => [f.flow, f.verdict, f.steps.filter((s) => s.status === 'matched').map((s) => s.step)]),
    ).toEqual([['server/shelve', 'complete', ['nova-shelve', 'compute-shelving']]]);
  });

  it('a server without volumes is deleted with no attachment call', () => {
    const id = 'req-842b644e-b143-4bc2-9587-c210c106478c';
    const events: SampleEvent[] = [
      {
        type: 'exchange',
        observer: 'nova-api',
        method: 'DELETE',
        path: `/v2.1/servers/${SERVER}`,
        status: 204,
        requestId: id,
      },
      {
        type: 'marker',
        observer: 'nova-compute',
        marker: 'nova.delete.terminating',
        message: 'Terminating instance',
        requestId: id,
        instance: SERVER,
      },
    ];
    const flows = replayRun(del.flows, sampleRun(del.file, { name: 't', events, expect: [] })).flows;
    expect(flows.map((f) => [f.flow, f.verdict])).toEqual([['server/delete', 'complete']]);
  });

  it('but a shelve whose swap stopped after the new attachment is incomplete: the old attachment was never deleted', () => {
    const flows = replayRun(
      shelve.flows,
      sampleRun(shelve.file, { name: 't', events: [novaAction('shelve', SHELVE), swap(SHELVE)[0]!], expect: [] }),
    ).flows;
    expect(flows.map((f) => [f.verdict, f.steps.filter((s) => s.status === 'missing').map((s) => s.step)])).toEqual([
      ['incomplete', ['attachment-delete']],
    ]);
  });
});
