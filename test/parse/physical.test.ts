// The pre-lex stage: paste markup around lines and logs flattened onto one line.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseRecords } from '../../src/parse/index.js';
import { prepareLine, splitFlattened } from '../../src/parse/physical.js';

const kinds = (line: string) => parseRecords(line).map((r) => r.kind);

describe('paste markup', () => {
  it('drops <pre>/<code> tags, > quoting, trailing CR and markdown indentation', () => {
    for (const line of [
      '<pre>REQ: curl -g -i -X GET http://h/x</pre>',
      '<pre><code>REQ: curl -g -i -X GET http://h/x</code></pre>',
      '> REQ: curl -g -i -X GET http://h/x',
      '> > REQ: curl -g -i -X GET http://h/x',
      '    REQ: curl -g -i -X GET http://h/x',
      'REQ: curl -g -i -X GET http://h/x\r',
    ]) {
      const [r] = parseRecords(line);
      expect(r?.kind, line).toBe('req');
      if (r?.kind === 'req') expect(r.url).toBe('http://h/x');
    }
  });

  it('keeps indentation meaningful where the line is not a record of its own', () => {
    expect(kinds('    raise exceptions.from_response(resp, method, url)')).toEqual(['indented']);
    expect(kinds('    "links": [],')).toEqual(['indented']);
  });

  it('names fences and bare tags as markup, prompts as shell commands', () => {
    expect(kinds('```console')).toEqual(['markup']);
    expect(kinds('```')).toEqual(['markup']);
    expect(kinds('</code></pre>')).toEqual(['markup']);
    expect(parseRecords('stack@devstack:~$ openstack --debug server list')).toEqual([
      { kind: 'shell', text: 'openstack --debug server list' },
    ]);
    expect(parseRecords('    $ openstack --debug volume show vol1')[0]?.kind).toBe('shell');
    expect(parseRecords('# openstack --debug server list')[0]?.kind).toBe('shell');
    // A comment that is not a client command stays text.
    expect(prepareLine('# this is a note')[0]?.kind).toBe('text');
    // Root prompts as people paste them (field QA: a Liberty blog post, a keystone install note,
    // an IBM article): with user and host any command is one; `# ` alone only a known one.
    expect(parseRecords('[root@controller ~]# nova --debug boot --flavor m1.tiny vm1')).toEqual([
      { kind: 'shell', text: 'nova --debug boot --flavor m1.tiny vm1' },
    ]);
    expect(parseRecords('\troot@ubuntu:/etc/apache2# openstack role create admin')).toEqual([
      { kind: 'shell', text: 'openstack role create admin' },
    ]);
    // A user's `$` on RHEL and CentOS, names in brackets (published notes and docs, field QA).
    expect(parseRecords('[root@mult-ctl1 ~(admin-openrc-r2)]$ openstack --debug server list')).toEqual([
      { kind: 'shell', text: 'openstack --debug server list' },
    ]);
    expect(parseRecords('(overcloud) [stack@director ~]$ openstack volume service list')).toEqual([
      { kind: 'shell', text: 'openstack volume service list' },
    ]);
    expect(parseRecords('    (openstack) [user@stack01[poc1] ~]$ openstack server add volume vm vol')).toEqual([
      { kind: 'shell', text: 'openstack server add volume vm vol' },
    ]);
    expect(prepareLine('[see the note]$ below')[0]?.kind).toBe('text');
    // bash's `[\h \W]# `: the host alone (samples/field/cubecos-host-prompt-value); not a log's brackets.
    expect(parseRecords('[cc1 ~]# openstack server remove volume pr-cinder-vm pr-boot-vol')).toEqual([
      { kind: 'shell', text: 'openstack server remove volume pr-cinder-vm pr-boot-vol' },
    ]);
    expect(parseRecords('[controller nova]$ ')).toEqual([{ kind: 'shell', text: '' }]);
    // …and with `$`, a user's: published docs show it so (`[localhost ~]$ oc create sa privileged-sa`,
    // `[localhost ~]$ firewall-cmd --get-active-zones`: code-search read_file ids 15758019898 and
    // 48998236400). So a two-word bracket before `$ ` is a prompt; three words are prose.
    expect(parseRecords('[localhost ~]$ oc create sa privileged-sa')).toEqual([
      { kind: 'shell', text: 'oc create sa privileged-sa' },
    ]);
    expect(prepareLine('[see the note]$ below')[0]?.kind).toBe('text');
    expect(prepareLine('[Tue Mar 05 10:11:12 2013] [error] x')[0]?.kind).toBe('text');
    expect(prepareLine('[sudo] password for sdn:')[0]?.kind).toBe('text');
    // Nothing typed at it (a paste's last line) is a prompt still.
    expect(parseRecords('stack@ip-172-31-10-216:~/devstack$ ')).toEqual([{ kind: 'shell', text: '' }]);
    expect(parseRecords('[root@controller ~]# ')).toEqual([{ kind: 'shell', text: '' }]);
    // …also when the paste lost the space after it (field/keystone-notes-comments, packstack-token-issue-table).
    expect(parseRecords('[root@openstack ~(keystone_admin)]#')).toEqual([{ kind: 'shell', text: '' }]);
    expect(prepareLine('[root@openstack ~(keystone_admin)]#x')[0]?.kind).toBe('text');
    expect(parseRecords('# grep req-560d2ee8-b650-4301-9bd5-6cf65234b138 api.log')[0]?.kind).toBe('shell');
    expect(prepareLine('# Logs of the attach')[0]?.kind).toBe('text');
  });

  it('reads a dated line indented by spaces as one record, as one indented by a tab', () => {
    const line =
      '2016-06-10 21:49:30.193 7533 INFO nova.osapi_compute.wsgi.server [req-e359221b-6be3-4ac2-bb55-5310f5bb0bb2 - - -] 192.168.199.80 "GET /v2/p/images/c9 HTTP/1.1" status: 500 len: 359 time: 0.0436440';
    for (const indent of ['    ', '  ', '\t'])
      expect(kinds(`${indent}${line}`), JSON.stringify(indent)).toEqual(['access']);
    // Two records flattened onto an indented line are still two.
    expect(splitFlattened(`    ${line} ${line}`)).toHaveLength(2);
  });
});

it('reads a record behind a run of `#` glued to its date (field/cloudbyte-retype-hash-prefixed)', () => {
  const line =
    '######2015-12-14 14:31:19.663 2970 ERROR cinder.volume.manager [req-ab1de8a0-12ad-4a46-99ca-af65a424709b - - - - -] Volume b61f3dbe-8704-422e-9961-7e5908e78e3c: driver error when trying to retype, falling back to generic mechanism.';
  const [r] = parseRecords(line);
  expect(r?.kind).toBe('message');
  expect(r?.prefix).toMatchObject({ style: 'oslo', level: 'ERROR', logger: 'cinder.volume.manager' });
  expect(r?.prefix?.timestamp).toBe('2015-12-14 14:31:19.663');
  // Its traceback lines too, each a record under the same prefix.
  expect(
    kinds('######2015-12-14 14:31:19.663 2970 TRACE cinder.volume.manager Traceback (most recent call last):')[0],
  ).not.toBe('unrecognized');
  // A `#` and a space before a date is a comment or a heading, not this paste's prefix; so is `#` before text.
  expect(prepareLine('# 2015-12-14 14:31:19.663 retype failed')[0]).toEqual({
    kind: 'text',
    text: '# 2015-12-14 14:31:19.663 retype failed',
  });
  expect(prepareLine('#2015 notes')[0]).toEqual({ kind: 'text', text: '#2015 notes' });
});

describe('flattened logs', () => {
  it('leaves ordinary lines whole, including ones that mention markers inside', () => {
    const line = 'GET call to compute for http://h:8774/v2.1/servers?name=vm1 used request id req-89450973';
    expect(splitFlattened(line)).toEqual([line]);
    const req = 'REQ: curl -g -i -X POST http://h/x -H "X-A: b" -d \'{"note": "see REQ: nothing"}\'';
    expect(splitFlattened(req)).toEqual([req]);
  });

  it('re-splits a console log at every record start', () => {
    const line =
      'Get auth_ref REQ: curl -g -i -X GET http://h:5000/v3 -H "Accept: application/json" Starting new HTTP connection (1): h:5000 ' +
      'http://h:5000 "GET /v3 HTTP/1.1" 200 250 RESP: [200] Content-Length: 250 x-openstack-request-id: req-aaa RESP BODY: {"version": {}} ' +
      'GET call to http://h:5000/v3 used request id req-aaa Making authentication request to http://h:5000/v3/auth/tokens ' +
      'http://h:5000 "POST /v3/auth/tokens HTTP/1.1" 201 1315 {"token": {"methods": ["password"]}} END return value: 0';
    expect(kinds(line)).toEqual([
      'osc',
      'req',
      'connection',
      'urllib3',
      'resp',
      'resp-body',
      'request-id',
      'auth-request',
      'urllib3',
      'json',
      'end',
    ]);
  });

  it("keeps each journalctl -o short-iso prefix with its record (the unit's, not the line's first)", () => {
    // Three lines of samples/field/journal-units-minicloud-short-iso of two pids, joined by the test.
    const lines = readFileSync(
      'samples/field/journal-units-minicloud-short-iso/journal-units-minicloud-short-iso.log',
      'utf8',
    ).split('\n');
    const records = parseRecords([lines[1], lines[2], lines[6]].join(' '));
    expect(records.map((r) => [r.kind, r.prefix?.unit, r.prefix?.pid])).toEqual([
      ['access', 'nova-api', 3318],
      ['message', 'nova-api', 3319],
      ['access', 'nova-api', 3319],
    ]);
  });

  it('keeps each --log-file prefix with its record', () => {
    const line =
      '2026-11-25 20:13:59.363 22992 DEBUG keystoneauth.session [  admin] REQ: curl -g -i -X GET http://h/x ' +
      '2026-11-25 20:13:59.365 22992 DEBUG urllib3.connectionpool [  admin] http://h:80 "GET /x HTTP/1.1" 200 12';
    const records = parseRecords(line);
    expect(records.map((r) => [r.kind, r.prefix?.timestamp])).toEqual([
      ['req', '2026-11-25 20:13:59.363'],
      ['urllib3', '2026-11-25 20:13:59.365'],
    ]);
  });

  it('splits origin-less urllib3 lines of old pastes', () => {
    expect(
      kinds(
        'DEBUG (session:347) REQ: curl -g -i -X GET http://h/v3 DEBUG (connectionpool:401) "GET /v3 HTTP/1.1" 200 250',
      ),
    ).toEqual(['req', 'urllib3']);
  });

  it("keeps eventlet's access line whole, its request after its date", () => {
    // glance-api under Pebble (the Sunbeam sosreport canonical/hotsos keeps, glance-0's glance-api
    // container, line 109): two timestamps, yet one record, eventlet's access line
    const glance =
      '2025-05-14T04:27:08.973Z [glance-api] 2025-05-14 04:27:08.970 154 INFO eventlet.wsgi.server [-] 10.1.0.50,127.0.0.1 - - [14/May/2025 04:27:08] "GET /healthcheck HTTP/1.1" 200 142 0.075691\x1b[00m';
    expect(parseRecords(glance)).toMatchObject([
      { kind: 'access', style: 'eventlet', target: '/healthcheck', status: 200, client: '10.1.0.50,127.0.0.1' },
    ]);
  });
});

describe('marker text inside quoted strings', () => {
  it('does not split a JSON body whose values mention REQ: curl or RESP: [', async () => {
    const { parseRecords } = await import('../../src/parse/index.js');
    const body = `{"servers": [${Array.from({ length: 2000 }, (_, i) => `{"id": "${i}", "name": "x REQ: curl -X GET http://h/ RESP: [200] y"}`).join(', ')}]}`;
    const records = parseRecords(`RESP BODY: ${body}`);
    expect(records.map((r) => r.kind)).toEqual(['resp-body']);
  });
});
