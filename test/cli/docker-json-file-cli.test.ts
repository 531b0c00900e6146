// docker's json-file log (/var/lib/docker/containers/<id>/<id>-json.log; dockershim's
// /var/log/containers/*.log): each line a JSON object whose `log` string is the service's line.
// Through the built CLI, on samples/field/docker-json-file-attach-driver-error (the real
// minicloud 04-attach-driver-error nova-compute and cinder-api logs in docker's envelope; its
// source field says how it was built): analyze reads the same exchanges, service events and
// findings as from the unwrapped logs, on the same line numbers.
import { describe, expect, it } from 'vitest';
import { ostrace } from './built-cli.js';

const wrapped = 'samples/field/docker-json-file-attach-driver-error/';
const plain = 'samples/minicloud/04-attach-driver-error/';
const services = ['nova-compute', 'cinder-api'];

interface Report {
  inputs: Array<{ name: string; lines: number; unrecognizedLines: number; kinds: Record<string, number> }>;
  exchanges: unknown[];
  serviceEvents: unknown[];
  findings: unknown[];
}

/** `analyze --format json` of the files, each input's name put back to its service's unwrapped log. */
function analyze(dir: string, suffix: string): Report {
  const r = ostrace(['analyze', '--format', 'json', ...services.map((s) => `${dir}${s}${suffix}`)]);
  expect(r.stderr).toBe('');
  let out = r.stdout;
  for (const s of services) out = out.split(`${dir}${s}${suffix}`).join(`${s}.log`);
  return JSON.parse(out) as Report;
}

describe('analyze: docker json-file logs read as the lines they hold (built CLI)', () => {
  it('gives what the unwrapped logs give', () => {
    const fromDocker = analyze(wrapped, '-json.log');
    const fromLogs = analyze(plain, '.log');
    expect(fromDocker.inputs.map((i) => [i.lines, i.unrecognizedLines])).toEqual([
      [188, 0],
      [255, 0],
    ]);
    expect(fromDocker.inputs[0]!.kinds.json).toBeUndefined();
    expect(fromDocker.exchanges.length).toBeGreaterThan(0);
    expect(fromDocker.serviceEvents.length).toBeGreaterThan(0);
    expect(fromDocker.findings.length).toBeGreaterThan(0);
    expect(fromDocker.exchanges).toEqual(fromLogs.exchanges);
    expect(fromDocker.serviceEvents).toEqual(fromLogs.serviceEvents);
    expect(fromDocker.findings).toEqual(fromLogs.findings);
    expect(fromDocker.inputs.map((i) => i.kinds)).toEqual(fromLogs.inputs.map((i) => i.kinds));
  });
});
