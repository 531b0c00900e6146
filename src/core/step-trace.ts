// `OSTRACE_TRACE_STAGES=steps`: besides each stage's line (src/cli/stage-trace.ts), a line after
// each step of a long stage, with the peak RSS so far: which step of the stage sets a big run's
// peak, without a profiler. Off, it costs a comparison.
import { writeSync } from 'node:fs';

const tracing = process.env.OSTRACE_TRACE_STAGES === 'steps';

export function traceStep(step: string): void {
  if (!tracing) return;
  const peakMb = process.resourceUsage().maxRSS / 1024;
  const { rss, heapUsed } = process.memoryUsage();
  const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(0).padStart(4);
  writeSync(
    2,
    `ostrace:   step ${step.padEnd(22)} peak RSS ${peakMb.toFixed(0).padStart(4)} MB  now ${mb(rss)} MB  heap ${mb(heapUsed)} MB\n`,
  );
}
