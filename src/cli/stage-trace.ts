// `OSTRACE_TRACE_STAGES=1`: after each stage, its time, the process's peak RSS so far, its RSS
// now, and the live heap of what V8 holds, on standard error — which stage sets a big run's peak (`npm run bench` measures
// the whole run). Written straight to fd 2: the last line is written as the program exits.
import { writeSync } from 'node:fs';

/** `note`: what to add to a stage's line (null: nothing), asked as the stage ends. */
export function stageTracer(note?: (stage: string) => string | null): ((stage: string) => void) | undefined {
  if (!process.env.OSTRACE_TRACE_STAGES) return undefined;
  let last = performance.now();
  const extra = (stage: string) => {
    const text = note?.(stage) ?? null;
    return text === null ? '' : `  (${text})`;
  };
  const trace = (stage: string) => {
    const now = performance.now();
    const peakMb = process.resourceUsage().maxRSS / 1024;
    // now: what the stage left resident; heap: live, then what V8 holds for it
    const { rss, heapUsed, heapTotal } = process.memoryUsage();
    const mb = (bytes: number, width: number) => (bytes / 2 ** 20).toFixed(0).padStart(width);
    writeSync(
      2,
      `ostrace: stage ${stage.padEnd(7)} ${((now - last) / 1000).toFixed(2).padStart(7)} s  peak RSS ${peakMb.toFixed(0).padStart(4)} MB  now ${mb(rss, 4)} MB  heap ${mb(heapUsed, 4)} MB of ${mb(heapTotal, 4)}${extra(stage)}\n`,
    );
    last = now;
  };
  process.once('exit', () => trace('report'));
  return trace;
}
