// Issue #12: a journal of several units (`journalctl -u nova-api -u cinder-api …`) is read as if
// the services' logs had been given apart. The sample is journalctl's real output over the real
// minicloud recording (samples/field/journal-units-minicloud, how it was made in its expectation);
// the same journal printed with `-o short-iso` and `-o short-iso-precise` (journal-units-minicloud-short-iso*).
import { describe, expect, it } from 'vitest';
import { ostrace } from './built-cli.js';

interface Run {
  exchanges: Array<{
    side: string;
    method: string | null;
    path: string | null;
    status: number | null;
    requestId: string | null;
    service: string | null;
    durationMs: number | null;
    startedAt: string | null;
  }>;
  chains: Array<{ links: unknown[]; services: string[] }>;
  flows: Array<{ flow: string; verdict: string }>;
  findings: unknown[];
  inputs: Array<{ service: string | null; unrecognizedLines: number }>;
  serviceEvents: Array<{ service: string | null; line: number; timestamp: string | null }>;
}

const analyze = (files: string[]) => {
  const r = ostrace(['analyze', '--format', 'json', ...files]);
  expect(r.code, r.stderr).toBe(0);
  return { run: JSON.parse(r.stdout) as Run, stderr: r.stderr };
};
const recording = 'samples/multi-service/minicloud-attach/';
const apart = ['nova-api.log', 'nova-compute.log', 'cinder-api.log', 'cinder-volume.log'].map((f) => recording + f);

describe('a journal of several units', () => {
  it('gives the exchanges, times, chain and attach flow of the logs given apart', () => {
    const journal = analyze(['samples/field/journal-units-minicloud/journal-units-minicloud.log']);
    const files = analyze(apart);
    // journald's prefix has no year: the record's own timestamp gives it, so nothing is guessed
    expect(journal.stderr).not.toContain('no year');
    const key = (e: Run['exchanges'][number]) =>
      [e.method, e.path, e.status, e.requestId, e.service, e.durationMs, e.startedAt].join(' ');
    const byTime = (run: Run) => run.exchanges.map(key).sort();
    expect(byTime(journal.run)).toEqual(byTime(files.run));
    expect(journal.run.exchanges.every((e) => e.startedAt?.startsWith('2026-11-25T21:02:5'))).toBe(true);
    expect(journal.run.chains.map((c) => [c.links.length, c.services])).toEqual(
      files.run.chains.map((c) => [c.links.length, c.services]),
    );
    expect(journal.run.flows.map((f) => [f.flow, f.verdict])).toEqual([['server/attach-volume', 'complete']]);
    expect(files.run.flows.map((f) => [f.flow, f.verdict])).toEqual([['server/attach-volume', 'complete']]);
    expect(journal.run.findings).toEqual([]);
  });

  it('reads journalctl -o short-iso and short-iso-precise as it reads -o short', () => {
    const sample = (n: string) => `samples/field/${n}/${n}.log`;
    const short = analyze([sample('journal-units-minicloud')]).run;
    // The whole analysis but the input's name and size and the prefix's own time where it is
    // the line's (short-iso-precise's `2026-11-25T21:02:54.090000+0000`, the record's
    // `2026-11-25 21:02:54.090`): exchanges with their durations, chains, flows, labels.
    const same = (run: Run) => ({
      exchanges: run.exchanges,
      chains: run.chains,
      flows: run.flows,
      findings: run.findings,
      services: run.inputs.map((i) => [i.service, i.unrecognizedLines]),
      events: run.serviceEvents.map((e) => [e.service, e.line]),
    });
    const stripName = (run: Run) =>
      JSON.parse(JSON.stringify(same(run)).replace(/journal-units-minicloud[\w-]*/g, 'X'));
    expect(short.exchanges.length).toBeGreaterThan(10);
    for (const o of ['short-iso', 'short-iso-precise']) {
      const iso = analyze([sample(`journal-units-minicloud-${o}`)]).run;
      expect(stripName(iso)).toEqual(stripName(short));
      expect(iso.inputs[0]!.service).toBe('journal');
      expect(new Set(iso.exchanges.map((e) => e.service))).toEqual(new Set(['nova-api', 'cinder-api']));
      expect(iso.exchanges.every((e) => e.durationMs !== null)).toBe(true);
    }
  });
});
