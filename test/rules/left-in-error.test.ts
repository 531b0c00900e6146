// command/left-in-error on the real minicloud recordings: 12's `volume set --size 2` was
// accepted (202) and cinder-volume failed the extend; the client's next read shows the volume
// `error_extending`; 07's `volume create` was accepted (202, its body names the new volume) and
// cinder-scheduler found no backend: the next read shows it `error`. 21 (the same extend, which
// worked), a delete and the other recordings' volume calls stay quiet.
import { describe, expect, it } from 'vitest';
import { recording } from '../recording.js';
import { lintTexts, of } from './helpers.js';

const RULE = 'command/left-in-error';
const clientOnly = (dir: string) => recording(dir).filter((i) => i.name === 'client.log');

describe('command/left-in-error', () => {
  it("tells 12's extend from the client log alone, with the read that showed it", () => {
    const [f, ...rest] = of(lintTexts(clientOnly('12-extend-attached')), RULE);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({
      severity: 'error',
      source: 'client.log',
      line: 325,
      observed: { source: 'client.log', line: 373, resource: 'volume', name: 'vol-12', state: 'error_extending' },
    });
    expect(f!.message).toBe(
      '`volume set`: POST /v3/4002408efab24921ac623fdf4cdf1270/volumes/777c420b-88f8-4ae0-aa8e-5bc22651c8b1/action ' +
        'was accepted (HTTP 202, request id req-994a205b-5b69-4c36-bf6d-1a2c27942842), but volume vol-12 read at ' +
        "client.log:373 is 'error_extending': the operation failed after the API answered (cinder-volume's log tells why)",
    );
  });

  it("tells 07's create from the client log alone: the 202 names the new volume, the next read shows it error", () => {
    const [f, ...rest] = of(lintTexts(clientOnly('07-volume-create-no-valid-backend')), RULE);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({
      source: 'client.log',
      line: 41,
      observed: {
        line: 114,
        resource: 'volume',
        resourceId: 'f5f69092-9577-4b84-8753-a5d16663d7b0',
        name: 'vol-07',
        state: 'error',
      },
    });
    expect(f!.message).toContain('POST /v3/4002408efab24921ac623fdf4cdf1270/volumes was accepted (HTTP 202');
    expect(f!.message).toContain("(cinder-scheduler's and cinder-volume's logs tell why)");
  });

  it('is quiet when the accepted change worked (21: the extend read in-use after it) and on the other recordings', () => {
    for (const dir of ['21-extend-attached-ok', '01-attach-detach', '22-retype-migrate-attached'])
      expect(of(lintTexts(clientOnly(dir)), RULE), dir).toEqual([]);
  });
});
