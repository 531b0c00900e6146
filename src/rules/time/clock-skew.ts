// time/clock-skew: a service's clock disagrees with the others. The chain merge
// (src/chain/merge.ts) estimates clock offsets from causal pairs (a request must be
// logged by the server between the client's send and receive) and records them
// with their evidence (result.clockSkews); this rule reports the ones worth a warning.
import * as z from '../../core/zod.js';
import { defineRule } from '../../engine/types.js';
import type { ClockSkew } from '../../model/chain-schema.js';
import { maskText } from '../../secrets/mask.js';

/** A corrected offset smaller than this is timer noise, not worth a warning. */
const REPORT_MS = 500;

export const clockSkew = defineRule({
  meta: {
    id: 'time/clock-skew',
    defaultSeverity: 'warning',
    description: "A log's clock is off compared with the others (cause before effect is violated).",
    docs:
      'Reports the clock offsets the timeline merge estimates when logs of several hosts are read together, from ' +
      'evidence the logging points cannot explain: a service that logged a request (or the work passed on with it) ' +
      'before its caller started it, or a synchronous HTTP call answered outside the lines of the caller waiting for ' +
      "it, by more than the merge's tolerance. A worker line logged late after an RPC cast is no evidence: the work " +
      'goes on after the API answered. The merged timeline is corrected for the offset; the finding says which log, ' +
      'by how much, and which line shows it. Offsets under 0.5 s are corrected silently.',
    options: z.strictObject({}),
  },
  create(ctx) {
    return {
      onEnd(analysis) {
        for (const s of analysis.result.clockSkews ?? []) {
          if (s.kind === 'offset' && Math.abs(s.offsetMs ?? 0) < REPORT_MS) continue;
          ctx.report({ source: s.source, line: s.line, message: maskText(skewText(s)) });
        }
      },
    };
  },
});

function skewText(s: ClockSkew): string {
  const e = s.evidence;
  const shown =
    e.relation === 'before'
      ? `${e.source}:${e.line} is logged ${seconds(e.gapMs)} before ${e.otherSource}:${e.otherLine} (${e.why})`
      : `${e.source}:${e.line} is logged ${seconds(e.gapMs)} after ${e.otherSource}:${e.otherLine}, the end of what caused it (${e.why})`;
  switch (s.kind) {
    case 'unexplained':
      return `clocks of ${s.inputs.join(', ')} disagree in ways no correction of a few of them explains: ${shown}`;
    case 'ambiguous':
      return `clocks of ${s.inputs.join(' and ')} disagree by about ${seconds(s.offsetMs ?? 0)}; no other log tells which one is wrong: ${shown}`;
    case 'offset':
      return `clock of ${s.source} looks ${(s.offsetMs ?? 0) > 0 ? 'ahead of' : 'behind'} the other logs by about ${seconds(Math.abs(s.offsetMs ?? 0))}: ${shown}`;
  }
}

function seconds(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}
