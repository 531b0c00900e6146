// A CI runner's or kubectl's time before each line: GitHub Actions' raw log
// (`2024-05-03T10:11:12.1234567Z `, seven digits) and `kubectl logs --timestamps` (RFC 3339 with
// nanoseconds, `2024-05-03T10:11:12.123456789Z `). No published log of OpenStack's clients or
// services under either was found (samples/field/README.md), so THIS TEST ADDS THE STAMPS itself
// to real samples' lines — samples/seed-attach-volume/client.log (a real `openstack --debug`
// run) and the real minicloud recording (client.log and its oslo.log service logs) — and the
// analysis must be the unstamped files' own: the stamp is cut, the line read as it was.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runPipelineOnText } from '../../src/pipeline.js';
import { Demultiplexer, withoutLineStamp } from '../../src/input/demux.js';
import { parseLine } from '../../src/parse/index.js';

const samples = fileURLToPath(new URL('../../samples/', import.meta.url));
const read = (path: string) => readFileSync(`${samples}${path}`, 'utf8');

/** GitHub Actions' stamp: seven fractional digits, one tick of 100 ns a line from a start. */
const github = (i: number) =>
  `2024-05-03T10:11:${String(12 + (i % 40)).padStart(2, '0')}.${String(1234567 + i).padStart(7, '0')}Z`;
/** kubectl's RFC3339Nano: nine digits, Go drops trailing zeros (`.1Z`; none on a whole second). */
const kubectl = (i: number) => {
  const fraction = i % 7 === 0 ? '' : i % 5 === 0 ? '.1' : `.${String(123456789 + i).padStart(9, '0')}`;
  return `2024-05-03T10:11:${String(12 + (i % 40)).padStart(2, '0')}${fraction}Z`;
};
/** The test's own stamp before each line; an empty line becomes the stamp alone, as GitHub writes it. */
const stamped = (text: string, stamp: (i: number) => string) => {
  const lines = text.split('\n');
  // The text after the last newline is no line.
  const last = lines.at(-1) === '' ? lines.pop() : undefined;
  const out = lines.map((line, i) => (line === '' ? stamp(i) : `${stamp(i)} ${line}`)).join('\n');
  return last === undefined ? out : `${out}\n`;
};

/** The analysis without what tells the inputs' sizes apart (the stamps' bytes). */
function comparable(inputs: Array<{ name: string; text: string }>) {
  const result = runPipelineOnText(inputs).result;
  // As the JSON report writes it (the result holds lazily built lists).
  return JSON.parse(
    JSON.stringify({
      inputs: result.inputs.map(({ bytes: _bytes, ...rest }) => rest),
      commands: result.commands,
      exchanges: result.exchanges,
      chains: result.chains,
      flows: result.flows,
      findings: result.findings,
      serviceEvents: result.serviceEvents,
      serviceErrors: result.serviceErrors,
    }),
  ) as Comparable;
}
interface Comparable {
  inputs: unknown[];
  commands: unknown[];
  exchanges: Array<{ durationMs: number | null }>;
  chains: unknown[];
  flows: unknown[];
  findings: unknown[];
  serviceEvents: unknown[];
  serviceErrors: unknown[];
}

const RECORDING = ['client.log', 'nova-api.log', 'nova-compute.log', 'cinder-api.log', 'cinder-volume.log'];

describe('a CI runner’s or kubectl’s stamp before each line (added by this test)', () => {
  for (const [name, stamp] of [
    ['GitHub Actions (7 digits)', github],
    ['kubectl logs --timestamps (RFC3339Nano)', kubectl],
  ] as const) {
    it(`${name}: a real osc --debug run reads as without the stamps`, () => {
      const text = read('seed-attach-volume/client.log');
      const plain = comparable([{ name: 'client.log', text }]);
      expect(plain.commands.length).toBeGreaterThan(0);
      expect(plain.exchanges.length).toBeGreaterThan(0);
      expect(comparable([{ name: 'client.log', text: stamped(text, stamp) }])).toEqual(plain);
    });

    it(`${name}: the minicloud recording (client and oslo.log service logs) reads as without the stamps`, () => {
      const files = RECORDING.map((f) => ({ name: f, text: read(`multi-service/minicloud-attach/${f}`) }));
      const plain = comparable(files);
      expect(plain.flows.length).toBeGreaterThan(0);
      expect(plain.chains.length).toBeGreaterThan(0);
      expect(plain.exchanges.filter((e) => e.durationMs !== null).length).toBeGreaterThan(0);
      expect(comparable(files.map((f) => ({ name: f.name, text: stamped(f.text, stamp) })))).toEqual(plain);
    });
  }

  it("cuts the stamp before an oslo.log record, never an oslo.log record's own time or Pebble's prefix", () => {
    const record =
      '2024-05-03 10:11:12.123 1234 DEBUG nova.api.openstack.wsgi [None req-1 u p - - default default] Calling';
    expect(withoutLineStamp(`2024-05-03T10:11:12.1234567Z ${record}`)).toBe(record);
    expect(withoutLineStamp(`2024-05-03T10:11:12.123456789Z ${record}`)).toBe(record);
    expect(parseLine(withoutLineStamp(`2024-05-03T10:11:12.1234567Z ${record}`)).prefix).toMatchObject({
      style: 'oslo',
      timestamp: '2024-05-03 10:11:12.123',
      pid: 1234,
    });
    // oslo.log's time has a space and no zone: the record stays whole.
    expect(withoutLineStamp(record)).toBe(record);
    expect(withoutLineStamp('2024-05-03T10:11:12.123 1234 DEBUG x')).toBe('2024-05-03T10:11:12.123 1234 DEBUG x');
    // Pebble's own prefix (three digits, `[service] `) is a record's prefix, read by the lexer.
    const pebble = '2025-05-14T04:27:20.100Z [nova-conductor] 2025-05-14 04:27:20.061 31 WARNING x';
    expect(withoutLineStamp(pebble)).toBe(pebble);
    // … and under kubectl's stamp it follows it.
    expect(withoutLineStamp(`2025-05-14T04:27:20.123456789Z ${pebble}`)).toBe(pebble);
    // GitHub's `[command]` marker is no Pebble service.
    expect(withoutLineStamp('2024-05-03T10:11:12.1234567Z [command]/usr/bin/openstack --debug server list')).toBe(
      '[command]/usr/bin/openstack --debug server list',
    );
    expect(withoutLineStamp('2024-05-03T10:11:12.1234567Z')).toBe('');
  });

  it('kubectl --prefix --timestamps: the pod names the source, the stamp after it is cut', () => {
    const demux = new Demultiplexer();
    const line = demux.split(
      '[pod/nova-api-0/nova-api] 2024-05-03T10:11:12.123456789Z 2024-05-03 10:11:12.123 1 INFO x',
    );
    expect(line).toMatchObject({ source: 'pod/nova-api-0/nova-api', text: '2024-05-03 10:11:12.123 1 INFO x' });
  });

  // The real lines of samples/field/nova-operator-cri-grep-neutron (a `grep -r` over a must-gather's
  // /var/log/pods, pasted in openstack-k8s-operators/nova-operator#786): the runtime's prefix is cut.
  it('grep over /var/log/pods: the file names the source, the CRI prefix before the oslo.log record is cut', () => {
    const demux = new Demultiplexer();
    const lines = read('field/nova-operator-cri-grep-neutron/nova-operator-cri-grep-neutron.log').trimEnd().split('\n');
    const split = lines.map((line) => demux.split(line));
    expect(split.map((l) => l.source)).toEqual([
      'podlogs/var/log/pods/openstack_neutron-6fb7fc6855-t6vpf_2049139a-9250-456f-a25a-5cbbfe860b0c/neutron-api/0.log',
      'podlogs/var/log/pods/openstack_neutron-6fb7fc6855-t6vpf_2049139a-9250-456f-a25a-5cbbfe860b0c/neutron-api/0.log',
    ]);
    expect(split.map((l) => parseLine(l.text).prefix)).toMatchObject([
      { style: 'oslo', timestamp: '2024-06-18 19:45:49.421', pid: 15, level: 'INFO' },
      { style: 'oslo', timestamp: '2024-06-18 19:45:49.433', pid: 15, level: 'DEBUG' },
    ]);
  });

  it('a CRI log file read as it is: stamp with any offset, stream and tag cut; an offset without them stays', () => {
    const record =
      '2024-06-18 20:16:14.620 16 INFO neutron.db.ovn_revision_numbers_db [None req-9 a p - - default default] x';
    expect(withoutLineStamp(`2024-06-18T20:16:14.620973308+00:00 stdout F ${record}`)).toBe(record);
    expect(withoutLineStamp(`2024-06-18T22:16:14.620973308+02:00 stderr F ${record}`)).toBe(record);
    expect(withoutLineStamp(`2024-06-18T20:16:14.620973308Z stdout F ${record}`)).toBe(record);
    // A part of a line the runtime cut loses its prefix too (PhysicalLines joins the parts); an empty line is the prefix alone.
    expect(withoutLineStamp(`2024-06-18T20:16:14.620973308+00:00 stdout P ${record}`)).toBe(record);
    expect(withoutLineStamp('2024-06-18T20:16:14.620973308+00:00 stdout F')).toBe('');
    expect(new Demultiplexer().split(`2024-06-18T20:16:14.620973308+00:00 stdout F ${record}`)).toMatchObject({
      source: null,
      text: record,
    });
    // An offset with no stream after it may be a record's own time (journalctl -o short-iso): kept.
    const iso = '2024-06-18T20:16:14+00:00 host nova-api[12]: x';
    expect(withoutLineStamp(iso)).toBe(iso);
  });
});
