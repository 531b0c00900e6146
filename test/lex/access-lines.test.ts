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
