// Service-line pieces on real-shaped lines: context brackets (reference §B2/§B5),
// format templates, the marker catalogue, labels, and what the analyzer reports
// about time order and custom formats.
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../src/analyze.js';
import { ContextParser } from '../../src/service/context.js';
import { labelFromApiPath, labelFromLogger, labelFromName } from '../../src/service/labels.js';
import { builtinMarkers, compileMarkers, matchMarker, requiredText } from '../../src/service/markers.js';
import { isPythonWarning, routeRecord } from '../../src/service/route.js';
import { parseLine } from '../../src/parse/index.js';
import { BUILTIN_TEMPLATES, compileTemplate, matchTemplate } from '../../src/service/template.js';

const G = 'req-1d2c3b4a-5e6f-4a7b-9c8d-0e1f2a3b4c5d';
const L = 'req-3b4c5d6e-7f80-4a1b-9c2d-3e4f5a6b7c8d';
const U = '7d909a8c6c6b4ab1a4e2ddd657e5ad4e';
const P = '7f697e5c98a34cb1a2c11b7809b4766e';

describe('context brackets', () => {
  const parser = new ContextParser();
  it.each([
    [
      `None ${L} ${U} ${P} - - default default`,
      { globalRequestId: null, requestId: L, user: U, project: P, layout: 'oslo-context' },
    ],
    [
      `${G} ${L} ${U} ${P} - - default default`,
      { globalRequestId: G, requestId: L, user: U, project: P, layout: 'oslo-context' },
    ],
    [`${G} ${L} ${U} ${P} - - - -`, { globalRequestId: G, requestId: L, layout: 'oslo-context' }],
    [
      `${L} ${U} ${P} - - -`,
      { globalRequestId: null, requestId: L, user: U, project: P, layout: 'oslo-context-pre-4.8' },
    ],
    [
      `None ${L} demo admin`,
      { globalRequestId: null, requestId: L, project: 'demo', user: 'admin', layout: 'devstack-context' },
    ],
    [`None ${L} None None`, { requestId: L, project: null, user: null, layout: 'devstack-context' }],
    ['-', { globalRequestId: null, requestId: null, layout: 'none' }],
  ])('%s', (raw, want) => {
    expect(parser.parse(raw)).toMatchObject(want);
  });

  it('tries a custom bracket first (ids swapped by an operator)', () => {
    const custom = new ContextParser([
      '%(asctime)s %(levelname)s %(name)s [%(request_id)s %(global_request_id)s %(user_name)s] %(message)s',
    ]);
    expect(custom.parse(`${L} ${G} alice`)).toMatchObject({
      requestId: L,
      globalRequestId: G,
      user: 'alice',
      layout: 'custom',
    });
  });
});

describe('format templates', () => {
  it('matches the oslo.log default and splits the instance off the message', () => {
    const t = compileTemplate(BUILTIN_TEMPLATES['oslo-context']!);
    const v = matchTemplate(
      t,
      `2026-03-02 10:15:01.204 4242 INFO nova.compute.manager [None ${L} ${U} ${P} - - default default] [instance: 0b7e1f6c-2d4a-4c35-9a51-3f0d8c2b9e11] Attaching volume 6f3c2a1e-8b9d-4e07-a2c4-5d6e7f809a1b to /dev/vdb`,
    );
    expect(v).toMatchObject({
      asctime: '2026-03-02 10:15:01',
      msecs: '204',
      process: '4242',
      levelname: 'INFO',
      name: 'nova.compute.manager',
      global_request_id: 'None',
      request_id: L,
      instance: '[instance: 0b7e1f6c-2d4a-4c35-9a51-3f0d8c2b9e11] ',
      message: 'Attaching volume 6f3c2a1e-8b9d-4e07-a2c4-5d6e7f809a1b to /dev/vdb',
    });
  });

  it('rejects a line of another shape and a template without a message', () => {
    const t = compileTemplate(BUILTIN_TEMPLATES['oslo-context']!);
    expect(matchTemplate(t, 'DEBUG nova.compute.manager [-] hello')).toBeNull();
    expect(() => compileTemplate('%(asctime)s %(levelname)s')).toThrow(/message/);
    expect(() => compileTemplate('%(asctime')).toThrow(/unclosed/);
  });

  it('lets the analyzer read a custom layout the built-in lexer does not know', () => {
    const fmt = '%(asctime)s.%(msecs)03d %(levelname)s <%(name)s> {%(global_request_id)s %(request_id)s} %(message)s';
    const text = [
      `2026-03-02 10:15:01.204 INFO <nova.compute.manager> {None ${L}} Attaching volume 6f3c2a1e-8b9d-4e07-a2c4-5d6e7f809a1b to /dev/vdb`,
      `2026-03-02 10:15:01.900 INFO <nova.api.openstack.requestlog> {None ${L}} 10.0.0.5 "POST /compute/v2.1/servers/0b7e1f6c-2d4a-4c35-9a51-3f0d8c2b9e11/os-volume_attachments" status: 200 len: 194 microversion: 2.89 time: 0.823114`,
    ].join('\n');
    const plain = analyzeText([{ name: 'n-cpu.log', text }]).result;
    expect(plain.inputs[0]!.unrecognizedLines).toBe(2);
    const { result } = analyzeText([{ name: 'n-cpu.log', text }], { formatTemplates: [fmt] });
    expect(result.inputs[0]!.unrecognizedLines).toBe(0);
    expect(result.serviceEvents.map((e) => [e.marker, e.requestId, e.volume])).toEqual([
      ['nova.attach.start', L, '6f3c2a1e-8b9d-4e07-a2c4-5d6e7f809a1b'],
    ]);
    expect(result.exchanges.map((e) => [e.side, e.method, e.status, e.serverTimeMs, e.requestId])).toEqual([
      ['server', 'POST', 200, 823.114, L],
    ]);
  });
});

describe('marker catalogue (grammars/service-markers.json)', () => {
  it('loads, and matches only in the services it names', () => {
    const markers = builtinMarkers();
    expect(markers.length).toBeGreaterThan(20);
    const msg = 'Detaching volume a0f00d83-6c4e-40b7-bca0-f372e48e57aa';
    expect(matchMarker(markers, 'nova-compute', msg)).toEqual({
      id: 'nova.detach.start',
      captures: { volume: 'a0f00d83-6c4e-40b7-bca0-f372e48e57aa' },
    });
    expect(matchMarker(markers, 'cinder-api', msg)).toBeNull();
  });

  it('looks for a regex only in messages holding the text it starts with, which no match lacks', () => {
    expect(requiredText('^Volume ([0-9a-f-]{36}): retyped successfully\\.')).toBe('Volume ');
    expect(requiredText('^Doing local delete in cell ')).toBe('Doing local delete in cell ');
    // a quantifier takes the character before it: `ab+c` matches `abbc` and needs only `a`
    expect(requiredText('ab+c')).toBe('a');
    expect(requiredText('x?y')).toBe('');
    // an alternation requires nothing of every match
    expect(requiredText('Shelving|Unshelving')).toBe('');
    // every built-in regex marker still matches what it matched: its required text is in the message
    for (const m of builtinMarkers()) expect(m.spec.pattern.replace(/^\^/, '').startsWith(m.required)).toBe(true);
    const markers = compileMarkers({
      markers: [{ id: 'x', service: '*', regex: true, pattern: 'ab+c ([0-9a-f-]{36})', captures: ['volume'] }],
    });
    expect(matchMarker(markers, 'any', 'abbbc 5fa16a0f-2663-4bb9-ae4b-a5720209d082')?.captures.volume).toBe(
      '5fa16a0f-2663-4bb9-ae4b-a5720209d082',
    );
    expect(matchMarker(markers, 'any', 'bbbc 5fa16a0f-2663-4bb9-ae4b-a5720209d082')).toBeNull();
  });

  it('refuses regexes that can backtrack, and captures that do not fit', () => {
    expect(() =>
      compileMarkers({ markers: [{ id: 'x', service: '*', regex: true, pattern: '(a+)+b', captures: ['volume'] }] }),
    ).toThrow(/linear/);
    expect(() =>
      compileMarkers({
        markers: [{ id: 'x', service: '*', regex: true, pattern: 'vol ([0-9a-f-]{36})', captures: [] }],
      }),
    ).toThrow(/captures/);
    expect(() =>
      compileMarkers({
        markers: [
          { id: 'x', service: '*', pattern: 'a' },
          { id: 'x', service: '*', pattern: 'b' },
        ],
      }),
    ).toThrow(/duplicate/);
  });
});

describe('labels and noise', () => {
  it.each([
    ['screen-n-cpu.txt', 'nova-compute'],
    ['screen-c-vol.txt.gz', 'cinder-volume'],
    ['nova-api-uwsgi.log', 'nova-api'],
    ['placement-uwsgi.log', 'placement-api'],
    ['devstack@c-api.service', 'cinder-api'],
    ['/var/log/cinder/cinder-volume.log', 'cinder-volume'],
    ['client.log', 'client'],
    ['trace.log', null],
    // RDO and TripleO: the role's file in the project's directory, rotated or not.
    ['/var/log/cinder/api.log', 'cinder-api'],
    ['var/log/cinder/volume.log.1', 'cinder-volume'],
    ['/var/log/cinder/scheduler.log-20261205.gz', 'cinder-scheduler'],
    ['/var/log/glance/api.log', 'glance-api'],
    ['/var/log/neutron/server.log', 'neutron-server'],
    ['api.log', null],
    ['/var/log/httpd/api.log', null],
    ['/var/log/cinder/cinder-manage.log', null],
  ])('%s → %s', (name, want) => {
    expect(labelFromName(name)).toBe(want);
  });

  it.each([
    ['cinder.volume.api', 'cinder-api'],
    ['cinder.api.openstack.wsgi', 'cinder-api'],
    ['cinder.volume.manager', 'cinder-volume'],
    ['cinder.volume.drivers.vmware.vmdk', 'cinder-volume'],
  ])('the logger %s → %s', (logger, want) => {
    expect(labelFromLogger(logger)).toBe(want);
  });

  it.each([
    ['/v2/images?limit=20', 'glance-api'],
    ['/v2/schemas/image', 'glance-api'],
    ['/v2.0/ports?device_id=x', 'neutron-server'],
    ['/v2.1/servers/detail', 'nova-api'],
    ['/v3/auth/tokens', 'keystone'],
    ['/v3/4dd4c439ed38421f8d332b5067d4e951/volumes/detail', 'cinder-api'],
    ['/resource_providers/x/inventories', 'placement-api'],
    // Paths two APIs share name no service: nova's and cinder's old /v2/{tenant}/…, a version document.
    ['/v2/276eb659fd4b44859849c773dcfdf138/servers', null],
    ['/v2/252fb50848ef4636bfdbe7d0a259c249/volumes', null],
    ['/', null],
    ['/v2/imagesx', null],
  ])('the API of %s → %s', (path, want) => {
    expect(labelFromApiPath(path)).toBe(want);
  });

  it("sends a journald entry with neither level nor logger where its process's last record went, when that is tracked", () => {
    // devstack journal: nova-compute logs a keystoneauth response body over several entries
    const body = parseLine(
      `Mar 02 10:15:01.300000 devstack1 nova-compute[22222]: DEBUG keystoneauth.session [None ${L} demo demo] RESP BODY: {"volume": {`,
    );
    const more = parseLine('Mar 02 10:15:01.300000 devstack1 nova-compute[22222]:     "status": "reserved",');
    expect(routeRecord(body, { last: 'service', lastWasAccess: false })).toBe('client');
    const same = { unit: 'nova-compute', pid: 22222 };
    expect(routeRecord(more, { last: 'client', lastWasAccess: false, lastJournal: same })).toBe('client');
    expect(routeRecord(more, { last: 'service', lastWasAccess: false, lastJournal: same })).toBe('service');
    // another process's entry in between does not continue it: a journal line of a known unit is a service line
    expect(
      routeRecord(more, { last: 'client', lastWasAccess: false, lastJournal: { unit: 'cinder-volume', pid: 44444 } }),
    ).toBe('service');
  });

  it('knows Python warnings on a service stderr', () => {
    expect(
      isPythonWarning(
        '/usr/lib/python3/dist-packages/oslo_i18n/_message.py:101: DeprecationWarning: Use setlocale() instead',
      ),
    ).toBe(true);
    expect(isPythonWarning('Traceback (most recent call last): x.py:1: no')).toBe(false);
  });

  it('uses --label over the file name', () => {
    const line = `2026-11-25 21:02:54.233 3463 INFO cinder.volume.manager [${G} ${L} ${U} ${P} - - - -] attachment_update completed successfully.`;
    const { result } = analyzeText([{ name: 'logs/x.log', text: line }], {
      labels: new Map([['x.log', 'cinder-volume']]),
    });
    expect(result.inputs[0]!.service).toBe('cinder-volume');
    expect(result.serviceEvents.at(0)).toMatchObject({
      marker: 'cinder.volume.attachment-update',
      service: 'cinder-volume',
      globalRequestId: G,
    });
  });
});

describe('records and time inside one input', () => {
  it('keeps a traceback with its record and records a step back in time', () => {
    const ctx = `[None ${L} ${U} ${P} - - default default]`;
    const text = [
      `2026-03-02 10:15:02.500 4242 ERROR nova.compute.manager ${ctx} [instance: 0b7e1f6c-2d4a-4c35-9a51-3f0d8c2b9e11] Failed to attach 6f3c2a1e-8b9d-4e07-a2c4-5d6e7f809a1b at /dev/vdb: nova.exception.VolumeAttachFailed: boom`,
      '2026-03-02 10:15:02.500 4242 ERROR nova.compute.manager [instance: 0b7e1f6c-2d4a-4c35-9a51-3f0d8c2b9e11] Traceback (most recent call last):',
      '2026-03-02 10:15:02.500 4242 ERROR nova.compute.manager [instance: 0b7e1f6c-2d4a-4c35-9a51-3f0d8c2b9e11]   File "/usr/lib/python3/dist-packages/nova/compute/manager.py", line 8118, in _attach_volume',
      '2026-03-02 10:15:02.500 4242 ERROR nova.compute.manager [instance: 0b7e1f6c-2d4a-4c35-9a51-3f0d8c2b9e11] ',
      `2026-03-02 10:15:01.100 4242 INFO nova.compute.manager ${ctx} later line with an earlier time`,
      'an unprefixed continuation of that message',
    ].join('\n');
    const { result } = analyzeText([{ name: 'nova-compute.log', text }]);
    expect(result.inputs[0]!.unrecognizedLines).toBe(0);
    expect(result.serviceEvents).toHaveLength(1);
    expect(result.serviceEvents.at(0)).toMatchObject({
      marker: 'nova.attach.failed',
      line: 1,
      endLine: 4,
      requestId: L,
      instance: '0b7e1f6c-2d4a-4c35-9a51-3f0d8c2b9e11',
    });
    // Recorded, not judged: time/out-of-order reports it.
    expect(result.inputs[0]!.timeRegressions).toEqual({
      count: 1,
      first: [{ line: 5, previousLine: 4, timestamp: '2026-03-02 10:15:01.100', backMs: 1400 }],
    });
    expect(result.findings).toEqual([]);
  });

  it('compares a journald clock and an oslo.log clock each with itself, never across', () => {
    // A devstack journal line and a kolla file line pasted together (real shapes:
    // samples/field/devstack-kolla-quiesce-notes): the second is 23 minutes "earlier", on
    // another host's clock. A step back on either clock is still recorded.
    const text = [
      `Apr 03 07:04:39 ubuntu devstack@n-api.service[319269]: INFO nova.compute.api [None ${L} admin admin] first`,
      `2023-04-03 06:41:00.701 20 INFO nova.compute.api [${L} - - - - -] kolla, read on its own clock`,
      `Apr 03 07:04:38 ubuntu devstack@n-api.service[319269]: INFO nova.compute.api [None ${L} admin admin] back on the journal`,
      `2023-04-03 06:41:00.900 20 INFO nova.compute.api [${L} - - - - -] on in the kolla log`,
    ].join('\n');
    const { result } = analyzeText([{ name: 'notes.log', text }]);
    expect(result.inputs[0]!.timeRegressions).toEqual({
      count: 1,
      first: [{ line: 3, previousLine: 1, timestamp: 'Apr 03 07:04:38', backMs: 1000 }],
    });
  });
});
