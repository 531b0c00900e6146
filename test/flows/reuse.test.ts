// The replay reuses work between instances: per-instance pair tables and DP arrays
// are scratch space kept between calls, and the alignments of a flow's paths are
// remembered by table content. None of that may leak from one instance into another.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { flowFilesIn, loadFlowFile, type LoadedFlowFile } from '../../src/flows/load.js';
import { replayRun } from '../../src/flows/index.js';
import { sampleRun } from '../../src/flows/selftest.js';
import type { SampleEvent } from '../../src/flows/grammar-schema.js';

const grammars = fileURLToPath(new URL('../../grammars/', import.meta.url));
const loaded: LoadedFlowFile[] = flowFilesIn(grammars).map((file) => {
  const r = loadFlowFile(file);
  if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join('\n'));
  return r.value;
});
const samples = loaded.flatMap((lf) => lf.samples.map((sample) => ({ lf, run: sampleRun(lf.file, sample) })));
const replayAll = (order: typeof samples) => order.map(({ lf, run }) => JSON.stringify(replayRun(lf.flows, run)));

const volumeFile = loaded.find((lf) => lf.flows.some((f) => f.def.id === 'client/volume-delete'))!;
/** A volume delete whose version discovery is probed `probes` times: one loose instance of probes + 4 events. */
const volumeDelete = (probes: number) => {
  const volume = '/v3/7f697e5c98a34cb1a2c11b7809b4766e/volumes/a0f00d83-6c4e-40b7-bca0-f372e48e57aa';
  const events: SampleEvent[] = [
    { type: 'exchange', observer: 'client', service: 'identity', method: 'GET', path: '/v3', status: 200 },
    {
      type: 'exchange',
      observer: 'client',
      service: 'identity',
      method: 'POST',
      path: '/v3/auth/tokens',
      status: 201,
      kind: 'auth',
    },
    ...Array.from({ length: probes }, (): SampleEvent => ({
      type: 'exchange',
      observer: 'client',
      service: 'volume',
      method: 'GET',
      path: '/',
      status: 200,
    })),
    { type: 'exchange', observer: 'client', service: 'volume', method: 'GET', path: volume, status: 200 },
    { type: 'exchange', observer: 'client', service: 'volume', method: 'DELETE', path: volume, status: 202 },
  ];
  return replayRun(
    volumeFile.flows,
    sampleRun(volumeFile.file, { name: `delete after ${probes} probes`, events, expect: [] }),
  );
};

describe('work reused between instances', () => {
  it('every grammar sample replays the same alone, again, and after all the others in reverse order', () => {
    const forward = replayAll(samples);
    const again = replayAll(samples);
    const reverse = replayAll([...samples].reverse()).reverse();
    expect(again).toEqual(forward);
    expect(reverse).toEqual(forward);
  });

  it('an instance too long to keep its tables replays whole, and the short ones around it are unchanged', () => {
    const short = JSON.stringify(volumeDelete(2));
    const long = volumeDelete(20_000);
    expect(JSON.stringify(volumeDelete(2))).toBe(short);
    expect(long.flows.map((f) => [f.flow, f.verdict])).toEqual([['client/volume-delete', 'complete']]);
    const steps = long.flows[0]!.steps;
    expect(steps.filter((s) => s.step === 'volume-discovery' && s.status === 'matched')).toHaveLength(20_000);
    expect(steps.filter((s) => s.step !== 'volume-discovery').map((s) => [s.step, s.status])).toEqual([
      ['identity-discovery', 'matched'],
      ['auth', 'matched'],
      ['get-volume', 'matched'],
      ['delete-volume', 'matched'],
    ]);
    expect(steps.every((s) => s.status === 'matched')).toBe(true);
    expect(JSON.stringify(volumeDelete(20_000))).toBe(JSON.stringify(long));
  });
});
