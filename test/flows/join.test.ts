// server/volume-create on real cinder 2015.1 (Kilo) logs: CloudByte's published test results
// (samples/field/cloudbyte-kilo-create-volume, CRLF as published). Kilo logs no `Created volume successfully.` (added
// in 7.0.0) and its driver's context.get_admin_context() put the last create line, `Volume … (…):
// created successfully`, under another request id (cinder bug 1511406, fixed in 8.0.0): the flow
// joins that line by the volume it names. The same log without that line is no clean create; with Kilo's
// `Volume …: create failed` in its place (under the same admin id) the create it belongs to fails.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runPipelineOnText } from '../../src/pipeline.js';
import type { FlowResult } from '../../src/model/flow-schema.js';

const NAME = 'cloudbyte-kilo-create-volume.log';
const text = readFileSync(
  fileURLToPath(new URL(`../../samples/field/cloudbyte-kilo-create-volume/${NAME}`, import.meta.url)),
  'utf8',
);
const CREATES = [
  {
    key: 'req-9bd4d869-ba9e-4973-bae3-05403c82f696',
    volume: 'b61f3dbe-8704-422e-9961-7e5908e78e3c',
    admin: 'req-941ae384-4a57-49bd-ae61-4170e28c7412',
    line: 22,
  },
  {
    key: 'req-f582cc7d-fb84-4d3b-87ef-c5026001441a',
    volume: '33d25caa-3359-4a54-954a-f439e67c5ad8',
    admin: 'req-5207823e-93fb-4586-980b-97d39f5c6f38',
    line: 40,
  },
  {
    key: 'req-40cbd4b7-b86f-48df-bbb5-a6dc58470e44',
    volume: '27566eb6-7619-459b-b548-54aebb37747f',
    admin: 'req-da3193ac-0ae6-4444-89b6-6f9d50763f50',
    line: 58,
  },
];

function run(log: string) {
  const { result } = runPipelineOnText([{ name: NAME, text: log }]);
  return { flows: result.flows.filter((f) => f.flow === 'server/volume-create'), findings: result.findings };
}

const happened = (f: FlowResult) => f.steps.filter((s) => s.status !== 'skipped').map((s) => [s.step, s.status]);

describe('server/volume-create on cinder 2015.1 (Kilo)', () => {
  it('each clean create ends with its `created successfully` line, logged under the admin context id: the volume available', () => {
    const { flows, findings } = run(text);
    expect(flows.map((f) => f.requestId)).toEqual(CREATES.map((c) => c.key));
    flows.forEach((f, i) => {
      const c = CREATES[i]!;
      expect(happened(f)).toEqual([
        ['create-request', 'missing'],
        ['create-issued', 'missing'],
        ['volume-create-start', 'matched'],
        ['volume-created', 'matched'],
      ]);
      const created = f.steps.find((s) => s.step === 'volume-created')!;
      expect([created.line, created.requestId]).toEqual([c.line, c.admin]);
      expect(f.captures).toEqual({ volume: c.volume });
      expect(f.leaves).toMatchObject({ id: c.volume, state: 'available', step: 'volume-created', line: c.line });
    });
    // Only cinder-api's steps are unseen (its log was not given): a warning, no error.
    expect(findings.filter((x) => x.ruleId.startsWith('flow/')).map((x) => [x.ruleId, x.severity, x.line])).toEqual([
      ['flow/missing-step', 'warning', 8],
    ]);
  });

  it('without the `created successfully` lines no create completes: each misses its last step (an error)', () => {
    const { flows, findings } = run(
      text
        .split('\r\n')
        .filter((l) => !l.endsWith('created successfully'))
        .join('\r\n'),
    );
    expect(flows).toHaveLength(3);
    for (const f of flows) {
      expect(f.verdict).toBe('incomplete');
      // No step of it moved the volume: cinder-api's 202 (to creating) was not given either.
      expect(f.leaves?.state ?? null).toBeNull();
    }
    expect(findings.filter((x) => x.ruleId === 'flow/missing-step' && x.severity === 'error')).toHaveLength(3);
  });

  it("with Kilo's `Volume …: create failed` in its place, under the same admin context id, the create it belongs to fails", () => {
    // cinder 2015.1.2 cinder/volume/flows/manager/create_volume.py:200 (ERROR, ExtractVolumeRefTask.revert), in the
    // create's green thread after the driver's get_admin_context(): under the admin context's id.
    const c = CREATES[0]!;
    const lines = text.split('\r\n');
    const at = c.line - 1;
    lines[at] = lines[at]!.replace(
      ` INFO cinder.volume.flows.manager.create_volume [${c.admin}`,
      ` ERROR cinder.volume.flows.manager.create_volume [${c.admin}`,
    ).replace(/\] Volume .*$/, `] Volume ${c.volume}: create failed`);
    expect(lines[at]).toContain(
      `ERROR cinder.volume.flows.manager.create_volume [${c.admin} - - - - -] Volume ${c.volume}: create failed`,
    );
    const { flows, findings } = run(lines.join('\r\n'));
    const ofVolume = flows.filter((f) => f.captures?.volume === c.volume);
    // One instance, the create's (no second one under the admin id): failed at the joined line, the volume error.
    expect(ofVolume.map((f) => [f.requestId, f.verdict])).toEqual([[c.key, 'failed']]);
    const failed = ofVolume[0]!.steps.find((s) => s.step === 'volume-create-failed')!;
    expect([failed.status, failed.line, failed.requestId]).toEqual(['failed', c.line, c.admin]);
    expect(ofVolume[0]!.leaves).toMatchObject({ id: c.volume, state: 'error', step: 'volume-create-failed' });
    // The other two creates are still clean.
    expect(flows.filter((f) => f.captures?.volume !== c.volume).map((f) => f.leaves?.state)).toEqual([
      'available',
      'available',
    ]);
    expect(
      findings
        .filter((x) => x.ruleId === 'flow/failed-step' || x.ruleId === 'flow/missing-step')
        .map((x) => [x.ruleId, x.line]),
    ).toMatchInlineSnapshot(`
      [
        [
          "flow/missing-step",
          8,
        ],
        [
          "flow/failed-step",
          22,
        ],
      ]
    `);
  });

  it('a `create failed` line no create names the volume of (the log began after its start) is a failed create of its own', () => {
    const c = CREATES[0]!;
    const lines = text.split('\r\n');
    const at = c.line - 1;
    lines[at] = lines[at]!.replace(' INFO ', ' ERROR ').replace(/\] Volume .*$/, `] Volume ${c.volume}: create failed`);
    // Only the lines from the `create failed` on: the create's start is not in the log.
    const { flows } = run(lines.slice(at).join('\r\n'));
    expect(flows.map((f) => [f.requestId, f.verdict, f.captures?.volume])).toEqual([
      [c.admin, 'failed', c.volume],
      [CREATES[1]!.key, 'incomplete', CREATES[1]!.volume],
      [CREATES[2]!.key, 'incomplete', CREATES[2]!.volume],
    ]);
  });
});
