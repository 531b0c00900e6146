// flow/caused-by-resource-state on the real recording of minicloud 12: an extend of an
// in-use volume fails in cinder-volume (volume error_extending), the later detach gets 400.
// The negative cases edit that recording's lines: the extend succeeding instead, the
// extend's failure logged after the detach.
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/model/schema.js';
import { lintTexts, of, sample } from './helpers.js';

const DIR = 'samples/minicloud/12-extend-attached';
const FILES = ['client.log', 'cinder-api.log', 'cinder-volume.log', 'nova-api.log'];
const EXTEND_FAILED = "Extend volume failed.: AttributeError: 'FakeBrickLVM' object has no attribute 'extend_volume'";

function lint(edit: (name: string, text: string) => string = (_n, t) => t): Finding[] {
  return of(
    lintTexts(FILES.map((name) => ({ name: `${DIR}/${name}`, text: edit(name, sample(`${DIR}/${name}`)) }))),
    'flow/caused-by-resource-state',
  );
}

describe('flow/caused-by-resource-state', () => {
  it('names the failed extend as the cause of the detach 400, on the client call, with a structured cause', () => {
    const findings = lint();
    expect(findings.map((f) => [f.source, f.line, f.severity])).toEqual([[`${DIR}/client.log`, 519, 'error']]);
    expect(findings[0]!.cause).toEqual({
      flow: 'server/extend-volume',
      step: 'extend-failed',
      source: `${DIR}/cinder-volume.log`,
      line: 23,
      requestId: 'req-994a205b-5b69-4c36-bf6d-1a2c27942842',
      globalRequestId: 'req-e42ed5c6-ddcf-42cc-8d43-141951c23f66',
      resource: 'volume',
      resourceId: '777c420b-88f8-4ae0-aa8e-5bc22651c8b1',
      state: 'error_extending',
    });
    expect(findings[0]!.message).toContain(
      `returned 400 (refused at ${DIR}/cinder-api.log:208) because server/extend-volume left volume 777c420b-88f8-4ae0-aa8e-5bc22651c8b1 \`error_extending\` at ${DIR}/cinder-volume.log:23`,
    );
  });

  it('without the client log, reports on the service call that refused', () => {
    const findings = of(
      lintTexts(
        FILES.filter((n) => n !== 'client.log').map((name) => ({
          name: `${DIR}/${name}`,
          text: sample(`${DIR}/${name}`),
        })),
      ),
      'flow/caused-by-resource-state',
    );
    expect(findings.map((f) => [f.source, f.line, f.cause?.state])).toEqual([
      [`${DIR}/cinder-api.log`, 208, 'error_extending'],
    ]);
  });

  it('stays silent when the extend completed (the volume is in-use again)', () => {
    const findings = lint((name, text) =>
      name === 'cinder-volume.log' ? text.replace(EXTEND_FAILED, 'Extend volume completed successfully.') : text,
    );
    expect(findings).toEqual([]);
  });

  it('stays silent when the failure was logged after the refused call', () => {
    const findings = lint((name, text) =>
      name === 'cinder-volume.log'
        ? text.replace(
            `2026-12-04 23:51:31.688 6065 ERROR cinder.volume.manager [req-e42ed5c6`,
            `2026-12-04 23:51:59.000 6065 ERROR cinder.volume.manager [req-e42ed5c6`,
          )
        : text,
    );
    expect(findings).toEqual([]);
  });
});

// minicloud 07: `volume create --type no-backend` accepted with 202, the scheduler finds no
// valid backend and sets the volume error; the later attach gets 400 from cinder-api.
describe('flow/caused-by-resource-state: a volume create no backend could take (minicloud 07)', () => {
  const DIR07 = 'samples/minicloud/07-volume-create-no-valid-backend';
  const FILES07 = ['client.log', 'cinder-api.log', 'cinder-scheduler.log', 'nova-api.log'];
  const VOLUME = 'f5f69092-9577-4b84-8753-a5d16663d7b0';
  const CREATE = 'req-8c4bc214-80f5-462e-a667-badc9c184584';
  const lint07 = (files = FILES07, edit: (name: string, text: string) => string = (_n, t) => t) =>
    of(
      lintTexts(files.map((name) => ({ name: `${DIR07}/${name}`, text: edit(name, sample(`${DIR07}/${name}`)) }))),
      'flow/caused-by-resource-state',
    );
  const atInfo = (_name: string, text: string) =>
    text
      .split('\n')
      .filter((l) => !l.includes(' DEBUG '))
      .join('\n');

  it("names the scheduler's NoValidBackend as the cause of the attach 400, and says to create the volume again", () => {
    const findings = lint07();
    expect(findings.map((f) => [f.source, f.line])).toEqual([[`${DIR07}/client.log`, 205]]);
    expect(findings[0]!.cause).toEqual({
      flow: 'server/volume-create',
      step: 'scheduler-failed',
      source: `${DIR07}/cinder-scheduler.log`,
      line: 25,
      requestId: CREATE,
      // The client sent no global request id: the create is grouped by its own.
      globalRequestId: CREATE,
      resource: 'volume',
      resourceId: VOLUME,
      state: 'error',
    });
    expect(findings[0]!.message).toContain(
      `returned 400 (refused at ${DIR07}/cinder-api.log:79) because server/volume-create left volume ${VOLUME} \`error\` at ${DIR07}/cinder-scheduler.log:25 (step scheduler-failed, request id ${CREATE}).`,
    );
    expect(findings[0]!.message).toContain('delete the volume and create it again');
    expect(findings[0]!.message).not.toContain('reset-state');
  });

  it('at INFO level too: the volume is named by the INFO "Filtering removed all hosts" line', () => {
    const findings = lint07(FILES07, atInfo);
    const scheduler = atInfo('', sample(`${DIR07}/cinder-scheduler.log`)).split('\n');
    const failedAt = scheduler.findIndex((l) => l.includes('Failed to run task')) + 1;
    expect(failedAt).toBeGreaterThan(0);
    expect(findings.map((f) => [f.cause?.source, f.cause?.line, f.cause?.resourceId])).toEqual([
      [`${DIR07}/cinder-scheduler.log`, failedAt, VOLUME],
    ]);
  });

  it('stays silent without the cinder-scheduler log (nothing shows what left the volume error)', () => {
    expect(lint07(FILES07.filter((n) => n !== 'cinder-scheduler.log'))).toEqual([]);
  });

  it('stays silent when the scheduler failed the create only after the refused attach', () => {
    const findings = lint07(FILES07, (name, text) =>
      name === 'cinder-scheduler.log'
        ? text.replace('2026-12-04 23:27:13.250 26782 ERROR', '2026-12-04 23:27:59.250 26782 ERROR')
        : text,
    );
    expect(findings).toEqual([]);
  });
});
