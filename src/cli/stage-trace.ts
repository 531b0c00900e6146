// `OSTRACE_TRACE_STAGES=1`: after each stage, its time, the process's peak RSS so far and the
// live heap, on standard error — which stage sets a big run's peak (`npm run bench` measures
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
    const heapMb = process.memoryUsage().heapUsed / 2 ** 20;
    writeSync(
      2,
      `ostrace: stage ${stage.padEnd(7)} ${((now - last) / 1000).toFixed(2).padStart(7)} s  peak RSS ${peakMb.toFixed(0).padStart(4)} MB  heap ${heapMb.toFixed(0).padStart(4)} MB${extra(stage)}\n`,
    );
    last = now;
  };
  process.once('exit', () => trace('report'));
  return trace;
}
