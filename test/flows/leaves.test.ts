// The status each flow instance leaves its resource in (FlowResult.leaves), on the real
// recording of minicloud 12: the attach leaves the volume in-use, the failed extend
// error_extending (a failure line happens as described), the refused detach nothing
// (a call answered 400 changed no status); and a swap names its new volume by {new_volume}.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { runPipelineOnText } from '../../src/pipeline.js';
import { loadFlowFile } from '../../src/flows/load.js';
import { replayRun } from '../../src/flows/index.js';
import { sampleRun } from '../../src/flows/selftest.js';

const DIR = 'samples/minicloud/12-extend-attached';
const read = (name: string) => ({
  name: `${DIR}/${name}`,
  text: readFileSync(new URL(`../../${DIR}/${name}`, import.meta.url), 'utf8'),
});

describe('FlowResult.leaves', () => {
  it('records which status each operation left the volume in, and where', () => {
    const { result } = runPipelineOnText(
      ['cinder-api.log', 'cinder-volume.log', 'nova-api.log', 'nova-compute.log'].map(read),
    );
    const byFlow = Object.fromEntries(result.flows.map((f) => [f.flow, f.leaves]));
    const volume = '777c420b-88f8-4ae0-aa8e-5bc22651c8b1';
    expect(byFlow['server/attach-volume']).toMatchObject({ id: volume, state: 'in-use', step: 'attachment-complete' });
    expect(byFlow['server/extend-volume']).toEqual({
      resource: 'volume',
      id: volume,
      state: 'error_extending',
      step: 'extend-failed',
      source: `${DIR}/cinder-volume.log`,
      line: 23,
      requestId: 'req-994a205b-5b69-4c36-bf6d-1a2c27942842',
      atMs: Date.parse('2026-12-04T23:51:31.688'),
    });
    expect(byFlow['server/detach-volume']).toBeNull();
  });

  it("names the resource by the transition's capture: a swap rolled back leaves its new volume available", () => {
    const loaded = loadFlowFile(fileURLToPath(new URL('../../grammars/server-swap-volume.flow.json', import.meta.url)));
    if (!loaded.ok) throw new Error('server-swap-volume.flow.json does not load');
    const failed = loaded.value.samples.find((s) => s.name.startsWith('driver swap failed'))!;
    const [flow] = replayRun(loaded.value.flows, sampleRun(loaded.value.file, failed)).flows;
    expect(flow!.leaves).toMatchObject({
      id: 'c0ffee00-1d2e-4f3a-8b4c-5d6e7f8a9b0c',
      state: 'available',
      step: 'new-attachment-delete-rollback',
    });
  });
});
