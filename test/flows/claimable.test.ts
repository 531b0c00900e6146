// Service-side flows build events only for the request groups some request-flow step can
// recognize (src/flows/index.ts stepsFit). A dropped group that a flow would have
// claimed, or a kept group missing some of its events, changes the flow results: here they
// are compared with replaying every group of every event, as the stage did before the filter.
import { describe, expect, it } from 'vitest';
import { runPipelineOnText } from '../../src/pipeline.js';
import { flowSetFor, markerEvents } from '../../src/flows/index.js';
import { claimantOf } from '../../src/flows/claim.js';
import { recognizes } from '../../src/flows/compile.js';
import { exchangeEvents, orderEvents, type FlowEvent } from '../../src/flows/events.js';
import { replayInstance } from '../../src/flows/replay.js';
import type { FlowResult } from '../../src/model/flow-schema.js';
import { recording } from '../recording.js';

const requestFlows = flowSetFor().flows.filter((f) => f.def.scope === 'request');

/** Every server exchange and marker, grouped by global (else request) id, each group claimed and replayed. */
function replayEveryGroup(analysis: ReturnType<typeof runPipelineOnText>): {
  results: FlowResult[];
  claimedGroups: FlowEvent[][];
} {
  const all = [
    ...exchangeEvents([...analysis.result.exchanges].filter((e) => e.side === 'server')),
    ...markerEvents(analysis.result),
  ];
  const groups = new Map<string, FlowEvent[]>();
  for (const ev of all) {
    const key = ev.globalRequestId ?? ev.requestId;
    if (!key) continue;
    groups.set(key, [...(groups.get(key) ?? []), ev]);
  }
  const results: FlowResult[] = [];
  const claimedGroups: FlowEvent[][] = [];
  for (const [key, group] of groups) {
    const events = orderEvents(group);
    const chosen = claimantOf(requestFlows, key, events);
    if (!chosen) continue;
    claimedGroups.push(events);
    const r = replayInstance(chosen.flow, events, {
      command: null,
      requestId: key,
      source: chosen.first.source,
      line: chosen.first.line,
      label: `request ${key}`,
    });
    if (r) results.push(r);
  }
  return { results, claimedGroups };
}

/** Service-side results: the ones located at a request id (client flows are at a command). */
const requestScoped = (flows: Iterable<FlowResult>): FlowResult[] => [...flows].filter((f) => f.requestId !== null);
const recognizedByAnyStep = (ev: FlowEvent): boolean =>
  requestFlows.some((f) => f.allSteps.some((s) => recognizes(s, { ...ev, action: undefined })));

describe('service-side flows replay only claimable request groups, with all their events', () => {
  // Also the API logs alone: their groups are claimed by exchanges, without step lines.
  for (const [dir, level, only] of [
    ['01-attach-detach', 'DEBUG', null],
    ['01-attach-detach', 'INFO', null],
    ['01-attach-detach', 'DEBUG', ['nova-api.log', 'cinder-api.log']],
    ['18-shelve-then-offload', 'DEBUG', null],
    ['18-shelve-then-offload', 'INFO', null],
    ['18-shelve-then-offload', 'DEBUG', ['cinder-api.log']],
    ['13-unshelve-attached', 'DEBUG', null],
    ['12-extend-attached', 'INFO', null],
  ] as const) {
    it(`${dir} at ${level}${only ? ` (${only.join(', ')})` : ''}: the same flow results as replaying every group`, () => {
      const inputs = recording(dir, level).filter((i) => only === null || (only as readonly string[]).includes(i.name));
      const analysis = runPipelineOnText(inputs);
      const { results, claimedGroups } = replayEveryGroup(analysis);
      expect(results.length).toBeGreaterThan(0);
      expect(requestScoped(analysis.result.flows)).toEqual(results);
      // The filter is exercised: some requests are in no claimable group, and some
      // claimed group holds events no step recognizes (they must still be replayed).
      const allKeys = new Set(
        [...analysis.result.exchanges]
          .filter((e) => e.side === 'server')
          .map((e) => e.globalRequestId ?? e.requestId)
          .filter((k) => k !== null),
      );
      expect(claimedGroups.length).toBeLessThan(allKeys.size);
      expect(claimedGroups.some((g) => g.some((ev) => !recognizedByAnyStep(ev)))).toBe(true);
    });
  }
});
