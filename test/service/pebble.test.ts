// Pebble's log, the service manager of Canonical's OpenStack rocks (`kubectl logs` of a
// container): each physical line of a service's output behind `<time>Z [<service>] `. Real lines
// of the Sunbeam sosreport canonical/hotsos keeps as test data (samples/field/sunbeam-pebble-nova-conductor
// and, for the Apache service, line 85 of nova-0's nova-api container log of the same report).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseLine } from '../../src/parse/index.js';
import { runPipelineOnText } from '../../src/pipeline.js';
import { labelFromPrefix, labelFromUnit } from '../../src/service/labels.js';
import { routeRecord } from '../../src/service/route.js';

const NAME = 'k8s_kubectl_--namespace_openstack_logs_nova-0_-c_nova-conductor';
const text = readFileSync(
  new URL(`../../samples/field/sunbeam-pebble-nova-conductor/${NAME}`, import.meta.url),
  'utf8',
);
const lines = text.split('\n');

describe("Pebble's log", () => {
  it('reads the prefix as a journal entry: the time, the service as its unit, then the oslo.log line', () => {
    const record = parseLine(lines[36]!);
    expect(record.prefix).toEqual({
      style: 'oslo',
      timestamp: '2025-05-14T07:10:35.743Z',
      unit: 'nova-conductor',
      pebble: true,
      pid: 17,
      level: 'ERROR',
      logger: 'nova.scheduler.client.report',
      context: '-',
    });
    // the service's own stderr, and Pebble's own line
    expect(parseLine(lines[23]!).prefix).toEqual({
      style: 'journal',
      timestamp: '2025-05-14T07:09:54.110Z',
      unit: 'nova-conductor',
      pebble: true,
    });
    expect(parseLine(lines[113]!)).toMatchObject({
      kind: 'message',
      text: 'Service "nova-conductor" starting: nova-conductor',
      prefix: { unit: 'pebble' },
    });
  });

  it("takes an Apache service's own time (microseconds) with the prefix", () => {
    const line =
      '2025-05-14T04:27:20.100Z [wsgi-nova-api] 2025-05-14 04:27:20.100583 2025-05-14 04:27:20.061 31 WARNING oslo_db.sqlalchemy.engines [None req-e6ffeac2-d6b5-469e-83e7-4169ad520421 - - - - - -] SQL connection failed. 10 attempts left.';
    expect(parseLine(line)).toMatchObject({
      kind: 'message',
      text: 'SQL connection failed. 10 attempts left.',
      prefix: { unit: 'wsgi-nova-api', pid: 31, level: 'WARNING', logger: 'oslo_db.sqlalchemy.engines' },
    });
    expect(labelFromUnit('wsgi-nova-api')).toBe('nova-api');
    expect(labelFromUnit('pebble')).toBeNull();
  });

  it("labels the log by Pebble's service name and reads nova's CRITICAL with its traceback", () => {
    const { result } = runPipelineOnText([{ name: NAME, text }], {});
    expect(result.inputs.map((i) => [i.service, i.unrecognizedLines])).toEqual([['nova-conductor', 0]]);
    const critical = (result.serviceErrors ?? []).find((e) => e.level === 'CRITICAL')!;
    // the logger `nova` is the one after `[nova-conductor]`, not the `nova` inside it
    expect([critical.line, critical.endLine, critical.message, critical.exception]).toEqual([
      39,
      106,
      'Unhandled error: keystoneauth1.exceptions.http.ServiceUnavailable: Service Unavailable (HTTP 503)',
      'keystoneauth1.exceptions.http.ServiceUnavailable: Service Unavailable (HTTP 503)',
    ]);
  });

  it('labels a line by the service Pebble names, one ostrace knows no other name for too', () => {
    // real lines of the same report: glance's rock runs Apache as `apache forwarder` (a space in
    // the name), horizon's Apache is `wsgi-horizon`, nova's spice proxy `nova-spiceproxy`
    const forwarder = parseLine(
      '2025-05-14T04:26:30.264Z [apache forwarder] 10.1.0.50 - - [14/May/2025:04:26:30 +0000] "GET /healthcheck HTTP/1.1" 503 610 "-" "Go-http-client/1.1"',
    );
    expect(forwarder).toMatchObject({
      kind: 'access',
      status: 503,
      prefix: { unit: 'apache forwarder', pebble: true },
    });
    expect(labelFromPrefix(forwarder.prefix)).toBe('apache forwarder');
    const horizon = parseLine(
      "2025-05-14T04:28:54.740Z [wsgi-horizon] [Wed May 14 04:28:54.740612 2025] [core:notice] [pid 93:tid 131667592185728] AH00094: Command line: '/usr/sbin/apache2 -D FOREGROUND -D NO_DETACH'",
    );
    expect(labelFromPrefix(horizon.prefix)).toBe('horizon');
    const spice = parseLine(
      '2025-05-14T04:26:24.208Z [nova-spiceproxy] 3 RLock(s) were not greened, to fix this error make sure you run eventlet.monkey_patch() before importing any other modules.',
    );
    expect(labelFromPrefix(spice.prefix)).toBe('nova-spiceproxy');
    // its lines are the service's, not client text, Apache's error lines behind the prefix too
    expect(routeRecord(spice, { last: null, lastWasAccess: false })).toBe('service');
    const proxyError = parseLine(
      '2025-05-14T04:26:30.264Z [apache forwarder] [Wed May 14 04:26:30.180315 2025] [proxy:error] [pid 95:tid 132750057141952] (111)Connection refused: AH00957: http: attempt to connect to 127.0.0.1:9282 (localhost:9282) failed',
    );
    expect(proxyError.prefix).toMatchObject({ style: 'apache-error', unit: 'apache forwarder', pid: 95 });
    expect(routeRecord(proxyError, { last: null, lastWasAccess: false })).toBe('service');
    // a known name keeps its label; Pebble's own lines and a journal's unknown identifier name none
    expect(labelFromPrefix(parseLine(lines[36]!).prefix)).toBe('nova-conductor');
    expect(labelFromPrefix(parseLine(lines[2]!).prefix)).toBeNull();
    // (journalctl --unit cloud-init of a sosreport hotsos keeps: tests/unit/fake_data_root/kubernetes)
    const systemd = parseLine(
      'Feb 11 18:58:25 juju-110cc2-k8stest-4 systemd[1]: Starting Initial cloud-init job (metadata service crawler)...',
    );
    expect(systemd.prefix).toMatchObject({ style: 'journal', unit: 'systemd', pid: 1 });
    expect(labelFromPrefix(systemd.prefix)).toBeNull();
  });

  it("takes Pebble's own lines as Pebble's: its API's access log is no OpenStack call, nor client text", () => {
    // line 3: a call to Pebble's own API, answered 200 in 168 ms
    const record = parseLine(lines[2]!);
    expect(record).toMatchObject({ kind: 'message', text: 'GET /v1/notices?timeout=30s 168.034471ms 200' });
    expect(routeRecord(record, { last: null, lastWasAccess: false })).toBe('pebble');
    expect(routeRecord(parseLine(lines[36]!), { last: null, lastWasAccess: false })).toBe('service');
    const { result } = runPipelineOnText([{ name: NAME, text }], {});
    const input = result.inputs[0]!;
    // every `[pebble]` line of the log, and none else
    expect(input.kinds.pebble).toBe(lines.filter((l) => l.includes('Z [pebble] ')).length);
    expect(input.kinds.pebble).toBe(50);
    expect([...result.exchanges]).toEqual([]);
    expect([...result.commands]).toEqual([]);
    expect(result.findings.filter((f) => f.message.includes('/v1/'))).toEqual([]);
  });

  it("folds an Apache service's access line into nova's requestlog line of the same request", () => {
    const name = 'k8s_kubectl_--namespace_openstack_logs_nova-0_-c_nova-api';
    const api = readFileSync(new URL(`../../samples/field/sunbeam-pebble-nova-api/${name}`, import.meta.url), 'utf8');
    const { result } = runPipelineOnText([{ name, text: api }], {});
    expect(result.inputs.map((i) => [i.service, i.unrecognizedLines])).toEqual([['nova-api', 0]]);
    // 25 requestlog lines and 25 access lines of GET / → 200, one access line → 500 alone
    const exchanges = result.exchanges.map((e) => [e.line, e.method, e.path, e.status, e.requestId !== null]);
    expect(exchanges).toHaveLength(26);
    expect(exchanges[0]).toEqual([57, 'GET', '/', 500, false]);
    expect(exchanges.slice(1).every(([, m, p, s, id]) => m === 'GET' && p === '/' && s === 200 && id)).toBe(true);
  });
});
