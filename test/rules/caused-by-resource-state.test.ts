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
