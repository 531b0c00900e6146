// A client record's body or message goes on only over the lines right after it: a line of
// another source in between (a service's record, Pebble's or uwsgi's own line) ends it, so an
// unprefixed line after that is not the client record's. Real lines: keystoneauth's REQ, RESP
// and RESP BODY in nova-api's log with the debug suffix its record goes on with
// (samples/field/nova-api-authtoken-ksa), and real lines of other sources put between the RESP
// BODY and that suffix.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runPipelineOnText } from '../../src/pipeline.js';

const lines = (path: string) => readFileSync(new URL(`../../samples/${path}`, import.meta.url), 'utf8').split('\n');

const ksa = lines('field/nova-api-authtoken-ksa/nova-api-authtoken-ksa.log');
const conductor = lines(
  'field/sunbeam-pebble-nova-conductor/k8s_kubectl_--namespace_openstack_logs_nova-0_-c_nova-conductor',
);
const novaApi = lines('field/sunbeam-pebble-nova-api/k8s_kubectl_--namespace_openstack_logs_nova-0_-c_nova-api');
const uwsgi = lines('minicloud/06-legacy-detach-forced/nova-api-uwsgi.log');

/** The client lines (REQ, RESP, RESP BODY; then its ` _http_log_response …` suffix), `between` after the body. */
function run(between: string[]) {
  const text = [...ksa.slice(0, 3), ...between, ...ksa.slice(3)].join('\n');
  const { result } = runPipelineOnText([{ name: 'nova-api.log', text }], {});
  const input = result.inputs[0]!;
  const client = [...result.exchanges].filter((e) => e.side === 'client');
  return {
    client: client.map((e) => [e.line, e.endLine, e.method, e.status]),
    unrecognized: input.unrecognized.map((u) => u.line),
  };
}

describe('a client record with a line of another source after it', () => {
  it('goes on over the line right after its body (control: nothing between)', () => {
    expect(ksa[3]).toMatch(/^ _http_log_response /);
    expect(run([])).toEqual({ client: [[1, 4, 'GET', 300]], unrecognized: [] });
  });

  it("ends at Pebble's own line: the unprefixed line after it is not the body's", () => {
    // `2025-05-14T07:07:42.109Z [pebble] GET /v1/notices?timeout=30s 168.034471ms 200`
    expect(run([conductor[2]!])).toEqual({ client: [[1, 3, 'GET', 300]], unrecognized: [5] });
  });

  it("ends at a service's access line (Apache under Pebble) and at uwsgi's own diagnostic", () => {
    expect(run([novaApi[56]!])).toEqual({ client: [[1, 3, 'GET', 300]], unrecognized: [5] });
    expect(run([uwsgi[1]!])).toEqual({ client: [[1, 3, 'GET', 300]], unrecognized: [5] });
  });

  it("ends at a service's record: after that record's end (a blank line), the unprefixed line is neither's", () => {
    // nova-conductor's ERROR (Pebble, then oslo.log): a record read from entries ends at a blank line
    expect(run([conductor[36]!, ''])).toEqual({ client: [[1, 3, 'GET', 300]], unrecognized: [6] });
  });
});
