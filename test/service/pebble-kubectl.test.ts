// `kubectl logs --prefix` over Pebble's log (Canonical's rocks): `[pod/nova-0/nova-api] ` before
// Pebble's `<time>Z [wsgi-nova-api] ` before the service's own line. No published output of that
// stack was found; the lines behind both prefixes are real: the Sunbeam sosreport canonical/hotsos
// keeps (samples/field/sunbeam-pebble-*, each `kubectl logs` of one container), given kubectl's
// prefix as `kubectl logs POD --all-containers --prefix` writes it (each container's lines in
// turn) or `-f` (the containers' lines as they come).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SOURCE_SEPARATOR } from '../../src/analyze.js';
import { runPipelineOnText } from '../../src/pipeline.js';

const CONTAINERS = [
  ['nova-0', 'nova-api', 'sunbeam-pebble-nova-api'],
  ['nova-0', 'nova-conductor', 'sunbeam-pebble-nova-conductor'],
  ['glance-0', 'glance-api', 'sunbeam-pebble-glance-forwarder'],
] as const;

const logOf = (pod: string, container: string, sample: string) =>
  readFileSync(
    new URL(
      `../../samples/field/${sample}/k8s_kubectl_--namespace_openstack_logs_${pod}_-c_${container}`,
      import.meta.url,
    ),
    'utf8',
  )
    .split('\n')
    .filter((l) => l !== '');

/** What a run says of each container's log, whatever its line numbers and input name. */
function readout(result: ReturnType<typeof runPipelineOnText>['result'], nameOf: (input: string) => string) {
  return {
    inputs: result.inputs.map((i) => [nameOf(i.name), i.service, i.unrecognizedLines, i.kinds]).sort(),
    exchanges: result.exchanges
      .map((e) => [nameOf(e.source), e.side, e.service, e.method, e.path, e.status, e.requestId, e.startedAt])
      .sort(),
    errors: (result.serviceErrors ?? []).map((e) => [nameOf(e.source), e.level, e.message]).sort(),
  };
}

const alone = runPipelineOnText(
  CONTAINERS.map(([pod, container, sample]) => ({
    name: `pod/${pod}/${container}`,
    text: `${logOf(pod, container, sample).join('\n')}\n`,
  })),
  {},
).result;

describe("kubectl's prefix over Pebble's", () => {
  const prefixed = CONTAINERS.map(([pod, container, sample]) =>
    logOf(pod, container, sample).map((l) => `[pod/${pod}/${container}] ${l}`),
  );
  const sourceOf = (name: string) => name.slice(name.indexOf(SOURCE_SEPARATOR) + SOURCE_SEPARATOR.length);

  it('reads each container as if given alone: its service, every line, its request ids', () => {
    const { result } = runPipelineOnText([{ name: 'pods.txt', text: `${prefixed.flat().join('\n')}\n` }], {});
    expect(result.inputs.map((i) => [sourceOf(i.name), i.service, i.unrecognizedLines])).toEqual([
      ['pod/nova-0/nova-api', 'nova-api', 0],
      ['pod/nova-0/nova-conductor', 'nova-conductor', 0],
      ['pod/glance-0/glance-api', 'glance-api', 0],
    ]);
    expect(readout(result, sourceOf)).toEqual(readout(alone, (n) => n));
    // nova's requestlog request ids, the forwarder's lines under its own name
    const ids = result.exchanges.filter((e) => e.requestId?.startsWith('req-'));
    expect(ids).toHaveLength(25);
    expect(result.exchanges.filter((e) => e.service === 'apache forwarder')).toHaveLength(8);
  });

  it("reads them the same when the containers' lines come interleaved (`kubectl logs -f`)", () => {
    // ordered by Pebble's time, a container's own lines kept in their order
    const timeOf = (l: string) => /\] (\S+Z) /.exec(l)![1]!;
    const lines = prefixed
      .flatMap((ls, c) => ls.map((l, i) => ({ l, c, i })))
      .sort((a, b) => timeOf(a.l).localeCompare(timeOf(b.l)) || a.c - b.c || a.i - b.i)
      .map((x) => x.l);
    expect(lines.slice(0, 3).map((l) => l.slice(0, l.indexOf(']') + 1))).toEqual([
      '[pod/glance-0/glance-api]',
      '[pod/glance-0/glance-api]',
      '[pod/glance-0/glance-api]',
    ]);
    const { result } = runPipelineOnText([{ name: 'pods.txt', text: `${lines.join('\n')}\n` }], {});
    expect(readout(result, sourceOf)).toEqual(readout(alone, (n) => n));
  });
});
