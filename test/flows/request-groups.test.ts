// Service-side flows are replayed one request group at a time (the group's events are built
// only when it is replayed). Replaying the whole run must give exactly what replaying each
// request group on its own gives: no group lost, none merged with another, same order.
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runPipelineOnText } from '../../src/pipeline.js';
import { flowSetFor, replayRun } from '../../src/flows/index.js';
import type { Exchange, RunResult } from '../../src/model/schema.js';

const serviceLogs = (dir: string) => {
  const base = new URL(`../../samples/minicloud/${dir}/`, import.meta.url);
  return readdirSync(base)
    .filter((n) => n.endsWith('.log') && !n.startsWith('client'))
    .sort()
    .map((n) => ({ name: `${dir}/${n}`, text: readFileSync(new URL(n, base), 'utf8') }));
};

describe('request groups replayed one at a time', () => {
  it('give the flows each group gives alone, on many interleaved groups of several recordings', () => {
    const dirs = ['01-attach-detach', '09-detach-shelved-offloaded', '10-multiattach', '15-resize-attached'];
    const { result } = runPipelineOnText(dirs.flatMap(serviceLogs));
    const flows = flowSetFor().flows;
    const exchanges = [...result.exchanges] as Exchange[];
    const markers = [...(result.serviceEvents ?? [])];
    const server = exchanges.filter((e) => e.side === 'server');
    expect(server.some((e) => e.kind === 'resend')).toBe(false); // the per-group path, not the fallback

    const keys = [
      ...new Set([
        ...server.map((e) => e.globalRequestId ?? e.requestId),
        ...markers.map((m) => m.globalRequestId ?? m.requestId),
      ]),
    ].filter((k): k is string => k !== null);
    expect(keys.length).toBeGreaterThan(20);

    const alone = keys.flatMap(
      (key) =>
        replayRun(flows, {
          exchanges: server.filter((e) => (e.globalRequestId ?? e.requestId) === key),
          commands: [],
          serviceEvents: markers.filter((m) => (m.globalRequestId ?? m.requestId) === key),
        } as unknown as Pick<RunResult, 'exchanges' | 'commands' | 'serviceEvents'>).flows,
    );
    const whole = replayRun(flows, {
      exchanges: server,
      commands: [],
      serviceEvents: markers,
    } as unknown as Pick<RunResult, 'exchanges' | 'commands' | 'serviceEvents'>).flows;

    expect(alone.filter((f) => f.flow.startsWith('server/')).length).toBeGreaterThanOrEqual(dirs.length);
    expect(whole).toEqual(alone);
  }, 120_000); // a timeout for a loaded machine, not a speed bound
});
