// A pasted nova-compute ERROR and its traceback, with no API log: the step markers under the
// record's request id name the operation, so the story says which attach failed, where and why
// (real samples: conjure-up#884's paste, minicloud 04's nova-compute log given alone).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runPipelineOnText } from '../../src/pipeline.js';
import { paragraphOf, titleOf } from '../../src/explain/paragraph.js';
import type { StoryFacts } from '../../src/explain/story.js';

function explain(path: string) {
  const text = readFileSync(new URL(`../../samples/${path}`, import.meta.url), 'utf8');
  return [...runPipelineOnText([{ name: path, text }]).result.explanations!];
}

describe('explain: the operation a logged error was doing', () => {
  it("names the attach, its volume, server and device, then the traceback's exception", () => {
    const [story, ...more] = explain(
      'field/conjure-up-nova-compute-attach-typeerror/conjure-up-nova-compute-attach-typeerror.log',
    );
    expect(more).toEqual([]);
    expect(story!.title).toBe(
      "attach of volume 9036101a-8833-448f-8cdf-21ff1bc7dd76 to server 1a8a00fb-94b6-4109-ae58-f44291626a46 at /dev/vdb failed in nova-compute: TypeError: Argument must be bytes or unicode, got 'NoneType'",
    );
    expect(story!.text).toMatch(
      /^The attach of volume 9036101a-8833-448f-8cdf-21ff1bc7dd76 to server 1a8a00fb-94b6-4109-ae58-f44291626a46 at \/dev\/vdb failed in nova-compute\. nova-compute logged ERROR \(nova\.compute\.manager\)/,
    );
    expect(story!.text).toContain('No call in the given logs tells more of it.');
    // The facts stay those of the schema: the operation is told, not a new field.
    expect(Object.keys(story!)).not.toContain('loggedOperation');
  });

  it("names it from another record of the request (minicloud 04: cinder's 500 is logged before `Failed to attach`)", () => {
    const [story] = explain('minicloud/04-attach-driver-error/nova-compute.log');
    expect(story!.title).toMatch(
      /^attach of volume 83d930ec-a0bb-4c13-9e43-cd12ae0e4e2d to server 23298385-064c-49b9-8680-7b28594fd76b at \/dev\/sdb failed in nova-compute: Update attachment failed/,
    );
  });

  it('names the worker method a traceback cut before its message and exception went through (kubernetes#66957)', () => {
    const [story, ...more] = explain('field/k8s-nova-compute-rpc-traceback-cut/k8s-nova-compute-rpc-traceback-cut.log');
    expect(more).toEqual([]);
    expect(story!.loggedError!.method).toBe('nova.compute.manager.attach_volume');
    expect(story!.title).toBe('nova-compute logged ERROR in attach_volume: a traceback, cut before its exception');
    expect(story!.text).toContain(
      'The record opens inside its traceback and is cut before the exception. Its traceback went through nova.compute.manager.attach_volume.',
    );
  });

  it("tells the exception of a record cut inside its traceback, opened on a frame's source line (kolla's grep | tail)", () => {
    const name = 'kolla-grep-nova-compute-py312-carets';
    // The note's `server show … -f value -c fault` first: the server's fault is a problem of its own.
    const [fault, story, ...more] = explain(`field/${name}/${name}.log`);
    expect(more).toEqual([]);
    expect(fault!.title).toMatch(/showed a server's fault: 500 Exceeded maximum number of retries/);
    expect(story!.title).toMatch(/^nova-compute logged ERROR: PortBindingFailed: Binding failed for port 378c844d-/);
    expect(story!.text).toContain(
      'Its traceback ended with "nova.exception.PortBindingFailed: Binding failed for port 378c844d-b0b5-45be-90ec-8b222b954163, please check neutron logs for more information.". The record opens inside its traceback: its message was cut off.',
    );
  });

  it("names cinder-volume's RPC method (python-3parclient#14's initialize_connection is cut off: none)", () => {
    const [extend] = explain('minicloud/12-extend-attached/cinder-volume.log');
    expect(extend!.loggedError!.method).toBe('cinder.volume.manager.extend_volume');
    // The extend flow's failure step names the operation (failure-step.test.ts); the method is still told.
    expect(extend!.text).toContain('Its traceback went through cinder.volume.manager.extend_volume.');
    const [cut] = explain(
      'field/hpe3par-cinder-volume-initialize-connection/hpe3par-cinder-volume-initialize-connection.log',
    );
    expect(cut!.loggedError!.method).toBeUndefined();
  });

  it('says nothing of an operation when no marker of the request names one', () => {
    const [story] = explain('field/nova-compute-connectfailure/nova-compute-connectfailure.log');
    expect(story!.title).toMatch(/^nova-compute logged ERROR: ConnectFailure: Unable to establish connection/);
    expect(story!.text).toContain('No call or operation in the given logs tells more of it.');
  });

  it("tells the volume and server the request's records name with the method (conjure-up#884's; kubernetes#66957's record given them)", () => {
    const [conjure] = explain(
      'field/conjure-up-nova-compute-attach-typeerror/conjure-up-nova-compute-attach-typeerror.log',
    );
    expect(conjure!.loggedError).toMatchObject({
      method: 'nova.compute.manager.attach_volume',
      volume: '9036101a-8833-448f-8cdf-21ff1bc7dd76',
      instance: '1a8a00fb-94b6-4109-ae58-f44291626a46',
    });
    // The kubernetes paste names no request: its record, as if its request's records had named them.
    const [cut] = explain('field/k8s-nova-compute-rpc-traceback-cut/k8s-nova-compute-rpc-traceback-cut.log');
    const facts: StoryFacts = {
      ...cut!,
      loggedError: { ...cut!.loggedError!, volume: 'V', instance: 'S' },
      firstMissing: null,
      serviceLogsGiven: true,
      acceptedLast: null,
      commandEnded: false,
      undone: null,
      recovered: null,
    };
    expect(titleOf(facts)).toBe(
      'nova-compute logged ERROR in attach_volume (volume V, server S): a traceback, cut before its exception',
    );
    expect(paragraphOf(facts)).toContain(
      'Its traceback went through nova.compute.manager.attach_volume (volume V, server S).',
    );
  });
});
