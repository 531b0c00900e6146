// Pastes of a failed attach that start or end inside a traceback (real samples from GitHub
// issues): the closing empty line of a traceback cut off above is no error of its own, a record
// opened on a frame is a traceback under way, and the frames' modules name the service when no
// logger does.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../src/analyze.js';

const sample = (name: string) =>
  readFileSync(new URL(`../../samples/field/${name}/${name}.log`, import.meta.url), 'utf8');

describe('a pasted failure cut inside a traceback', () => {
  it("skips the empty ERROR line that closes an earlier traceback (conjure-up#884's line 1)", () => {
    const text = sample('conjure-up-nova-compute-attach-typeerror');
    const { result } = analyzeText([{ name: 'paste.log', text }]);
    expect([...result.serviceErrors!].map((e) => [e.line, e.message, e.exception])).toEqual([
      [
        2,
        'Failed to attach 9036101a-8833-448f-8cdf-21ff1bc7dd76 at /dev/vdb',
        "TypeError: Argument must be bytes or unicode, got 'NoneType'",
      ],
      [13, 'Exception during message handling', null],
    ]);
    // The line is still read as nova.virt.block_device's: recognized, not an error.
    expect(result.inputs[0]!.unrecognizedLines).toBe(0);
  });

  it('names the service from the frames when no logger does (kubernetes#66957: oslo_messaging.rpc.server only)', () => {
    const text = sample('k8s-nova-compute-rpc-traceback-cut');
    const { result } = analyzeText([{ name: 'paste.log', text }]);
    expect(result.inputs.map((i) => i.service)).toEqual(['nova-compute']);
    const [error, ...more] = [...result.serviceErrors!];
    expect(more).toEqual([]);
    expect([error!.service, error!.line, error!.endLine]).toEqual(['nova-compute', 1, 10]);
    // nova/compute/api.py runs in nova-api: a frame there names no worker.
    const api = text.replaceAll('nova/compute/manager.py', 'nova/compute/api.py');
    expect(analyzeText([{ name: 'paste.log', text: api }]).result.inputs.map((i) => i.service)).toEqual([null]);
  });

  it("reads a record opened on a frame's source line as a traceback under way (kolla, `grep | tail -n 20`, Python 3.12's `^^^^`)", () => {
    const text = sample('kolla-grep-nova-compute-py312-carets');
    const { result } = analyzeText([{ name: 'paste.log', text }]);
    expect([...result.serviceErrors!].map((e) => [e.service, e.line, e.endLine, e.message, e.exception])).toEqual([
      [
        'nova-compute',
        32,
        51,
        '    nwinfo = self.network_api.allocate_for_instance(',
        'nova.exception.PortBindingFailed: Binding failed for port 378c844d-b0b5-45be-90ec-8b222b954163, please check neutron logs for more information.',
      ],
    ]);
  });

  it('takes the exception after a record opened on a frame', () => {
    const text = sample('k8s-nova-compute-rpc-traceback-cut');
    const tail = '2018-07-27 14:02:06.443 31051 ERROR oslo_messaging.rpc.server TypeError: boom';
    const { result } = analyzeText([{ name: 'paste.log', text: `${text}${tail}\n` }]);
    expect([...result.serviceErrors!].map((e) => e.exception)).toEqual(['TypeError: boom']);
  });
});

describe('a traceback frame a paste wrapped', () => {
  it('is no exception (python-3parclient#14: `…/rpc/dispatc` / `her.py", line 142, in _dispatch_and_reply`)', () => {
    const text = sample('hpe3par-cinder-volume-initialize-connection');
    const { result } = analyzeText([{ name: 'paste.log', text }]);
    expect([...result.serviceErrors!].map((e) => [e.line, e.logger, e.exception])).toEqual([
      [1, 'cinder.volume.manager', null],
      [2, 'oslo_messaging.rpc.dispatcher', null],
    ]);
    // The traceback's own last line after it still is its exception.
    const tail =
      '2015-05-12 13:22:12.861 TRACE oslo_messaging.rpc.dispatcher VolumeBackendAPIException: Bad or unexpected response\n';
    const more = analyzeText([{ name: 'paste.log', text: text + tail }]).result.serviceErrors!;
    expect([...more].map((e) => e.exception)).toEqual([null, 'VolumeBackendAPIException: Bad or unexpected response']);
  });
});
