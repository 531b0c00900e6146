// Shared fixtures for the report tests: real-shaped samples through the analysis and
// the stats stage (not the whole pipeline, so these tests do not depend on the flow
// and rule stages other work is changing).
import { readFileSync } from 'node:fs';
import { analyzeText } from '../../src/analyze.js';
import type { DetailLookup } from '../../src/core/analysis.js';
import type { RunResult } from '../../src/model/schema.js';
import type { ReportContext } from '../../src/report/types.js';
import { runPipelineOnText } from '../../src/pipeline.js';
import { statsOf } from '../../src/stats/index.js';

export const SAMPLES = {
  timed: 'samples/timed/client.log',
  /** The timed client log with four service logs of the same real run. */
  services: 'samples/timed/client.log+services',
  seed: 'samples/seed-attach-volume/client.log',
  hostile: 'samples/hostile/client.log',
} as const;

export function samplePath(p: string): string {
  return new URL(`../../${p}`, import.meta.url).pathname;
}

/**
 * The real server add volume recording (osc 6) behind a proxy with a session cookie: the client
 * sends `Cookie: <cookie>` on line 31's REQ, the proxy's `Set-Cookie: <setCookie>` is among line 34's RESP headers.
 */
export function recordingWithCookies(cookie: string, setCookie: string): string {
  const lines = readFileSync(samplePath('samples/real-osc/server-add-volume.log'), 'utf8').split('\n');
  lines[30] = lines[30]!.replace(
    '-H "Accept: application/json"',
    `-H "Accept: application/json" -H "Cookie: ${cookie}"`,
  );
  lines[33] = lines[33]!.replace('Connection: close', `Connection: close Set-Cookie: ${setCookie}`);
  return lines.join('\n');
}

export const SERVICE_LOGS = ['nova-api.log', 'nova-compute.log', 'cinder-api.log', 'cinder-volume.log'].map(
  (f) => `samples/timed/services/${f}`,
);

/**
 * Client and service logs through the whole pipeline: chains, flows and service events
 * need it (the report tests below that depend on those stages use this one only).
 */
export function analyzedWithServices(): { run: RunResult; details: DetailLookup; ctx: ReportContext } {
  const inputs = [SAMPLES.timed, ...SERVICE_LOGS].map((name) => ({
    name,
    text: readFileSync(samplePath(name), 'utf8'),
  }));
  const { result, details } = runPipelineOnText(inputs, { keepDetails: true });
  return { run: result, details, ctx: { color: false, showSecrets: false, details } };
}

export function analyzed(sample: string): { run: RunResult; details: DetailLookup; ctx: ReportContext } {
  if (sample === SAMPLES.services) return analyzedWithServices();
  const text = readFileSync(samplePath(sample), 'utf8');
  const { result, details } = analyzeText([{ name: sample, text }], { keepDetails: true });
  result.stats = statsOf(result);
  return { run: result, details, ctx: { color: false, showSecrets: false, details } };
}
