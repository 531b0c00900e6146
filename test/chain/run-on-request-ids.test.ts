// A request id run into other text (a line that lost its newline) is no id, wherever the id comes
// from: session 24 bounded the RESP header's; a `used request id` line, a client's
// `(Request-ID: …)` error line, a REQ's X-OpenStack-Request-ID header (the global id a service
// passes on) and an instance action's request_id took megabytes as the id just the same (a
// `used request id` run on by 5 MB: 660 MB of RSS and an 89 MB text report), repeated by every
// chain, story and report. Over MAX_REQUEST_ID characters the id is null or another source's.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MAX_REQUEST_ID } from '../../src/core/request-ids.js';
import { runPipelineOnText } from '../../src/pipeline.js';

const sample = (path: string) => readFileSync(new URL(`../../samples/${path}`, import.meta.url), 'utf8').split('\n');
/** `lines` with `edit` made to the first line that `at` finds, as a run's result. */
const runWith = (name: string, lines: string[], at: (line: string) => boolean, edit: (line: string) => string) => {
  const i = lines.findIndex(at);
  expect(i).toBeGreaterThanOrEqual(0);
  return runPipelineOnText([{ name, text: lines.map((l, n) => (n === i ? edit(l) : l)).join('\n') }]).result;
};
const RUN_ON = 'x'.repeat(1 << 20);
/** Nothing of the run-on text in any part of the result. */
const noRunOn = (result: unknown) => expect(JSON.stringify(result).includes('x'.repeat(MAX_REQUEST_ID))).toBe(false);

describe('a request id run into other text', () => {
  it("in a `used request id` line is none: the call's id stays unknown when its header's is none too", () => {
    // samples/lint/attach-500.log: the RESP line's header and the line after it both run on
    const log = sample('lint/attach-500.log');
    const resp = log.findIndex((l) => l.startsWith('RESP: [500]'));
    const edited = log.map((l, i) => (i === resp ? l + RUN_ON : l));
    const used = (tail: string) =>
      runWith(
        'run-on.log',
        edited,
        (l) => l.startsWith('POST call to compute') && l.includes(' used request id '),
        (l) => l + tail,
      );
    const real = 'req-937ad3d6-e982-47e0-a857-844934907910';
    expect(used('').exchanges.find((e) => e.status === 500)?.requestId).toBe(real);
    const result = used(RUN_ON);
    expect(result.exchanges.find((e) => e.status === 500)?.requestId).toBeNull();
    noRunOn(result);
  });

  it("in a client's `(Request-ID: …)` error line is none: the call it proves has no id", () => {
    // samples/field/osc-root-prompt-409: keystone's 409 as osc printed it, alone
    const log = sample('field/osc-root-prompt-409/osc-root-prompt-409.log');
    const at = (l: string) => l.includes('(Request-ID: req-');
    const real = runWith('409.log', log, at, (l) => l).exchanges;
    expect(real.map((e) => [e.status, e.requestId])).toEqual([[409, 'req-49569d88-0b4b-48ba-b88e-f3ce0dcc2f01']]);
    const result = runWith('409.log', log, at, (l) => l.replace(/(req-[0-9a-f-]+)\)/, `$1${RUN_ON})`));
    expect(result.exchanges.map((e) => [e.status, e.requestId])).toEqual([[409, null]]);
    noRunOn(result);
  });

  it("in a REQ line's X-OpenStack-Request-ID header is no global request id", () => {
    // samples/flows/minicloud-retype-migrate: cinder-volume's novaclient calls nova, passing its global id
    const log = sample('flows/minicloud-retype-migrate/cinder-volume.log');
    const at = (l: string) => l.includes('REQ: curl') && l.includes('X-OpenStack-Request-ID: req-');
    const global = (edit: (l: string) => string) =>
      runWith('cinder-volume.log', log, at, edit).exchanges.find((e) => e.method === 'PUT')?.globalRequestId;
    expect(global((l) => l)).toBe('req-3a275d6c-a2ed-4b0c-bb2a-348a6c395e6e');
    const edit = (l: string) => l.replace(/(X-OpenStack-Request-ID: req-[0-9a-f-]+)/, `$1${RUN_ON}`);
    expect(global(edit)).toBeNull();
    noRunOn(runWith('cinder-volume.log', log, at, edit));
  });

  it('in the error line that ends a traceback is left out of its error', () => {
    // samples/minicloud/07-volume-create-no-valid-backend: the SDK's BadRequestException, then
    // the message with `(HTTP 400) (Request-ID: …)` that ends the traceback
    const log = sample('minicloud/07-volume-create-no-valid-backend/client.log');
    const at = (l: string) => l.startsWith('openstack.exceptions.') && l.includes('(Request-ID: req-');
    const text = (edit: (l: string) => string) => JSON.stringify(runWith('client.log', log, at, edit));
    expect(text((l) => l)).toContain('status of: error (Request-ID: req-70998675-0e86-45f9-9492-545fef38df46)');
    const result = text((l) => l.replace(/(req-[0-9a-f-]+)\)/, `$1${RUN_ON})`));
    expect(result.includes('x'.repeat(MAX_REQUEST_ID))).toBe(false);
    expect(result).toContain('status of: error"');
  });

  it("in an instance action's request_id is none", () => {
    // samples/minicloud/04-attach-driver-error: the client read the server's instance actions
    const log = sample('minicloud/04-attach-driver-error/client.log');
    const at = (l: string) => l.startsWith('RESP BODY: {"instanceActions": [');
    const actions = (edit: (l: string) => string) =>
      runWith('client.log', log, at, edit).exchanges.find((e) => (e.instanceActions?.length ?? 0) > 1)?.instanceActions;
    expect(actions((l) => l)?.[0]).toMatchObject({
      action: 'attach_volume',
      requestId: 'req-25947822-c9a4-46d4-8181-7a50c86c12ed',
    });
    const edit = (l: string) => l.replace(/("request_id": "req-[0-9a-f-]+)/, `$1${'x'.repeat(200)}`);
    expect(actions(edit)?.[0]).toMatchObject({ action: 'attach_volume', requestId: null });
  });
});
