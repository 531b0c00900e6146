// Markers anywhere in the line: a user's own prefix learnt from a record behind it.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePieces } from '../../src/parse/index.js';
import { LearnedPrefix } from '../../src/parse/learned.js';
import { runPipelineOnText } from '../../src/pipeline.js';

const kinds = (l: LearnedPrefix, line: string) => l.pieces(line).map((p) => p.record.kind);

describe('learned prefixes', () => {
  it('learns a banner prefix from a REQ behind it and takes it off later lines without a marker', () => {
    const l = new LearnedPrefix();
    // Before anything is learnt, a urllib3 line behind the prefix is not known.
    expect(kinds(l, '===========My:DEBUG:http://h:80 "GET /v2.1/servers HTTP/1.1" 200 304 =========')).toEqual([
      'unrecognized',
    ]);
    const [req] = l.pieces('===========My:DEBUG:REQ: curl -g -i -X PUT http://h/v2.1/servers/x =========');
    expect(req?.record).toMatchObject({ kind: 'req', method: 'PUT', url: 'http://h/v2.1/servers/x' });
    expect(kinds(l, '===========My:DEBUG:http://h:80 "PUT /v2.1/servers/x HTTP/1.1" 405 97 =========')).toEqual([
      'urllib3',
    ]);
    expect(kinds(l, '===========My:INFO:Starting new HTTP connection (1): h:80 =========')).toEqual(['connection']);
  });

  it('takes a closing banner off even when it is glued to the record', () => {
    const l = new LearnedPrefix();
    const [req] = l.pieces('===My:DEBUG:REQ: curl -g -i -X PUT http://h/v2.0/x -H "X-Auth-Token: {SHA1}abc"=========');
    expect(req?.record).toMatchObject({ kind: 'req', headers: [['X-Auth-Token', '{SHA1}abc']] });
    const [u] = l.pieces('===My:DEBUG:"PUT /v2.0/x HTTP/1.1" 500 3422=========');
    expect(u?.record).toMatchObject({ kind: 'urllib3', status: 500, length: 3422 });
  });

  it('lets digits, levels and dotted logger names differ, and dates the records', () => {
    const l = new LearnedPrefix();
    const [resp] = l.pieces('2024-03-01 10:11:12,345 - keystoneauth.session - DEBUG - RESP: [200] Content-Length: 2');
    expect(resp?.record).toMatchObject({ kind: 'resp', status: 200 });
    expect(resp?.record.prefix).toEqual({ style: 'learned', timestamp: '2024-03-01 10:11:12,345' });
    const [conn] = l.pieces(
      '2024-03-01 10:11:13,001 - urllib3.connectionpool - INFO - Resetting dropped connection: h',
    );
    expect(conn?.record).toMatchObject({ kind: 'connection', event: 'reset' });
  });

  it('learns nothing from prose that mentions a marker, and leaves text behind the prefix unrecognized', () => {
    const l = new LearnedPrefix();
    expect(kinds(l, 'I then saw "REQ: curl -g -i -X GET http://h/x" in the log')).toEqual(['unrecognized']);
    expect(l.learnt).toBeNull();
    l.pieces('>>> DEBUG REQ: curl -g -i -X GET http://h/x');
    expect(l.learnt).not.toBeNull();
    // Behind the prefix, but no record: still unrecognized.
    expect(kinds(l, '>>> DEBUG the weather is fine')).toEqual(['unrecognized']);
  });

  it("dates the records behind a dated prefix indented as a code block (sunbeam-migrate's docs)", () => {
    const name = 'sunbeam-migrate-rst-sdk-debug.log';
    const text = readFileSync(
      new URL(`../../samples/field/sunbeam-migrate-rst-sdk-debug/${name}`, import.meta.url),
      'utf8',
    );
    const l = new LearnedPrefix();
    const lines = text.split('\n');
    // Line 15, in an RST `.. code-block:: none`: two spaces, then the SDK's `%(asctime)s %(levelname)s`.
    const [req] = l.pieces(lines[14]!);
    expect(req?.record).toMatchObject({ kind: 'req', method: 'GET', prefix: { timestamp: '2025-12-17 13:16:52,976' } });
    // REQ at 13:16:52,976, RESP at 13:16:53,800: the call took 824 ms.
    const { result } = runPipelineOnText([{ name, text }]);
    expect(result.exchanges.map((e) => [e.line, e.status, e.requestId, e.durationMs])).toEqual([
      [15, 200, 'req-7def5795-3522-458d-80b1-71fc9c4e2a92', 824],
    ]);
  });

  it("reads a pod's name and `: ` before a dated service record as a prefix (Yaook's cinder-api, SCS standards#544)", () => {
    const name = 'yaook-cinder-api-attachment-update.log';
    const text = sample(`field/yaook-cinder-api-attachment-update/${name}`);
    const l = new LearnedPrefix();
    const [record, ...more] = l.pieces(line(text, 2));
    expect(more).toEqual([]);
    expect(record?.record).toMatchObject({
      kind: 'message',
      text: expect.stringMatching(/^Unable to update the attachment\. *$/),
      prefix: { style: 'oslo', timestamp: '2024-06-11 14:13:50', level: 'ERROR', logger: 'cinder.api.v3.attachments' },
    });
    // The name is taken off each line that has one (nothing is learnt); text behind it that is no record stays unrecognized.
    expect(l.learnt).toBeNull();
    expect(kinds(l, 'cinder-api-6494ffc69b-7jcwm: 2024-06-11 14:13:51 INFO cinder.api.openstack.wsgi done')).toEqual([
      'message',
    ]);
    expect(kinds(l, 'cinder-api-6494ffc69b-7jcwm: the weather is fine')).toEqual(['unrecognized']);
    // Only the author's `...` on line 1 is left unrecognized.
    const { result } = runPipelineOnText([{ name, text }]);
    expect(result.inputs[0]?.unrecognized.map((u) => u.line)).toEqual([1]);
  });

  it('takes no name off `word: ` lines whose rest is no dated service record (real lines)', () => {
    const negatives = [
      // grep -H (-n): the file's name and `:` with no space (the demultiplexer's shape).
      line(sample('field/grep-before-context-requestlog/grep-heartbeat.log'), 4),
      line(sample('field/grep-attach/grep-attach.log'), 3),
      // Python's print of a dict and of a value, an HTTP header http.client printed, a command's output.
      line(sample('field/osc-create-mid-run/osc-create-mid-run.log'), 13),
      line(sample('field/http-client-wire-dump/http-client-wire-dump.log'), 12),
      line(sample('field/suse-cinder-volume-tgtadm/suse-cinder-volume-tgtadm.log'), 2),
      line(sample('field/suse-cinder-volume-tgtadm/suse-cinder-volume-tgtadm.log'), 4),
      // A message's `word: <date>` (cinder-scheduler's `updated at: …`), as a wrapped line starts.
      line(sample('flows/volume-create-available/cinder-scheduler.log'), 13).replace(/^.*?updated (?=at: )/, ''),
    ];
    expect(negatives[6]).toMatch(/^at: 2026-12-04 23:16:59\.423757\] /);
    const l = new LearnedPrefix();
    for (const text of negatives) {
      expect(l.pieces(text)).toEqual(parsePieces(text));
    }
  });
});

function sample(path: string): string {
  return readFileSync(new URL(`../../samples/${path}`, import.meta.url), 'utf8');
}

/** A sample's line by its number (1-based). */
function line(text: string, n: number): string {
  return text.split('\n')[n - 1]!;
}
