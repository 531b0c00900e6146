// One test per line kind, from the shapes of the reference (§A2–§A13, §B5), plus hostile variants.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseLine } from '../../src/parse/index.js';
import type { LineRecord } from '../../src/core/records.js';

function as<K extends LineRecord['kind']>(line: string, kind: K): Extract<LineRecord, { kind: K }> {
  const r = parseLine(line);
  expect(r.kind, JSON.stringify(r)).toBe(kind);
  return r as Extract<LineRecord, { kind: K }>;
}

const SHA256 = '{SHA256}abbeaebd13ea59b8450b051bb8922b449c8df834b898f26246db90b38ff04efb';

describe('REQ lines', () => {
  it('keystoneauth with -g, quoted URL holding & and sorted headers (§A2)', () => {
    const r = as(
      `REQ: curl -g -i -X GET "http://h/compute/v2.1/servers?name=vm1&status=ACTIVE" -H "Accept: application/json" -H "X-Auth-Token: ${SHA256}"`,
      'req',
    );
    expect(r).toMatchObject({
      method: 'GET',
      url: 'http://h/compute/v2.1/servers?name=vm1&status=ACTIVE',
      quotedUrl: true,
      style: 'ksa',
      tls: null,
    });
    expect(r.headers).toEqual([
      ['Accept', 'application/json'],
      ['X-Auth-Token', SHA256],
    ]);
  });

  it('unquoted URL with & (novaclient/cinderclient build the query themselves)', () => {
    const r = as(
      'REQ: curl -g -i -X GET http://h/volume/v3/p/volumes/detail?all_tenants=1&name=vol1 -H "Accept: application/json"',
      'req',
    );
    expect(r.url).toBe('http://h/volume/v3/p/volumes/detail?all_tenants=1&name=vol1');
    expect(r.quotedUrl).toBe(false);
  });

  it('keystoneclient before 1.0.0: no -g; --insecure and --cacert "<path>"', () => {
    expect(as('REQ: curl -i -X GET http://h:35357/v2.0/tenants -H "X-Auth-Token: TOKEN_REDACTED"', 'req').url).toBe(
      'http://h:35357/v2.0/tenants',
    );
    expect(as('REQ: curl -g -i --insecure -X GET https://h/v3', 'req').tls).toBe('insecure');
    expect(as('REQ: curl -g -i --cacert "/etc/ssl/my ca.pem" -X GET https://h/v3', 'req')).toMatchObject({
      tls: 'cacert',
      url: 'https://h/v3',
    });
  });

  it('header values containing ": " and quotes of the other kind', () => {
    const r = as(`REQ: curl -g -i -X GET http://h/x -H "X-Note: a: b: c" -H "X-Q: it's" -H 'Y: "z"'`, 'req');
    expect(r.headers).toEqual([
      ['X-Note', 'a: b: c'],
      ['X-Q', "it's"],
      ['Y', '"z"'],
    ]);
  });

  it('a -d body with a quote inside runs to the last quote (§A2 point 8)', () => {
    const r = as(
      `REQ: curl -g -i -X POST http://h/v2.1/servers -H "Content-Type: application/json" -d '{"server": {"name": "it's-mine"}}'`,
      'req',
    );
    expect(r.body).toBe(`{"server": {"name": "it's-mine"}}`);
    expect(r.bodyTruncated).toBe(false);
  });

  it('novaclient HTTPClient: single-quoted URL before -X (§A9)', () => {
    const r = as(`REQ: curl -g -i 'http://10.0.0.5:8774/v2.1/servers/vm1' -X GET -H "Accept: application/json"`, 'req');
    expect(r).toMatchObject({ method: 'GET', url: 'http://10.0.0.5:8774/v2.1/servers/vm1', style: 'legacy-url-first' });
  });

  it("cinderclient HTTPClient glues -X GET-H '…'-H '…' (§A9)", () => {
    const r = as(
      `REQ: curl -i http://h/volume/v3/p/volumes/vol1 -X GET-H 'X-Auth-Token: {SHA1}cac8'-H 'User-Agent: python-cinderclient'-H 'Accept: application/json'`,
      'req',
    );
    expect(r.style).toBe('glued');
    expect(r.method).toBe('GET');
    expect(r.headers.map((h) => h[0])).toEqual(['X-Auth-Token', 'User-Agent', 'Accept']);
  });

  it("neutronclient on python 3: REQ: b'curl …' with the body's quotes escaped (§A9)", () => {
    const r = as(
      `REQ: b'curl -i http://h:9696/v2.0/networks -X POST -H "Content-Type: application/json" -d \\'{"network": {"name": "n1"}}\\''`,
      'req',
    );
    expect(r).toMatchObject({
      style: 'bytes',
      method: 'POST',
      url: 'http://h:9696/v2.0/networks',
      body: '{"network": {"name": "n1"}}',
    });
  });

  it('a line cut short keeps what it has and says the body is truncated', () => {
    const r = as(`REQ: curl -g -i -X POST http://h/v2.1/servers -H "User-Agent: openstacksdk/0.101.0 keysto…`, 'req');
    expect(r.method).toBe('POST');
    expect(r.headers[0]?.[0]).toBe('User-Agent');
    expect(as(`REQ: curl -g -i -X POST http://h/x -d '{"a": "b…`, 'req').bodyTruncated).toBe(true);
  });

  it('split logger keystoneauth.session.request: a REQ line without REQ: (§A6)', () => {
    const r = as('DEBUG:keystoneauth.session.request:curl -g -i -X GET http://h/x -H "A: b"', 'req');
    expect(r).toMatchObject({ style: 'split', method: 'GET', url: 'http://h/x' });
    // The same text under another logger is not a request.
    expect(parseLine('DEBUG:my.app:curl -g -i -X GET http://h/x').kind).toBe('message');
  });
});

describe('RESP lines', () => {
  it('ksa ≥ 3.5.0: header values with spaces, commas and colons (§A3)', () => {
    const r = as(
      'RESP: [404] Content-Length: 78 Date: Wed, 25 Nov 2026 20:13:45 GMT Server: Apache/2.4.52 (Ubuntu) Vary: OpenStack-API-Version,X-OpenStack-Nova-API-Version x-openstack-request-id: req-1',
      'resp',
    );
    expect(r.status).toBe(404);
    expect(r.headers).toEqual([
      ['Content-Length', '78'],
      ['Date', 'Wed, 25 Nov 2026 20:13:45 GMT'],
      ['Server', 'Apache/2.4.52 (Ubuntu)'],
      ['Vary', 'OpenStack-API-Version,X-OpenStack-Nova-API-Version'],
      ['x-openstack-request-id', 'req-1'],
    ]);
  });

  it('pre-3.5.0: a trailing space after the last header', () => {
    const r = as(
      'RESP: [200] Content-Type: application/json X-Compute-Request-Id: req-1d2c Date: Mon, 06 Mar 2017 10:00:00 GMT ',
      'resp',
    );
    expect(r.headers.at(-1)).toEqual(['Date', 'Mon, 06 Mar 2017 10:00:00 GMT']);
  });

  it('novaclient CaseInsensitiveDict repr and cinderclient dict repr (§A9)', () => {
    const r = as(
      `RESP: [401] CaseInsensitiveDict({'content-length': '114', 'www-authenticate': "Keystone uri='http://h:5000'", 'x-compute-request-id': 'req-8e1a'})`,
      'resp',
    );
    expect(r).toMatchObject({ status: 401, headerStyle: 'dict' });
    expect(r.headers).toContainEqual(['www-authenticate', "Keystone uri='http://h:5000'"]);
    expect(r.headers).toContainEqual(['x-compute-request-id', 'req-8e1a']);
  });

  it('neutronclient: status without brackets, dict, then the body (§A9)', () => {
    const r = as(
      `RESP: 409 {'Content-Type': 'application/json', 'X-Openstack-Request-Id': 'req-5c6d'} {"NeutronError": {"type": "OverQuota"}}`,
      'resp',
    );
    expect(r).toMatchObject({ status: 409, body: '{"NeutronError": {"type": "OverQuota"}}' });
  });

  it('split logger keystoneauth.session.response', () => {
    const r = as(
      '2026-11-25 20:13:59.363 22992 DEBUG keystoneauth.session.response [  admin] [202] Content-Length: 0 x-openstack-request-id: req-1',
      'resp',
    );
    expect(r.status).toBe(202);
    expect(r.prefix?.logger).toBe('keystoneauth.session.response');
  });

  it('header runs: values joined by one space, names only as `Name:` words, stray words dropped', () => {
    const r = as(
      'RESP: [200] stray words Date: Tue, 10 Jul 2018 02:07:38 GMT  Content-Type: application/json;\tcharset=UTF-8 X-Note: a:b c: Vary:',
      'resp',
    );
    expect(r.headers).toEqual([
      ['Date', 'Tue, 10 Jul 2018 02:07:38 GMT'],
      ['Content-Type', 'application/json; charset=UTF-8'],
      ['X-Note', 'a:b'],
      ['c', ''],
      ['Vary', ''],
    ]);
    expect(as('RESP: [200]', 'resp').headers).toEqual([]);
    // keystoneauth masks a token response's X-Subject-Token as `{SHA256}…`: a value, no dict repr.
    expect(
      as('RESP: [201] Content-Type: application/json X-Subject-Token: {SHA256}ab12 Vary: X-Auth-Token', 'resp').headers,
    ).toEqual([
      ['Content-Type', 'application/json'],
      ['X-Subject-Token', '{SHA256}ab12'],
      ['Vary', 'X-Auth-Token'],
    ]);
    expect(as('RESP: 200 Content-Length: 5', 'resp')).toMatchObject({
      status: 200,
      headers: [['Content-Length', '5']],
    });
  });

  it('a dict repr after ksa headers is not a RESP line the grammar knows', () => {
    expect(parseLine("RESP: [200] Content-Type: text/plain X-Odd: {'a': 'b'}").kind).toBe('unrecognized');
  });
});

describe('RESP BODY lines', () => {
  it('text, and the Omitted notice with its content type (§A3)', () => {
    expect(as('RESP BODY: {"servers": []}', 'resp-body').text).toBe('{"servers": []}');
    const r = as(
      'RESP BODY: Omitted, Content-Type is set to text/html; charset=UTF-8. Only application/json, text/plain responses have their bodies logged.',
      'resp-body',
    );
    expect(r.omittedContentType).toBe('text/html; charset=UTF-8');
  });

  it('split logger keystoneauth.session.body takes the whole message as the body', () => {
    expect(as('DEBUG:keystoneauth.session.body:{"volumes": []}', 'resp-body').text).toBe('{"volumes": []}');
  });
});

describe('urllib3 and connection lines (§A10)', () => {
  it('with origin, without origin (< 1.17), with None length, cut short', () => {
    expect(as('http://h:80 "GET /compute/v2.1/servers?name=a&b=c HTTP/1.1" 200 1234', 'urllib3')).toMatchObject({
      host: 'h',
      port: 80,
      method: 'GET',
      target: '/compute/v2.1/servers?name=a&b=c',
      status: 200,
      length: 1234,
    });
    expect(as('"GET /v2.1/servers/vm1 HTTP/1.1" 404 78', 'urllib3')).toMatchObject({ host: null, status: 404 });
    expect(as('https://h:443 "GET /x HTTP/1.1" 200 None', 'urllib3').length).toBeNull();
    expect(as('http://h:80 "POST /x HTTP/1.1" 409 …', 'urllib3')).toMatchObject({ status: 409, length: null });
  });

  it('new connection with and without port, and a reset', () => {
    expect(as('Starting new HTTPS connection (1): cloud.example.org:5000', 'connection')).toMatchObject({
      event: 'new',
      scheme: 'https',
      host: 'cloud.example.org',
      port: 5000,
    });
    expect(as('Starting new HTTP connection (2): 10.0.0.5', 'connection')).toMatchObject({
      host: '10.0.0.5',
      port: null,
      number: 2,
    });
    expect(as('Resetting dropped connection: 10.0.0.5', 'connection').event).toBe('reset');
  });
});

describe('request ids, auth, retries, failures (§A4, §A5)', () => {
  it('request-id line with and without a service, query with &', () => {
    expect(
      as(
        'GET call to volumev3 for http://h/volume/v3/p/volumes/detail?all_tenants=1&name=vol1 used request id req-afb2',
        'request-id',
      ),
    ).toMatchObject({
      method: 'GET',
      service: 'volumev3',
      requestId: 'req-afb2',
      url: 'http://h/volume/v3/p/volumes/detail?all_tenants=1&name=vol1',
    });
    expect(as('GET call to http://h/identity used request id req-9edc', 'request-id').service).toBeNull();
  });

  it('auth request, token JSON, failure status', () => {
    expect(as('Making authentication request to http://h/identity/v3/auth/tokens', 'auth-request').url).toBe(
      'http://h/identity/v3/auth/tokens',
    );
    expect(as('{"token": {"methods": ["password"]}}', 'json').text).toBe('{"token": {"methods": ["password"]}}');
    expect(as('Request returned failure status: 403', 'failure-status').status).toBe(403);
  });

  it('connection and status retries with their delay and count', () => {
    expect(
      as(
        "Failure: Unable to establish connection to http://h/x: ('Connection aborted.', RemoteDisconnected('x')). Retrying in 0.5s. 2 retries left",
        'retry',
      ),
    ).toMatchObject({ delaySeconds: 0.5, retriesLeft: 2, status: null });
    expect(as('Retriable status code 503. Retrying in 1.0s. 1 retries left', 'retry')).toMatchObject({
      status: 503,
      delaySeconds: 1,
      retriesLeft: 1,
    });
  });

  it('client error messages carry the request id; neutronclient lists its ids', () => {
    expect(
      as('No server with a name or ID of vm1 exists. (HTTP 404) (Request-ID: req-a1b2)', 'client-error'),
    ).toMatchObject({ status: 404, requestId: 'req-a1b2' });
    expect(
      as("Neutron server returns request_ids: ['req-5c6d7e8f-9001-4b2c-9d3e-4f5a6b7c8d9e']", 'client-error').requestId,
    ).toBe('req-5c6d7e8f-9001-4b2c-9d3e-4f5a6b7c8d9e');
  });

  it("a 500's second line, the exception's class, is the client's error line (nova's down-cells doc)", () => {
    // novaclient's message for a 500 is two lines: 'Unexpected API Error. Please report this at …' and this one.
    expect(
      as(
        "<class 'nova.exception.NovaException'> (HTTP 500) (Request-ID: req-e2264d67-5b6c-4f17-ae3d-16c7562f1b69)",
        'client-error',
      ),
    ).toMatchObject({
      status: 500,
      requestId: 'req-e2264d67-5b6c-4f17-ae3d-16c7562f1b69',
      message: "<class 'nova.exception.NovaException'>",
    });
  });

  it("osc's network error line gives the SDK's status when it wrote one, never a request id", () => {
    expect(
      as(
        'Error while executing command: HttpException: 500, Request Failed: internal server error while processing your request.',
        'client-error',
      ),
    ).toMatchObject({
      status: 500,
      requestId: null,
      message: 'Request Failed: internal server error while processing your request.',
    });
    expect(as('Error while executing command: ConflictException: 409', 'client-error')).toMatchObject({
      status: 409,
      message: 'ConflictException: 409',
    });
    // A message of the command's own: no status in it.
    expect(as('Error while executing command: No Network found for net1', 'client-error')).toMatchObject({
      status: null,
      requestId: null,
      message: 'No Network found for net1',
    });
    // A service logger's message is the service's, whatever it says.
    expect(parseLine('2023-05-15 10:00:00.000 12 ERROR neutron.api [-] Error while executing command: x').kind).toBe(
      'message',
    );
  });

  it("a legacy client's last line, ERROR (type): message, with a status only from a trailing (HTTP nnn)", () => {
    expect(as('ERROR (CommandError): Unable to reboot the specified server(s).', 'client-error')).toMatchObject({
      status: null,
      requestId: null,
      message: 'ERROR (CommandError): Unable to reboot the specified server(s).',
      endsRun: true,
    });
    expect(
      as(
        'ERROR (ClientException): The server has either erred or is incapable of performing the requested operation. (HTTP 500) ',
        'client-error',
      ),
    ).toMatchObject({ status: 500, requestId: null });
    // With a request id it is the error line read before: one request, its id.
    expect(
      as(
        'ERROR (NotFound): No server with a name or ID of vm1 exists. (HTTP 404) (Request-ID: req-a1b2)',
        'client-error',
      ),
    ).toMatchObject({ status: 404, requestId: 'req-a1b2' });
    expect(parseLine('ERROR (x y): text').kind).toBe('unrecognized');
  });

  it("argparse's usage of a client's command names the command's words", () => {
    expect(as('usage: openstack security group rule create [-h]', 'usage')).toMatchObject({
      program: 'openstack',
      command: 'security group rule create',
    });
    expect(as('usage: nova reboot [--hard] [--poll] <server> [<server> ...]', 'usage').command).toBe('reboot');
    expect(parseLine('usage: grep [OPTION]... PATTERNS [FILE]...').kind).toBe('unrecognized');
  });
});

describe('osc-lib lines and tracebacks (§A11)', () => {
  it('START, command, clean_up, END', () => {
    expect(as("START with options: ['--debug', 'server', 'list']", 'start').argv).toEqual([
      '--debug',
      'server',
      'list',
    ]);
    expect(
      as('command: server add volume -> openstackclient.compute.v2.server.AddServerVolume (auth=True)', 'command'),
    ).toMatchObject({ name: 'server add volume', auth: true });
    expect(as('clean_up ShowServer: No Server found for vm1', 'clean-up')).toMatchObject({
      className: 'ShowServer',
      error: 'No Server found for vm1',
    });
    expect(as('END return value: 1', 'end').exitCode).toBe(1);
  });

  it('traceback start, chained-exception separator, frame', () => {
    expect(parseLine('Traceback (most recent call last):').kind).toBe('traceback-start');
    expect(parseLine('During handling of the above exception, another exception occurred:').kind).toBe(
      'traceback-start',
    );
    expect(parseLine('  File "/usr/lib/python3/dist-packages/osc_lib/shell.py", line 134, in run').kind).toBe(
      'traceback-frame',
    );
  });

  it('--timing table rows', () => {
    expect(
      as('| GET http://127.0.0.1:18080/identity                      |             0.003481 |', 'table-row').cells,
    ).toEqual(['GET http://127.0.0.1:18080/identity', '0.003481']);
    expect(parseLine('+--------+-----------+').kind).toBe('table-border');
  });
});

describe('line prefixes', () => {
  it('--log-file with a bracket, an empty-ish bracket, and none (§A13)', () => {
    expect(
      as(
        '2026-11-25 20:13:58.834 22992 INFO osc_lib.shell [ admin None] START with options: --debug server list',
        'start',
      ).prefix,
    ).toMatchObject({ style: 'oslo', pid: 22992, level: 'INFO', logger: 'osc_lib.shell', context: ' admin None' });
    expect(
      as('2026-11-25 20:13:59.365 22992 INFO osc_lib.shell END return value: 0', 'end').prefix?.context,
    ).toBeUndefined();
  });

  it('devstack journald with ANSI escapes (§B5)', () => {
    const r = as(
      'Jul 10 02:07:43 host devstack@n-cpu.service[1234]: \x1b[00;32mDEBUG keystoneauth.session [\x1b[01;36mNone req-1 \x1b[00;36madmin admin\x1b[00;32m] \x1b[01;35m\x1b[00;32mREQ: curl -g -i -X GET http://h/x\x1b[00m',
      'req',
    );
    expect(r.prefix).toMatchObject({
      style: 'level-logger',
      unit: 'devstack@n-cpu.service',
      pid: 1234,
      logger: 'keystoneauth.session',
      context: 'None req-1 admin admin',
    });
  });

  it("journalctl -o short-iso / short-iso-precise: the unit and pid, the record's own time where it is finer", () => {
    // Line 1 of samples/field/journal-units-minicloud-short-iso(-precise), cut after the context;
    // `+00:00` is how systemd 255 and later write the offset (systemd PR #29134), written here.
    const record =
      '2026-11-25 21:02:53.346 3318 DEBUG nova.api.openstack.wsgi [None req-1 u p - - default default] Calling';
    for (const [stamp, time] of [
      ['2026-11-25T21:02:53+0000', '2026-11-25 21:02:53.346'],
      ['2026-11-25T21:02:53.346123+0000', '2026-11-25T21:02:53.346123+0000'],
      ['2026-11-25T21:02:53.346123+00:00', '2026-11-25T21:02:53.346123+00:00'],
      ['2026-11-25T22:02:53-0100', '2026-11-25 21:02:53.346'],
    ]) {
      const r = parseLine(`${stamp} minicloud nova-api[3318]: ${record}`);
      expect(r.prefix, stamp).toMatchObject({
        style: 'oslo',
        host: 'minicloud',
        unit: 'nova-api',
        pid: 3318,
        logger: 'nova.api.openstack.wsgi',
        timestamp: time,
      });
    }
    // A journal line whose message has no prefix of its own is a message under the journal's.
    expect(
      as('2026-11-25T21:02:53+0000 minicloud systemd[1]: Started nova-api.service.', 'message').prefix,
    ).toMatchObject({ style: 'journal', unit: 'systemd', pid: 1, timestamp: '2026-11-25T21:02:53+0000' });
    // Not a journal prefix: oslo.log's own time (a space, no zone), Pebble's, a zone-less `T` time.
    expect(parseLine(`${record}`).prefix?.style).toBe('oslo');
    expect(parseLine('2025-05-14T04:27:20.100Z [nova-conductor] x').prefix).toMatchObject({ pebble: true });
    expect(parseLine('2026-11-25T21:02:53 minicloud nova-api[3318]: x').prefix).toBeUndefined();
  });

  it('devstack debug suffix does not hide a client record', () => {
    const r = as(
      'Jul 10 02:07:43.403 h nova-compute[2]: DEBUG urllib3.connectionpool [None req-1 demo demo] http://h:80 "POST /volume/v3/attachments HTTP/1.1" 200 512 {{(pid=2) _make_request /x/connectionpool.py:546}}',
      'urllib3',
    );
    expect(r.status).toBe(200);
  });

  it("oslo's plain debug suffix (packaged services) does not end a RESP line's last header", () => {
    // Real: cinder-volume calling nova during a retype-migrate, samples/minicloud/22-retype-migrate-attached.
    const line = readFileSync('samples/minicloud/22-retype-migrate-attached/cinder-volume.log', 'utf8').split(
      '\n',
    )[43]!;
    expect(line).toContain('_http_log_response /usr/lib/python3/dist-packages/keystoneauth1/session.py:550');
    const r = as(line, 'resp');
    expect(r.headers.at(-1)).toEqual(['x-openstack-request-id', 'req-b599b633-a712-4567-a796-15373bf04ed2']);
    // A service message keeps the suffix as part of its text.
    expect(parseLine('2026-12-05 10:28:51.206 1 DEBUG cinder.x [-] Done f /usr/lib/x.py:9').kind).not.toBe('resp');
  });

  it('Zuul job-output, with and without a node column', () => {
    expect(as('2024-01-01 12:00:00.123456 | controller | RESP BODY: {"a": 1}', 'resp-body').prefix).toMatchObject({
      style: 'zuul',
      node: 'controller',
    });
    expect(parseLine('2024-01-01 12:00:00.123456 | TASK [run openstack]').kind).toBe('message');
  });

  it('python logging defaults and old console formats', () => {
    expect(as('DEBUG:keystoneauth.session:REQ: curl -g -i -X GET http://h/x', 'req').prefix?.style).toBe('py-logging');
    expect(as('DEBUG (connectionpool:330) "GET /v2.1/servers HTTP/1.1" 200 1234', 'urllib3').prefix?.style).toBe(
      'module-lineno',
    );
    expect(as('DEBUG: keystoneclient.session REQ: curl -i -X GET http://h/v2.0/tenants', 'req').prefix).toMatchObject({
      style: 'level-colon-logger',
      logger: 'keystoneclient.session',
    });
  });

  it('a logger column left after cutting timestamps (`logger  message`)', () => {
    expect(as('keystoneauth.session  REQ: curl -g -i -X GET http://h/x', 'req').prefix).toMatchObject({
      style: 'logger-only',
      logger: 'keystoneauth.session',
    });
    expect(as('osc_lib.clientmanager  Get auth_ref', 'osc').prefix?.logger).toBe('osc_lib.clientmanager');
  });
});

describe('unknown text', () => {
  it('is unrecognized without a prefix and a message with one', () => {
    expect(parseLine('some prose about the problem').kind).toBe('unrecognized');
    expect(parseLine('2026-11-25 20:13:58.834 22992 INFO nova.api.openstack.wsgi [-] hello').kind).toBe('message');
    expect(parseLine('').kind).toBe('blank');
  });
});
