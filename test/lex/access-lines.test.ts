// Access lines in Apache's shape: eventlet.wsgi's (glance, keystone: a duration in seconds
// last) and Apache's own combined log where mod_wsgi serves the API (a quoted referer and user
// agent last, no duration). The lines are real (samples/field/glance-eventlet-access and
// samples/field/charmed-apache-access).
import { describe, expect, it } from 'vitest';
import { parseLine } from '../../src/parse/index.js';

describe('Apache-shaped access lines', () => {
  it("eventlet.wsgi's: status, length and the duration", () => {
    expect(
      parseLine('192.168.1.5 - - [17/Sep/2021 20:01:58] "GET /v2/images/x HTTP/1.1" 404 450 0.238023'),
    ).toMatchObject({
      kind: 'access',
      style: 'eventlet',
      method: 'GET',
      target: '/v2/images/x',
      status: 404,
      timeMs: 238.023,
    });
  });

  it("Apache's combined: status and length; the duration unknown", () => {
    const line =
      '127.0.0.1 - - [29/Sep/2025:09:26:19 +0000] "GET /v2.1/os-hypervisors/detail HTTP/1.1" 404 558 "-" "gophercloud/v1.14.0"';
    expect(parseLine(line)).toMatchObject({
      kind: 'access',
      style: 'apache',
      method: 'GET',
      target: '/v2.1/os-hypervisors/detail',
      status: 404,
      length: 558,
      timeMs: null,
      client: '127.0.0.1',
    });
    // A user agent holding escaped quotes is beyond the simple tail: left unrecognized (counted), not guessed.
    expect(
      parseLine(
        '10.0.0.9 - admin [29/Sep/2025:09:26:20 +0000] "POST /v3/auth/tokens HTTP/1.1" 201 - "-" "x \\"GET /y HTTP/1.1\\""',
      ),
    ).toMatchObject({ kind: 'unrecognized' });
  });

  it('a line that only looks like one stays unrecognized', () => {
    expect(
      parseLine('127.0.0.1 - - [29/Sep/2025:09:26:19 +0000] "GET /v2.1 HTTP/1.1" 404 558 trailing words').kind,
    ).toBe('unrecognized');
  });
});

describe("uwsgi's request log", () => {
  it('a whole line: method, path, status and duration', () => {
    expect(
      parseLine(
        '[pid: 3318|app: 0|req: 41/99] 127.0.0.1 () {34 vars in 656 bytes} [Wed Nov 25 21:02:45 2026] GET /v2.1/flavors/m1.tiny => generated 80 bytes in 161 msecs (HTTP/1.1 404) 9 headers in 380 bytes (1 switches on core 0)',
      ),
    ).toMatchObject({
      kind: 'access',
      style: 'uwsgi',
      method: 'GET',
      target: '/v2.1/flavors/m1.tiny',
      status: 404,
      timeMs: 161,
    });
  });

  it('a line another tool trimmed of its vars and date: no method is made of the client address', () => {
    // As ostrail's README shows it (github.com/wabuntu/ostrail, a merged journald timeline).
    const r = parseLine(
      '[pid: 379649|app: 0|req: 9/17] 192.168.122.1 () ... GET /compute/v2.1/servers/7ab93819-... => generated 3617 bytes in 165 msecs (HTTP/1.1 200)',
    );
    expect(r.kind === 'access' ? r.method : null).toBeNull();
  });
});
