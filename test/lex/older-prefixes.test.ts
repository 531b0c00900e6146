// Prefixes and shapes of older and wrapped logs: 2013 python logging, Apache's error log, Essex RESP dicts.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseRecords } from '../../src/parse/index.js';

const one = (line: string) => parseRecords(line)[0]!;

describe('older shapes', () => {
  it('reads the 2013 python-logging default `DATE LEVEL [logger] message` of early cinder/nova', () => {
    const r = one(
      '2013-08-08 00:08:05     INFO [cinder.api.openstack.wsgi] GET http://stack01:8776/v1/p/volumes/detail',
    );
    expect(r).toMatchObject({ kind: 'access', style: 'cinder-request', method: 'GET' });
    expect(r.prefix).toEqual({
      style: 'bracket-logger',
      timestamp: '2013-08-08 00:08:05',
      level: 'INFO',
      logger: 'cinder.api.openstack.wsgi',
    });
    expect(
      one('2013-08-08 00:33:30  WARNING [cinder.scheduler.filters.capacity_filter] Insufficient space'),
    ).toMatchObject({
      kind: 'message',
      prefix: { level: 'WARNING' },
    });
  });

  it("reads `%(asctime)s %(name)s  %(message)s` (keystoneauth's docs): the split response logger's line is a RESP", () => {
    const r = one(
      '2017-09-19 22:10:09,751 keystoneauth.session.response    [200] Date: Tue, 19 Sep 2017 22:10:09 GMT x-openstack-request-id: req-2e9181d2-9f3e-404e-a12f-1f1566736ab3',
    );
    expect(r).toMatchObject({ kind: 'resp', status: 200 });
    expect(r.prefix).toMatchObject({ timestamp: '2017-09-19 22:10:09,751', logger: 'keystoneauth.session.response' });
    // Only before a dotted logger set off by two spaces (or a known record): prose after a time is no prefix.
    expect(one('2017-09-19 22:10:09,751 something happened here').kind).toBe('unrecognized');
    expect(one('2017-09-19 22:10:09,751 app.main started the job').kind).toBe('unrecognized');
  });

  it("reads a service's line without pid or context (a Yaook cinder-api: `%(asctime)s %(levelname)s %(name)s %(message)s`)", () => {
    const r = one('2024-06-11 14:13:50 ERROR cinder.api.v3.attachments Unable to update the attachment.');
    expect(r).toMatchObject({ kind: 'message' });
    expect(r.prefix).toEqual({
      style: 'oslo',
      timestamp: '2024-06-11 14:13:50',
      level: 'ERROR',
      logger: 'cinder.api.v3.attachments',
    });
    expect(one('2024-06-11 14:13:50 WARNING oslo.messaging._drivers.impl_rabbit lost').prefix).toMatchObject({
      style: 'oslo',
      logger: 'oslo.messaging._drivers.impl_rabbit',
    });
    // Only a service's own module: any other dotted name after a level stays unrecognized.
    expect(one('2024-06-11 14:13:50 ERROR app.main started the job').kind).toBe('unrecognized');
    expect(one('2024-06-11 14:13:50 ERROR novaclient.shell bad').prefix?.style).not.toBe('oslo');
  });

  it('never takes a status cut short for a status', () => {
    const r = one(
      '2013-08-08 00:33:30     INFO [cinder.api.openstack.wsgi] http://c:8776/v1/p/volumes returned with HTTP 20',
    );
    expect(r.kind).toBe('message');
  });

  it("reads Apache's error-log prefix (2.2 and 2.4) with the record behind it", () => {
    const a22 = one(
      '[Tue Mar 05 10:11:12 2013] [error] DEBUG:keystoneclient.session:REQ: curl -i -X GET http://k:5000/v2.0',
    );
    expect(a22).toMatchObject({ kind: 'req', method: 'GET', url: 'http://k:5000/v2.0' });
    expect(a22.prefix).toMatchObject({ timestamp: '2013-03-05 10:11:12', logger: 'keystoneclient.session' });
    const a24 = one(
      '[Sat Dec 05 01:52:14.846028 2026] [wsgi:error] [pid 26722:tid 140245] [remote 10.0.0.9:50412] 2026-12-05 01:52:14,843 26721 DEBUG urllib3.connectionpool Resetting dropped connection: h',
    );
    expect(a24).toMatchObject({ kind: 'connection', event: 'reset' });
    expect(a24.prefix).toMatchObject({ timestamp: '2026-12-05 01:52:14.846028', logger: 'urllib3.connectionpool' });
    // uwsgi's request line opens with `[pid: ` and is no Apache prefix.
    expect(
      one(
        '[pid: 3318|app: 0|req: 41/99] 127.0.0.1 () {34 vars in 656 bytes} [Wed Nov 25 21:02:45 2026] GET /v2.1/flavors => generated 80 bytes in 161 msecs (HTTP/1.1 404) 9 headers in 380 bytes (1 switches on core 0)',
      ).kind,
    ).toBe('access');
  });

  it("reads Essex novaclient's `RESP:{dict} body`, the status from the dict", () => {
    const r = one(
      "RESP:{'status': '200', 'content-length': '15', 'x-compute-request-id': 'req-728bff03-95cc-43c5-ae26-354d4511c216'} {\"servers\": []}",
    );
    expect(r).toEqual({
      kind: 'resp',
      status: 200,
      headers: [
        ['content-length', '15'],
        ['x-compute-request-id', 'req-728bff03-95cc-43c5-ae26-354d4511c216'],
      ],
      headerStyle: 'dict',
      body: '{"servers": []}',
    });
  });

  it('takes comments, banners and ## headings between pasted lines as markup', () => {
    for (const line of ['<!-- snip -->', '==========', '----------------', '## Output', '### Expected result'])
      expect(one(line).kind, line).toBe('markup');
    expect(one('# this is a note').kind).toBe('unrecognized');
  });

  // samples/field/ubuntu-keystone-apache-cu-time: a `tail` of Ubuntu's /var/log/apache2/keystone.log
  // (ErrorLogFormat "%{cu}t %M") quoted in AJNOURI/COA#31, every line Apache's time then keystone's.
  it("reads Apache's `%{cu}t` time before a service's oslo.log line (Ubuntu's keystone.log), never a lone six-digit time", () => {
    const sample = readFileSync(
      new URL('../../samples/field/ubuntu-keystone-apache-cu-time/ubuntu-keystone-apache-cu-time.log', import.meta.url),
      'utf8',
    );
    const lines = sample.split('\n').filter((l) => l.startsWith('> 2016'));
    expect(lines).toHaveLength(7);
    for (const line of lines) {
      const records = parseRecords(line);
      expect(records, line).toHaveLength(1);
      expect(records[0]).toMatchObject({
        kind: 'message',
        prefix: { pid: 2992, level: 'ERROR', logger: 'keystone.common.wsgi' },
      });
      // Apache's time, the outermost and most precise, is the line's (as journald's or Zuul's is).
      expect(records[0]!.prefix!.timestamp).toBe(line.slice(2, 28));
    }
    expect(parseRecords(lines[1]!)[0]).toMatchObject({ text: expect.stringMatching(/^File "\/usr\/lib/) });
    // Six digits with no dated line after them: a record's own time, no Apache prefix.
    expect(one('2016-11-09 11:49:44.485447 something happened here').kind).toBe('unrecognized');
  });
});
