// cinder-volume's `Driver initialize connection failed (error: …)`: the driver's failure in
// initialize_connection (cinder/volume/manager.py, LOG.exception since 7.0.0 Liberty; also in
// _connection_create, the attachment_update path, since 11.0.0 Pike) as a failure step of the attach flow;
// before Liberty (2014.1 Icehouse to 2015.1 Kilo) LOG.error `Unable to fetch connection information from backend: …`.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runPipelineOnText } from '../../src/pipeline.js';
import { recording } from '../recording.js';

const MARKER = 'cinder.volume.initialize-connection-failed';
const field = (name: string) => ({
  name: `${name}.log`,
  text: readFileSync(new URL(`../../samples/field/${name}/${name}.log`, import.meta.url), 'utf8'),
});
const marked = (inputs: Array<{ name: string; text: string }>) =>
  runPipelineOnText(inputs)
    .result.serviceEvents.filter((e) => e.marker === MARKER)
    .map((e) => e.line);

describe('the failed initialize connection of cinder-volume', () => {
  it('is a step marker on the manager’s record, not on the RPC dispatcher’s re-raise of it', () => {
    // Kilo-era devstack (the arguments left unformatted: `(u'Driver initialize connection failed …', {…})`);
    // line 2 is oslo_messaging's `Exception during message handling: … Driver initialize connection failed`.
    expect(marked([field('hpe3par-cinder-volume-initialize-connection')])).toEqual([1]);
    expect(marked([field('storops-cinder-volume-wrapped')])).toEqual([1]);
    expect(marked(recording('04-attach-driver-error'))).toEqual([19]);
  });

  it("reads Icehouse–Kilo's `Unable to fetch connection information from backend: …` as the same step (cloudbyte FAQ)", () => {
    // Each of the four requests: the manager's LOG.error, then the dispatcher's and oslo.messaging's re-raises of it.
    expect(marked([field('cloudbyte-kilo-cinder-volume-initialize-connection')])).toEqual([1, 20, 39, 58]);
  });

  it('names the failed step in the attach flow of a real recording (minicloud 04), after the failed PUT', () => {
    const { flows } = runPipelineOnText(recording('04-attach-driver-error')).result;
    const attach = flows.find((f) => f.flow === 'server/attach-volume');
    const failed = attach!.steps.filter((s) => s.status === 'failed').map((s) => [s.step, s.source, s.line]);
    expect(failed).toEqual([
      ['attachment-update', 'cinder-api.log', 94],
      ['volume-initialize-connection-failed', 'cinder-volume.log', 19],
      ['attachment-delete-rollback', 'cinder-api.log', 216],
    ]);
  });
});
