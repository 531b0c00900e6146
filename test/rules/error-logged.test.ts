// service/error-logged and the stories explain makes of ERROR records: real bug-report
// pastes (samples/field) and the real minicloud recordings (samples/minicloud).
import { describe, expect, it } from 'vitest';
import { runPipelineOnText } from '../../src/pipeline.js';
import { recording } from '../recording.js';
import { lintSample, lintTexts, of, sample } from './helpers.js';

const RULE = 'service/error-logged';
const field = (name: string) => `samples/field/${name}/${name}.log`;
const run = (inputs: Array<{ name: string; text: string }>) => runPipelineOnText(inputs).result;

describe('service/error-logged', () => {
  it("tells a traceback's last line as the exception it is (nova-compute's ConnectFailure to cinder)", () => {
    const [f, ...rest] = of(lintSample(field('nova-compute-connectfailure')), RULE);
    expect(rest).toEqual([]);
    expect(f!.severity).toBe('warning');
    expect(f!.message).toMatch(
      /^nova-compute logged ERROR \(oslo_messaging\.rpc\.server\): "keystoneauth1\.exceptions\.connection\.ConnectFailure: Unable to establish connection to http:\/\/cinder-public-openstack\.apps-crc\.testing\//,
    );
  });

  it('keeps the exception a traceback ended with, and counts the records of one kind', () => {
    const extend = run(recording('12-extend-attached')).serviceErrors!;
    expect(extend.find((e) => e.source === 'cinder-volume.log')).toMatchObject({
      line: 23,
      logger: 'cinder.volume.manager',
      exception: "AttributeError: 'FakeBrickLVM' object has no attribute 'extend_volume'",
      count: 1,
    });
    const evacuate = run(recording('26-evacuate-attached')).serviceErrors!;
    expect(evacuate.map((e) => [e.source, e.line, e.count, e.lastLine])).toEqual([['nova-compute.log', 38, 2, 54]]);
  });

  it('a traceback cut before its exception leaves it unknown; a wrapped first line is only that line', () => {
    const [tgtadm] = run([{ name: 'a.log', text: sample(field('suse-cinder-volume-tgtadm')) }]).serviceErrors!;
    expect(tgtadm).toMatchObject({ exception: null, endLine: 11, service: null });
    const [storops] = run([{ name: 'b.log', text: sample(field('storops-cinder-volume-wrapped')) }]).serviceErrors!;
    expect(storops).toMatchObject({ message: 'Driver initialize connection failed (error: Bad', exception: null });
  });

  it('one finding per request and service; a refused request’s own ERROR line is left to the call, a failed step’s request to the flow (minicloud 04)', () => {
    const all = lintTexts(recording('04-attach-driver-error'));
    const findings = of(all, RULE);
    expect(findings.map((f) => [f.source, f.line])).toEqual([['nova-compute.log', 9]]);
    expect(findings[0]!.message).toContain('2 more ERROR record kinds under this request');
    // cinder-volume's driver error (line 19) is the attach flow's failed step; the RPC dispatcher's
    // re-raise of it under the same request (line 31) is not told again.
    const steps = of(all, 'flow/failed-step').filter((f) => f.source === 'cinder-volume.log');
    expect(steps.map((f) => f.line)).toEqual([19]);
    expect(steps[0]!.message).toContain('simulated backend failure in initialize_connection');
  });

  it('is silent on a clean recording', () => {
    expect(of(lintTexts(recording('01-attach-detach')), RULE)).toEqual([]);
  });

  it('gates a CI job when set to error', () => {
    const [f] = of(lintSample(field('nova-compute-attachment-update-500'), { [RULE]: 'error' }), RULE);
    expect(f!.severity).toBe('error');
  });
});

describe('explain on a paste of ERROR records only', () => {
  it('tells the record instead of "no problem", and says no call tells more', () => {
    const [x, ...rest] = run([
      { name: 'nova-compute.log', text: sample(field('nova-compute-connectfailure')) },
    ]).explanations!;
    expect(rest).toEqual([]);
    expect(x!.severity).toBe('warning');
    expect(x!.title).toBe(
      'nova-compute logged ERROR: ConnectFailure: Unable to establish connection to http://cinder-public-openstack.apps-crc.testing/:…',
    );
    expect(x!.loggedError).toMatchObject({ service: 'nova-compute', line: 1 });
    expect(x!.text).toContain('No call or operation in the given logs tells more of it.');
    expect(x!.text).not.toContain('Only client output was given');
  });

  it('an ERROR record of a failed operation is part of its story, not a story of its own (minicloud 04)', () => {
    const stories = [...run(recording('04-attach-driver-error')).explanations!];
    expect(stories.map((s) => s.loggedError)).toEqual([null]);
    const logged = stories[0]!.followed.filter((f) => f.kind === 'error-log');
    // One per service, the first; not cinder-api's ERROR line of the 500 it answered (the first error tells it).
    expect(logged.map((f) => [f.source, f.line])).toEqual([
      ['cinder-volume.log', 19],
      ['nova-compute.log', 9],
    ]);
    expect(stories[0]!.text).toContain('simulated backend failure');
  });

  it('a clean recording still has no problem', () => {
    expect(run(recording('01-attach-detach')).explanations).toEqual([]);
  });
});
