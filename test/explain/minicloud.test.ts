// `explain` on the real failure recordings of samples/minicloud: each story's facts
// (what the client saw, the first failed call with its service, status, request id
// and file:line, what followed, the volume's states), not whole sentences.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Explanation } from '../../src/model/explain-schema.js';
import { runPipelineOnText } from '../../src/pipeline.js';

const root = fileURLToPath(new URL('../../samples/minicloud/', import.meta.url));

function explain(folder: string, only?: (name: string) => boolean): Explanation[] {
  const dir = readdirSync(root).find((d) => d.startsWith(folder))!;
  const names = readdirSync(`${root}${dir}`)
    .filter((n) => n.endsWith('.log') && (only ?? (() => true))(n))
    .sort();
  const { result } = runPipelineOnText(
    names.map((name) => ({ name, text: readFileSync(`${root}${dir}/${name}`, 'utf8') })),
  );
  return [...result.explanations!];
}

const kinds = (x: Explanation) => x.followed.map((f) => f.kind);
const states = (x: Explanation) => x.resource?.states.map((s) => [s.when, s.status]);

describe('explain on samples/minicloud', () => {
  it('01 clean attach/detach: no problem found (the adminPass in clear is hygiene, not an operation error)', () => {
    expect(explain('01')).toEqual([]);
  });

  it('03 second attach of an in-use volume: nova-api 400 "already attached", cinder never asked', () => {
    const [x, ...rest] = explain('03');
    expect(rest).toEqual([]);
    expect(x!.command).toMatchObject({ name: 'server add volume', exitCode: 1, source: 'client.log', line: 152 });
    expect(x!.clientCall).toMatchObject({ status: 400, requestId: 'req-955f3152-7384-47f2-bf6d-2b113451813f' });
    expect(x!.firstError).toMatchObject({
      service: 'nova-api',
      call: 'POST /servers/{server}/os-volume_attachments',
      status: 400,
      source: 'nova-api.log',
      line: 58,
      requestId: 'req-955f3152-7384-47f2-bf6d-2b113451813f',
    });
    expect(x!.firstError!.error).toContain('already attached');
    // cinder was never asked to create the attachment.
    const missing = x!.followed.find((f) => f.kind === 'missing')!;
    expect(missing.text).toContain('POST /attachments on cinder-api');
    // The volume was in use before the second attach.
    expect(states(x!)![0]).toEqual(['before', 'in-use']);
  });

  it('04 failing backend: client 200, cinder-api PUT /attachments 500, rollback, volume back to available', () => {
    const [x, ...rest] = explain('04');
    expect(rest).toEqual([]);
    expect(x!.command).toMatchObject({ name: 'server add volume', exitCode: 0, line: 130 });
    expect(x!.clientCall).toMatchObject({ status: 200, requestId: 'req-25947822-c9a4-46d4-8181-7a50c86c12ed' });
    expect(x!.firstError).toMatchObject({
      service: 'cinder-api',
      method: 'PUT',
      call: 'PUT /attachments/{attachment}',
      status: 500,
      source: 'cinder-api.log',
      line: 94,
      // cinder-api's own id for the call nova-compute made, joined to the client's through the chain.
      requestId: 'req-f27771dc-2fb8-48c8-b447-c070283aa664',
      globalRequestId: 'req-25947822-c9a4-46d4-8181-7a50c86c12ed',
      step: 'attachment-update',
    });
    expect(x!.firstError!.error).toContain('Driver initialize connection failed');
    const rollback = x!.followed.find((f) => f.kind === 'rollback')!;
    expect([rollback.source, rollback.line]).toEqual(['cinder-api.log', 216]);
    expect(states(x!)!.at(-1)).toEqual(['after', 'available']);
    expect(x!.text).toContain('The client was told it worked');
    // Where to look next: the failed call's id in cinder-api's and cinder-volume's logs.
    expect(x!.grep[0]).toMatchObject({
      id: 'req-f27771dc-2fb8-48c8-b447-c070283aa664',
      logs: ['cinder-api.log', 'cinder-volume.log'],
    });
    expect(x!.grep[1]!.logs).toEqual([
      'keystone.log',
      'nova-api.log',
      'cinder-api.log',
      'nova-compute.log',
      'cinder-volume.log',
    ]);
  });

  it('04 with log paths holding a quote and a backslash: where to look next names them as given', () => {
    // The spilled rows are JSON: a server call's input is read off the row's escaped head.
    const dir = readdirSync(root).find((d) => d.startsWith('04'))!;
    const odd = 'logs/"ctl"\\one/';
    const { result } = runPipelineOnText(
      readdirSync(`${root}${dir}`)
        .filter((n) => n.endsWith('.log'))
        .sort()
        .map((name) => ({ name: `${odd}${name}`, text: readFileSync(`${root}${dir}/${name}`, 'utf8') })),
    );
    const [failed, global] = result.explanations!.at(0)!.grep;
    expect(failed).toMatchObject({
      id: 'req-f27771dc-2fb8-48c8-b447-c070283aa664',
      logs: [`${odd}cinder-api.log`, `${odd}cinder-volume.log`],
    });
    // The global id's logs come from the chain's nodes: server calls are named by their rows' input.
    expect(global).toMatchObject({
      id: 'req-25947822-c9a4-46d4-8181-7a50c86c12ed',
      logs: ['keystone', 'nova-api', 'cinder-api', 'nova-compute', 'cinder-volume'].map((s) => `${odd}${s}.log`),
    });
  });

  it('05 cinder-volume down: 60 s wait, MessagingTimeout, 500, rollback; volume reserved then available', () => {
    const [x, ...rest] = explain('05');
    expect(rest).toEqual([]);
    expect(x!.command?.exitCode).toBe(0);
    expect(x!.clientCall?.status).toBe(200);
    expect(x!.firstError).toMatchObject({
      service: 'cinder-api',
      call: 'PUT /attachments/{attachment}',
      status: 500,
      line: 46,
      requestId: 'req-c0979bd9-f50a-47ff-9a48-36264856c479',
    });
    expect(x!.firstError!.durationMs).toBeGreaterThan(60_000);
    const timeout = x!.followed.find((f) => f.kind === 'timeout')!;
    expect([timeout.source, timeout.line]).toEqual(['cinder-api.log', 219]);
    expect(timeout.text).toContain('MessagingTimeout');
    expect(kinds(x!)).toContain('rollback');
    expect(x!.followed.find((f) => f.kind === 'silent')?.text).toContain('cinder-volume');
    expect(states(x!)).toEqual([
      ['after', 'reserved'],
      ['after', 'available'],
    ]);
  });

  it('07 no valid backend: the create failed in cinder-scheduler behind its 202, volume `error`', () => {
    const [create] = explain('07');
    expect(create!.command).toMatchObject({ name: 'volume create', exitCode: 0, line: 2 });
    expect(create!.clientCall).toMatchObject({
      method: 'POST',
      status: 202,
      requestId: 'req-8c4bc214-80f5-462e-a667-badc9c184584',
    });
    expect(create!.firstError).toMatchObject({
      service: 'cinder-scheduler',
      source: 'cinder-scheduler.log',
      line: 25,
      flow: 'server/volume-create',
    });
    expect(create!.followed.find((f) => f.kind === 'error-log')?.text).toContain('No valid backend was found');
    // cinder-volume is never asked when the scheduler finds no backend: its silence says nothing.
    expect(kinds(create!)).not.toContain('silent');
    expect(states(create!)!.at(-1)).toEqual(['after', 'error']);
  });

  it('07 no valid backend: the volume was already `error`, cinder-api refused POST /attachments, attach 400', () => {
    const [, x, ...rest] = explain('07');
    expect(rest).toEqual([]);
    expect(x!.command).toMatchObject({ exitCode: 1 });
    expect(x!.clientCall).toMatchObject({ status: 400 });
    expect(x!.clientCall!.error).toContain('error state');
    expect(x!.firstError).toMatchObject({
      service: 'cinder-api',
      call: 'POST /attachments',
      status: 400,
      line: 79,
      requestId: 'req-70998675-0e86-45f9-9492-545fef38df46',
    });
    expect(states(x!)![0]).toEqual(['before', 'error']);
  });

  it('08 nova-compute down: client 500 after 60 s, MessagingTimeout in nova-api, no attachment created', () => {
    const [x, ...rest] = explain('08');
    // After it, on its own: nova-compute's ERROR record of its restart, which no operation accounts for.
    expect(rest.map((r) => [r.severity, r.loggedError?.service, r.loggedError?.line])).toEqual([
      ['warning', 'nova-compute', 28],
    ]);
    expect(rest[0]!.title).toContain('No DB access allowed in nova-compute');
    expect(x!.command).toMatchObject({ exitCode: 1, line: 2 });
    expect(x!.clientCall).toMatchObject({ status: 500, requestId: 'req-5737719a-ae65-421a-ac60-be77cbce62c4' });
    expect(x!.firstError).toMatchObject({ service: 'nova-api', status: 500, source: 'nova-api.log', line: 110 });
    expect(x!.firstError!.durationMs).toBeGreaterThan(60_000);
    const timeout = x!.followed.find((f) => f.kind === 'timeout')!;
    expect([timeout.source, timeout.line]).toEqual(['nova-api.log', 29]);
    expect(x!.followed.find((f) => f.kind === 'missing')?.text).toContain('Create the attachment');
    expect(x!.text).toContain('after 60.1 s');
    // nova-compute took the reserve_block_device_name call only after it came back, when nova-api had given up.
    const late = x!.followed.find((f) => f.kind === 'late')!;
    expect([late.source, late.line]).toEqual(['nova-compute.log', 1029]);
    expect(late.text).toContain('nova-compute');
  });

  it("04 with the client log alone: the attach was accepted, and the client's own later read shows it undone", () => {
    const list = explain('04', (n) => n === 'client.log');
    // No flow failed and the command exited 0, but `volume show` after it read the volume `available`.
    expect(list).toHaveLength(1);
    const [x] = list;
    expect(x!.title).toBe('`server add volume` (exit 0, HTTP 200) was rolled back after the API accepted it');
    expect(x!.firstError).toBeNull();
    expect(x!.clientCall).toMatchObject({ status: 200, line: 205, method: 'POST' });
    expect(x!.text).toContain('its later read of volume vol-04 (client.log:264) shows it `available`, not `in-use`');
    expect(x!.missingLogs).toEqual(['nova-api', 'nova-compute', 'cinder-api', 'cinder-volume']);
    expect(x!.grep.map((g) => g.id)).toEqual(['req-25947822-c9a4-46d4-8181-7a50c86c12ed']);
  });

  it("07 with the client log alone: the create the API accepted is told first, and is the refused attach's cause", () => {
    const list = explain('07', (n) => n === 'client.log');
    expect(list.map((x) => x.title)).toEqual([
      '`volume create` (exit 0, HTTP 202) left volume vol-07 `error` after the API accepted it',
      '`server add volume` (exit 1, HTTP 400) failed at compute POST /servers/{server_id}/os-volume_attachments → HTTP 400',
    ]);
    expect(list[0]!.missingLogs).toEqual(['cinder-api', 'cinder-scheduler', 'cinder-volume']);
    expect(list[1]!.cause).toMatchObject({ flow: 'volume create', state: 'error', line: 41 });
    // A volume the failed create made is deleted and made again, not reset.
    expect(list[1]!.text).toContain('then delete the volume and create it again');
  });

  it('12 with the client log alone: the extend the API accepted is told first, by the read that showed it failed', () => {
    const list = explain('12', (n) => n === 'client.log');
    expect(list.map((x) => x.title)).toEqual([
      '`volume set` (exit 0, HTTP 202) left volume vol-12 `error_extending` after the API accepted it',
      '`server remove volume` (exit 1, HTTP 400) failed at compute DELETE /servers/{server_id}/os-volume_attachments/{volume_id} → HTTP 400',
    ]);
    expect(list[0]!.firstError).toBeNull();
    expect(list[0]!.missingLogs).toEqual(['cinder-api', 'cinder-scheduler', 'cinder-volume']);
    expect(list[0]!.text).toContain('shows it `error_extending`: the operation failed after the API answered');
    // The refused detach names that command as its cause, from the client's own read.
    expect(list[1]!.cause).toMatchObject({
      flow: 'volume set',
      source: 'client.log',
      line: 325,
      resourceId: '777c420b-88f8-4ae0-aa8e-5bc22651c8b1',
      state: 'error_extending',
    });
    expect(list[1]!.text).toContain('It was refused because an earlier `volume set` operation left volume');
  });

  it('04 with every log: the rolled-back attach is told with where it first went wrong', () => {
    const [x] = explain('04');
    expect(x!.title).toContain('failed at cinder-api PUT /attachments/{attachment} → HTTP 500');
    expect(x!.text).toContain('shows it `available`, not `in-use`: the attach failed after the API answered');
  });

  it('08 with the client log alone: the 500 is told, and the nova-api log named as missing', () => {
    const [x] = explain('08', (n) => n === 'client.log');
    expect(x!.clientCall).toMatchObject({ status: 500 });
    expect(x!.missingLogs).toContain('nova-api');
    expect(x!.text).toContain('Not given: the nova-api log');
  });
});
