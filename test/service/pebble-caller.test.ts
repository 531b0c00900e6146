// A client call a service logged under Pebble (Canonical's rocks): the service Pebble names is the
// call's caller, as journald's identifier is, also one ostrace knows no other name for. Real lines:
// novaclient's REQ, RESP, RESP BODY and `… used request id …` logged inside a request of
// cinder-volume (samples/minicloud/21-extend-attached-ok/cinder-volume.log, lines 22-25), behind Pebble's prefix
// as the Sunbeam sosreport canonical/hotsos keeps shows it (samples/field/sunbeam-pebble-nova-conductor:
// `2025-05-14T07:10:35.743Z [nova-conductor] ` before the oslo.log line), among Pebble's own lines
// of that report. `heat-engine` is the Pebble service of heat's engine container in Sunbeam's heat-k8s
// charm (charms/heat-k8s/src/charm.py of sunbeam-charms, read in its copy thejjw/sunbeam-charms: HeatEnginePebbleHandler).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runPipelineOnText } from '../../src/pipeline.js';

const lines = (path: string) => readFileSync(new URL(`../../samples/${path}`, import.meta.url), 'utf8').split('\n');

const call = lines('minicloud/21-extend-attached-ok/cinder-volume.log').slice(21, 25);
const pebbleOwn = lines(
  'field/sunbeam-pebble-nova-conductor/k8s_kubectl_--namespace_openstack_logs_nova-0_-c_nova-conductor',
).slice(0, 3);

/** The call under Pebble's prefix for `service`, after Pebble's own first lines. */
function callerOf(service: string) {
  const text = [...pebbleOwn, ...call.map((l) => `2025-05-14T07:10:35.743Z [${service}] ${l}`)].join('\n');
  const { result } = runPipelineOnText([{ name: `k8s_kubectl_${service}`, text }], {});
  const input = result.inputs[0]!;
  const client = [...result.exchanges].filter((e) => e.side === 'client');
  return {
    calls: client.map((e) => [e.line, e.endLine, e.method, e.status, e.caller ?? null]),
    unrecognized: input.unrecognized.map((u) => u.line),
    label: input.service,
  };
}

describe('a client call logged under a Pebble service', () => {
  const requestId = 'req-e98d7dfc-2879-4fda-a24d-04ec51375808';

  it('names a service ostrace knows no other name for as its caller (heat-engine)', () => {
    expect(call[0]).toMatch(/ DEBUG novaclient\.v2\.client \[req-52e5d7e7-\S+ req-e98d7dfc-\S+ .*\] REQ: curl /);
    // Without it the call had no caller, and in a log with no service line was the client's own call.
    expect(callerOf('heat-engine')).toMatchObject({
      calls: [[4, 7, 'POST', 200, { service: 'heat-engine', requestId, seen: 'http-log' }]],
      unrecognized: [],
    });
  });

  it('labels a log of only such calls and Pebble lines by the service Pebble names, not as a client', () => {
    // Pebble prefixes only its services' output: these calls are heat-engine's own (it was 'client')
    expect(callerOf('heat-engine').label).toBe('heat-engine');
    expect(callerOf('cinder-volume').label).toBe('cinder-volume');
  });

  it('names a service journald would name as before (cinder-volume)', () => {
    expect(callerOf('cinder-volume').calls).toEqual([
      [4, 7, 'POST', 200, { service: 'cinder-volume', requestId, seen: 'http-log' }],
    ]);
  });

  it("reads the request id line with its logger's debug suffix as one record (Pebble's second timestamp)", () => {
    // The suffix after the id was cut off as a record of its own (a second timestamp on the line
    // makes it looked at as a flattened log's), counted unrecognized; the call ended a line before.
    expect(call[3]).toMatch(/ used request id req-1472e1f3-\S+ request \/usr\/lib\/\S+session\.py:954$/);
    expect(callerOf('cinder-volume')).toMatchObject({ calls: [[4, 7, 'POST', 200, {}]], unrecognized: [] });
  });
});
