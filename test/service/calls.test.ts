// A service's own calls told only by the error text their answer raised: the real records of
// samples/field and samples/minicloud, parsed as the collector reads them.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { callOfRecord, errorTextCall, placementCall } from '../../src/service/calls.js';
import { messageOf } from '../../src/service/collector.js';
import { parseLine } from '../../src/parse/index.js';

const lineOf = (path: string, n: number) => readFileSync(path, 'utf8').split('\n')[n - 1]!;
const messageAt = (path: string, n: number) => {
  const text = lineOf(path, n);
  return messageOf(parseLine(text), text);
};

describe('calls told by error texts', () => {
  it("reads nova-compute's `Update attachment failed … (HTTP 500) (Request-ID: …)` (Yoga, a bug report)", () => {
    const message = messageAt(
      'samples/field/nova-compute-attachment-update-500/nova-compute-attachment-update-500.log',
      2,
    );
    expect(
      callOfRecord(message, 2, { requestId: 'req-50e5907e-f5ee-41ac-bbbc-078eb04d421b', globalRequestId: null }, null),
    ).toEqual({
      line: 2,
      status: 500,
      requestId: 'req-54e14a81-475d-4f74-bdf4-bd3ec3210955',
      callerRequestId: 'req-50e5907e-f5ee-41ac-bbbc-078eb04d421b',
      service: null,
      message: expect.stringMatching(
        /^Update attachment failed for attachment 02d9dff5-b18d-4d12-87b5-4611f7aa4669\. Error: Unable to update attachment\.\(Bad or unexpected response/,
      ),
    });
  });

  it("reads nova-api's `HTTP exception thrown: … (HTTP 400) (Request-ID: …)` of cinder's refusal (minicloud 07)", () => {
    const message = messageAt('samples/minicloud/07-volume-create-no-valid-backend/nova-api.log', 28);
    expect(errorTextCall(message)).toMatchObject({
      status: 400,
      requestId: 'req-70998675-0e86-45f9-9492-545fef38df46',
    });
  });

  it('reads a traceback line that ends with the exception (minicloud 04, nova-compute)', () => {
    const text = lineOf('samples/minicloud/04-attach-driver-error/nova-compute.log', 56);
    expect(errorTextCall(text)).toMatchObject({ status: 500, requestId: 'req-f27771dc-2fb8-48c8-b447-c070283aa664' });
  });

  it("reads the continuation of keystonemiddleware's `Identity response` record (glance-api, 401)", () => {
    const text = lineOf('samples/field/glance-eventlet-access/glance-api.log', 5);
    expect(errorTextCall(text)).toEqual({
      status: 401,
      requestId: 'req-b127deed-fcd6-4d87-a8d3-b40ba2c74deb',
      before: ': Unauthorized: The request you have made requires authentication.',
    });
  });

  it("is no call of the record's own request, nor a malformed mark", () => {
    const own = 'req-54e14a81-475d-4f74-bdf4-bd3ec3210955';
    const text = `Error: x (HTTP 500) (Request-ID: ${own})`;
    expect(callOfRecord(text, 1, { requestId: own, globalRequestId: null }, null)).toBeNull();
    expect(callOfRecord(text, 1, { requestId: null, globalRequestId: own }, null)).toBeNull();
    expect(errorTextCall('x (HTTP 5000) (Request-ID: req-54e14a81-475d-4f74-bdf4-bd3ec3210955)')).toBeNull();
    expect(errorTextCall('x (HTTP 500) (Request-ID: req-54e14a81)')).toBeNull();
    expect(errorTextCall('x (HTTP 500) (Request-ID: req-54e14a81-475d-4f74-bdf4-bd3ec3210955')).toBeNull();
  });
});

describe("calls told by nova's placement report client", () => {
  // samples/field/grep-report-client-401 (real, Rocky): `[<placement's id>] Failed to … Got 401: <body>.`
  const message = messageAt('samples/field/grep-report-client-401/grep-report-client-401.log', 3);

  it("reads the bracketed id as the callee's and `Got 401` as its status", () => {
    expect(placementCall(message)).toEqual({
      status: 401,
      requestId: 'req-5d53d9f5-99a8-4ce3-9579-92d93ec5f31f',
      before:
        'Failed to retrieve resource provider tree from placement API for UUID 52517eca-5525-4905-aaa1-fed226b3366f.',
    });
    expect(
      callOfRecord(message, 3, { requestId: 'req-6c9a2cb8-b840-4345-bb9e-088068c8568f', globalRequestId: null }, null),
    ).toMatchObject({
      status: 401,
      requestId: 'req-5d53d9f5-99a8-4ce3-9579-92d93ec5f31f',
      callerRequestId: 'req-6c9a2cb8-b840-4345-bb9e-088068c8568f',
      callee: 'placement',
    });
  });

  it('is no call without a request id in the brackets, a status or its colon', () => {
    expect(placementCall(message.replace('[req-5d53d9f5-99a8-4ce3-9579-92d93ec5f31f]', '[None]'))).toBeNull();
    expect(placementCall(message.replace('Got 401:', 'Got 4011:'))).toBeNull();
    expect(placementCall(message.replace('Got 401:', 'Got 401 '))).toBeNull();
    expect(placementCall(message.replace('. Got 401:', ' and nothing more'))).toBeNull();
    // The record's own request in brackets (a context-less prefix) is no call it made.
    expect(
      callOfRecord(message, 3, { requestId: 'req-5d53d9f5-99a8-4ce3-9579-92d93ec5f31f', globalRequestId: null }, null),
    ).toBeNull();
  });
});
