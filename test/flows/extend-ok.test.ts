// A successful extend of an in-use volume, recorded (samples/minicloud/21-extend-attached-ok,
// a backend whose driver can extend): every step of server/extend-volume happens — cinder-api's
// os-extend, cinder-volume's volume-extended event to nova, nova-compute extending it on the
// host — and the volume is left in-use; one host, so no clock skew, although cinderclient
// sent the request id of its earlier GET as the global id of the extend.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runPipelineOnText } from '../../src/pipeline.js';

const DIR = new URL('../../samples/minicloud/21-extend-attached-ok/', import.meta.url);
const run = () =>
  runPipelineOnText(
    readdirSync(DIR)
      .filter((n) => n.endsWith('.log'))
      .sort()
      .map((name) => ({ name, text: readFileSync(new URL(name, DIR), 'utf8') })),
  ).result;

describe('server/extend-volume on a real successful extend', () => {
  const result = run();
  const extend = result.flows.filter((f) => f.flow === 'server/extend-volume');

  it('matches every step of the success ending and leaves the volume in-use', () => {
    expect(extend.map((f) => f.verdict)).toEqual(['complete']);
    expect(extend[0]!.steps.filter((s) => s.status === 'matched').map((s) => s.step)).toEqual([
      'extend-request',
      'extend-issued',
      'nova-event',
      'nova-event-response',
      'extend-done',
      'compute-event-received',
      'compute-handle-event',
      'compute-extend',
    ]);
    expect(extend[0]!.leaves).toMatchObject({ resource: 'volume', state: 'in-use', step: 'extend-done' });
  });

  it('reports nothing: every flow complete, no clock skew', () => {
    expect(result.flows.filter((f) => f.verdict !== 'complete')).toEqual([]);
    expect(result.findings).toEqual([]);
    expect(result.clockSkews).toEqual([]);
  });
});
