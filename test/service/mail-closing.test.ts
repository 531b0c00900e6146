// A mail's closing words under the log it quotes (samples/field/open-iscsi-mail-multipart: the
// plain part ends with nova-compute's records, then, after blank lines, the writer's "Could you
// please advise further on this." and the list's `-- ` signature and footer). The sentence after a
// blank line and the signature separator end the record before them: they and the footer are
// counted unrecognized, not read as that record's text. A record's own text still goes on across
// blank lines (samples/minicloud/04-attach-driver-error: cinder-api's ERROR quotes the volume
// service's traceback, a blank line between each of its lines, chained exceptions included).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseLine } from '../../src/parse/index.js';
import { runPipelineOnText } from '../../src/pipeline.js';
import { routeRecord } from '../../src/service/route.js';

const read = (path: string) => readFileSync(new URL(`../../samples/${path}`, import.meta.url), 'utf8');
const mail = read('field/open-iscsi-mail-multipart/open-iscsi-mail-multipart.log');
const mailLines = mail.split('\n');
const cinder = read('minicloud/04-attach-driver-error/cinder-api.log');
const cinderLines = cinder.split('\n');

const afterRecord = { last: 'service', lastWasAccess: false } as const;
const afterBlank = { ...afterRecord, afterBlank: true } as const;

describe("a mail's closing words under a service record", () => {
  it('a sentence after a blank line is not the record’s; right under the record it still is', () => {
    const sentence = parseLine(mailLines[257]!);
    expect(sentence).toEqual({ kind: 'unrecognized', text: 'Could you please advise further on this.' });
    expect(routeRecord(sentence, afterBlank)).toBe('client');
    expect(routeRecord(sentence, afterRecord)).toBe('service-continuation');
    // the blank lines themselves still go on with it (a traceback has them)
    expect(routeRecord({ kind: 'blank' }, afterRecord)).toBe('service-continuation');
  });

  it('the `-- ` signature separator ends the record (RFC 3676)', () => {
    expect(mailLines[261]).toBe('-- ');
    expect(routeRecord(parseLine(mailLines[261]!), afterBlank)).toBe('client');
    expect(routeRecord(parseLine(mailLines[261]!), afterRecord)).toBe('client');
  });

  it("a traceback's lines after blank ones are still the record's: frames, the exception, the chain sentence", () => {
    // cinder-api.log 111–121: a frame, its source line, the exception line, `During handling of
    // the above exception, another exception occurred:`, the next Traceback, each after a blank line
    for (const at of [110, 113, 116, 119]) {
      expect(cinderLines[at - 2]).toBe('');
      expect(routeRecord(parseLine(cinderLines[at - 1]!), afterBlank)).toBe('service-continuation');
    }
    expect(cinderLines[112]!.startsWith('cinder.exception.VolumeBackendAPIException: Bad or unexpected')).toBe(true);
  });

  it('the mail: the sentence, the separator and the footer are unrecognized, each with its text', () => {
    const { result } = runPipelineOnText([{ name: 'mail.eml', text: mail }], { keepUnrecognized: 1000 });
    const input = result.inputs.find((i) => i.name === 'mail.eml')!;
    const closing = input.unrecognized.filter((u) => u.line > 252 && u.line < 267);
    expect(closing.map((u) => u.line)).toEqual([258, 262, 263, 264, 265]);
    expect(closing[0]!.text).toBe('Could you please advise further on this.');
    expect(closing[2]!.text.startsWith('You received this message because you are subscribed')).toBe(true);
    // the records before them are still read whole: the ERROR at 250, its wrapped lines
    expect((result.serviceErrors ?? []).map((e) => [e.line, e.endLine])).toEqual([[250, 250]]);
  });

  it('the cinder-api ERROR keeps its whole quoted traceback and the last exception of it', () => {
    const { result } = runPipelineOnText([{ name: 'cinder-api.log', text: cinder }]);
    expect(result.inputs[0]!.unrecognized).toEqual([]);
    const [error] = result.serviceErrors ?? [];
    expect(error).toMatchObject({ line: 99, endLine: 212 });
    expect(error!.exception).toContain('Driver initialize connection failed');
  });
});
