// A real multi-service recording grown to any size for the benchmark: the whole
// set of files repeated, each repetition shifted in time by the recording's length
// and with fresh UUIDs (request ids, instances, volumes, attachments…) that stay
// consistent across the files of one repetition. Deterministic: the same bytes on
// every run.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeAll } from './write.js';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
// `2026-11-25 21:02:46` (also with `T`), uwsgi's `Wed Nov 25 21:02:45 2026`, HTTP's `Wed, 25 Nov 2026 21:02:41 GMT`
const TIME = new RegExp(
  [
    String.raw`(\d{4})-(\d\d)-(\d\d)([ T])(\d\d):(\d\d):(\d\d)`,
    String.raw`(?:${DAYS.join('|')}) (${MONTHS.join('|')}) +(\d\d?) (\d\d):(\d\d):(\d\d) (\d{4})`,
    String.raw`(?:${DAYS.join('|')}), (\d\d) (${MONTHS.join('|')}) (\d{4}) (\d\d):(\d\d):(\d\d) GMT`,
  ].join('|'),
  'g',
);
/** Only times near the recording move (not API version dates of 2020). */
const NEAR_MS = 3 * 86_400_000;

type Part = string | { uuid: number } | { ms: number; form: 'iso' | 'ctime' | 'http'; sep: string };

/** The recording to grow: the shared one when this clone has it beside it, else the copy in samples/. */
export function recordingDir(repo: string): string {
  for (const dir of [
    join(repo, '../shared/samples/minicloud-01-attach-detach'),
    '/work/shared/samples/minicloud-01-attach-detach',
  ])
    if (existsSync(join(dir, 'nova-api.log'))) return dir;
  return join(repo, 'samples/multi-service/minicloud-attach');
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

function formatTime(ms: number, form: 'iso' | 'ctime' | 'http', sep: string): string {
  const d = new Date(ms);
  const [Y, M, D, h, m, s] = [
    d.getUTCFullYear(),
    d.getUTCMonth(),
    d.getUTCDate(),
    d.getUTCHours(),
    d.getUTCMinutes(),
    d.getUTCSeconds(),
  ];
  const clock = `${pad(h)}:${pad(m)}:${pad(s)}`;
  if (form === 'iso') return `${Y}-${pad(M + 1)}-${pad(D)}${sep}${clock}`;
  if (form === 'ctime') return `${DAYS[d.getUTCDay()]} ${MONTHS[M]} ${String(D).padStart(2)} ${clock} ${Y}`;
  return `${DAYS[d.getUTCDay()]}, ${pad(D)} ${MONTHS[M]} ${Y} ${clock} GMT`;
}

/** A file cut into literal text, UUIDs and whole-second times (fractions stay literal). */
function partsOf(text: string, uuids: Map<string, number>, anchor: { ms: number | null }): Part[] {
  const marks: Array<{ at: number; end: number; part: Part }> = [];
  for (const m of text.matchAll(UUID)) {
    if (!uuids.has(m[0])) uuids.set(m[0], uuids.size);
    marks.push({ at: m.index, end: m.index + m[0].length, part: { uuid: uuids.get(m[0])! } });
  }
  for (const m of text.matchAll(TIME)) {
    const g = m.slice(1).map((x) => (x === undefined ? NaN : Number(x)));
    let ms: number;
    let form: 'iso' | 'ctime' | 'http';
    if (m[1] !== undefined) {
      ms = Date.UTC(g[0]!, g[1]! - 1, g[2]!, g[4]!, g[5]!, g[6]!);
      form = 'iso';
    } else if (m[8] !== undefined) {
      ms = Date.UTC(g[12]!, MONTHS.indexOf(m[8]), g[8]!, g[9]!, g[10]!, g[11]!);
      form = 'ctime';
    } else {
      ms = Date.UTC(g[15]!, MONTHS.indexOf(m[15]!), g[13]!, g[16]!, g[17]!, g[18]!);
      form = 'http';
    }
    anchor.ms ??= ms;
    if (Math.abs(ms - anchor.ms) > NEAR_MS) continue;
    marks.push({ at: m.index, end: m.index + m[0].length, part: { ms, form, sep: m[4] ?? ' ' } });
  }
  marks.sort((a, b) => a.at - b.at);
  const parts: Part[] = [];
  let at = 0;
  for (const mark of marks) {
    if (mark.at < at) continue; // a UUID inside a time cannot happen; overlaps are skipped
    parts.push(text.slice(at, mark.at), mark.part);
    at = mark.end;
  }
  parts.push(text.slice(at));
  return parts;
}

/**
 * Write the recording's `*.log` files into `dir`, repeated until they hold at least
 * `bytes` in all. Repetition 0 is the recording itself; repetition r is shifted by
 * r × (its length + 10 s) and its UUIDs end in a counter of r and the UUID.
 */
export async function growRecording(source: string, dir: string, bytes: number): Promise<string[]> {
  const names = readdirSync(source)
    .filter((n) => n.endsWith('.log'))
    .sort();
  const uuids = new Map<string, number>();
  const anchor = { ms: null as number | null };
  const files = names.map((name) => ({
    name,
    parts: partsOf(readFileSync(join(source, name), 'utf8'), uuids, anchor),
  }));
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  let size = 0;
  for (const f of files)
    for (const p of f.parts) {
      if (typeof p === 'string') size += p.length;
      else if ('ms' in p) {
        first = Math.min(first, p.ms);
        last = Math.max(last, p.ms);
      }
    }
  const period = Math.ceil((last - first) / 1000) * 1000 + 10_000;
  const uuidOf = [...uuids.keys()];
  const reps = Math.max(1, Math.ceil(bytes / Math.max(1, size)));
  const render = (parts: Part[], r: number): string => {
    let out = '';
    for (const p of parts) {
      if (typeof p === 'string') out += p;
      else if ('uuid' in p) {
        const orig = uuidOf[p.uuid]!;
        out += r === 0 ? orig : orig.slice(0, 24) + (r * 0x100000 + p.uuid).toString(16).padStart(12, '0');
      } else out += formatTime(p.ms + r * period, p.form, p.sep);
    }
    return out;
  };
  const paths: string[] = [];
  for (const f of files) {
    const path = join(dir, f.name);
    await writeAll(path, reps, (r) => render(f.parts, r));
    paths.push(path);
  }
  return paths;
}
