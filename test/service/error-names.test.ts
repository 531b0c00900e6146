// The volume and server of the operation an ERROR record's traceback went through
// (serviceErrors[].method), read from the records of its request in its log: nova's
// `[instance: …]`, a marker's capture, cinder's `Volume V:` words. Null when unknown, and
// null when the request names two different ones (which one would be a guess).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runPipelineOnText } from '../../src/pipeline.js';
import { ErrorRecords, volumeNamed } from '../../src/service/errors.js';
import { recording } from '../recording.js';

const field = (name: string) => [
  {
    name: `${name}.log`,
    text: readFileSync(new URL(`../../samples/field/${name}/${name}.log`, import.meta.url), 'utf8'),
  },
];
const errors = (inputs: Array<{ name: string; text: string }>) =>
  (runPipelineOnText(inputs).result.serviceErrors ?? []).map((e) => ({
    source: e.source,
    line: e.line,
    method: e.method,
    volume: e.volume,
    instance: e.instance,
  }));

describe("the volume and server of a logged error's operation", () => {
  it('takes the server from `[instance: …]` and the volume from `Failed to attach V` (conjure-up#884, label read at the end)', () => {
    expect(errors(field('conjure-up-nova-compute-attach-typeerror'))[0]).toEqual({
      source: 'conjure-up-nova-compute-attach-typeerror.log',
      line: 2,
      method: 'nova.compute.manager.attach_volume',
      volume: '9036101a-8833-448f-8cdf-21ff1bc7dd76',
      instance: '1a8a00fb-94b6-4109-ae58-f44291626a46',
    });
  });

  it("fills the RPC server's record from the request's earlier records (minicloud 04's nova-compute.log)", () => {
    const rpc = errors(recording('04-attach-driver-error')).find(
      (e) => e.source === 'nova-compute.log' && e.line === 59,
    );
    expect(rpc).toEqual({
      source: 'nova-compute.log',
      line: 59,
      method: 'nova.compute.manager.attach_volume',
      volume: '83d930ec-a0bb-4c13-9e43-cd12ae0e4e2d',
      instance: '23298385-064c-49b9-8680-7b28594fd76b',
    });
  });

  it('is null when no record of the request names them, and absent without a method', () => {
    const [first, rpc] = errors(field('cloudbyte-kilo-cinder-volume-initialize-connection'));
    expect(first).toEqual({
      source: 'cloudbyte-kilo-cinder-volume-initialize-connection.log',
      line: 1,
      method: undefined,
      volume: undefined,
      instance: undefined,
    });
    expect(rpc).toMatchObject({
      line: 2,
      method: 'cinder.volume.manager.initialize_connection',
      volume: null,
      instance: null,
    });
  });

  it('is null when the request names two different volumes', () => {
    const records = new ErrorRecords('cinder-volume.log');
    const open = records.open({
      line: 1,
      service: 'cinder-volume',
      timestamp: null,
      level: 'ERROR',
      logger: 'oslo_messaging.rpc.server',
      requestId: 'req-1',
      globalRequestId: null,
      message: 'Exception during message handling',
    });
    records.continued(
      open,
      2,
      '  File "/usr/lib/python3/dist-packages/cinder/volume/manager.py", line 4903, in attachment_update',
    );
    // cinder's migration names its source and its temporary volume under one request.
    records.nameRequest('req-1', {
      volume: volumeNamed('Volume b61f3dbe-8704-422e-9961-7e5908e78e3c: retyping'),
      instance: null,
    });
    expect(records.end(null)[0]).toMatchObject({ volume: 'b61f3dbe-8704-422e-9961-7e5908e78e3c', instance: null });
    const again = new ErrorRecords('cinder-volume.log');
    const second = again.open({ ...open.error, message: 'Exception during message handling' });
    again.continued(
      second,
      2,
      '  File "/usr/lib/python3/dist-packages/cinder/volume/manager.py", line 4903, in attachment_update',
    );
    again.nameRequest('req-1', { volume: 'b61f3dbe-8704-422e-9961-7e5908e78e3c', instance: null });
    again.nameRequest('req-1', {
      volume: volumeNamed(
        'Volume volume-4dedaba7-7bba-4a35-a401-7b00647aa5c5 (4dedaba7-7bba-4a35-a401-7b00647aa5c5): created successfully',
      ),
      instance: null,
    });
    expect(again.end(null)[0]).toMatchObject({ volume: null, instance: null });
  });
});
