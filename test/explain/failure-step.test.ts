// A service's ERROR record that is a flow's failure step, with no log of the request that starts
// the flow (cinder-volume's log alone): the story names the operation and the step from the flow
// grammars (python-3parclient#14's paste, storops#171's wrapped paste, minicloud 04's and 12's cinder-volume logs).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { failuresByMarker } from '../../src/flows/failure-steps.js';
import { loadRunFlows } from '../../src/flows/index.js';
import type { CompiledFlow } from '../../src/flows/compile.js';
import { runPipelineOnText } from '../../src/pipeline.js';

function explain(path: string) {
  const text = readFileSync(new URL(`../../samples/${path}`, import.meta.url), 'utf8');
  return [...runPipelineOnText([{ name: path, text }]).result.explanations!];
}

const STEP = `"cinder-volume's driver fails to initialize the connection"`;

describe("explain: a service's ERROR record that is a flow's failure step", () => {
  it('names the attach and its failed step (python-3parclient#14: Kilo cinder-volume, no other log)', () => {
    const [story, ...more] = explain(
      'field/hpe3par-cinder-volume-initialize-connection/hpe3par-cinder-volume-initialize-connection.log',
    );
    expect(more).toEqual([]);
    expect(story!.title).toBe(
      `volume attach failed at cinder-volume ${STEP}: (u'Driver initialize connection failed (error: %(err)s).', {'err': u"'hostname'"})`,
    );
    expect(story!.text).toMatch(
      new RegExp(
        `^The volume attach failed in cinder-volume: its record is the step ${STEP} \\(volume-initialize-connection-failed\\) of server/attach-volume, whose start is in none of the given logs\\. cinder-volume logged ERROR`,
      ),
    );
    expect(story!.text).toContain('No call in the given logs tells more of it.');
    // The logs whose request starts an attach (the flow's anchors) were not given.
    expect(story!.missingLogs).toEqual(['nova-api', 'cinder-api']);
    expect(story!.text).toMatch(/Not given: the nova-api, cinder-api logs, which would show what happened there\.$/);
    expect(Object.keys(story!)).not.toContain('loggedStep');
  });

  it('names the attach and its step for a record logged without a request id (`[-]`), the id left null', () => {
    // No published `[-]` record of a failure step was found: python-3parclient#14's paste with its
    // records' context `[req-… None None]` replaced by oslo.log's `[-]` (what a record outside any
    // request's context writes), at test time; nothing else of the text changed.
    const path = 'field/hpe3par-cinder-volume-initialize-connection/hpe3par-cinder-volume-initialize-connection.log';
    const text = readFileSync(new URL(`../../samples/${path}`, import.meta.url), 'utf8').replaceAll(
      '[req-ae836f09-b688-4803-b710-bbc2b46cef20 None None]',
      '[-]',
    );
    expect(text).not.toContain('req-');
    const [story, second] = [...runPipelineOnText([{ name: 'cinder-volume.log', text }]).result.explanations!];
    expect(story!.title).toBe(
      `volume attach failed at cinder-volume ${STEP}: (u'Driver initialize connection failed (error: %(err)s).', {'err': u"'hostname'"})`,
    );
    expect(story!.missingLogs).toEqual(['nova-api', 'cinder-api']);
    expect(story!.loggedError).toMatchObject({ line: 1, requestId: null, globalRequestId: null });
    expect(story!.text).not.toContain('request id');
    // The dispatcher's record of the same failure is no step: with no id to join them by, it stays a problem of its own.
    expect(second!.title).toMatch(/^cinder-volume logged ERROR: Exception during message handling: /);
  });

  it("names it from Icehouse–Kilo's `Unable to fetch connection information from backend` (cloudbyte FAQ)", () => {
    const [story, ...more] = explain(
      'field/cloudbyte-kilo-cinder-volume-initialize-connection/cloudbyte-kilo-cinder-volume-initialize-connection.log',
    );
    expect(more).toEqual([]);
    expect(story!.title).toMatch(
      new RegExp(
        `^volume attach failed at cinder-volume ${STEP}: Unable to fetch connection information from backend: `,
      ),
    );
  });

  it('keeps the method its traceback went through (storops: cinder.volume.manager.initialize_connection)', () => {
    const [story] = explain('field/storops-cinder-volume-wrapped/storops-cinder-volume-wrapped.log');
    expect(story!.title).toMatch(new RegExp(`^volume attach failed at cinder-volume ${STEP}: Driver initialize`));
    expect(story!.text).toContain('Its traceback went through cinder.volume.manager.initialize_connection.');
  });

  it("names the extend from cinder-volume's `Extend volume failed.` (minicloud 12's cinder-volume log alone)", () => {
    const [story] = explain('minicloud/12-extend-attached/cinder-volume.log');
    expect(story!.title).toMatch(
      /^volume extend failed at cinder-volume "cinder-volume reports the failed extend": AttributeError: /,
    );
    expect(story!.missingLogs).toContain('cinder-api');
  });

  it('an ERROR record no failure step marks stays a logged error', () => {
    const [story] = explain('field/nova-compute-connectfailure/nova-compute-connectfailure.log');
    expect(story!.title).toMatch(/^nova-compute logged ERROR: ConnectFailure/);
  });
});

describe('failuresByMarker', () => {
  const flows = loadRunFlows();
  it('reads the failure steps and the services that start their flows from the grammars', () => {
    const step = failuresByMarker(flows).get('cinder.volume.initialize-connection-failed');
    expect(step).toEqual({
      flow: 'server/attach-volume',
      flowTitle: 'volume attach',
      step: 'volume-initialize-connection-failed',
      title: "cinder-volume's driver fails to initialize the connection",
      observer: 'cinder-volume',
      startedBy: ['nova-api', 'cinder-api'],
    });
    // A step that is no failure (cinder's `Connection info returned from driver`) is none.
    expect(failuresByMarker(flows).has('cinder.volume.initialize-connection')).toBe(false);
  });

  it('names no step for a marker two flows fail at: which one failed would be a guess', () => {
    const attach = flows.find((f) => f.def.id === 'server/attach-volume')!;
    const copy: CompiledFlow = { ...attach, def: { ...attach.def, id: 'user/attach-copy' } };
    expect(failuresByMarker([attach, copy]).get('cinder.volume.initialize-connection-failed')).toBeNull();
  });
});
