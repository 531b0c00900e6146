/**
 * Compare ostrace's reconstruction of a client log (exchanges) with the fake cloud's
 * ground truth (served).
 *
 * Exchanges are expected as {method, path, status, requestId} where path is path+query
 * without scheme/host/port (a leading `scheme://host[:port]` is stripped anyway).
 * Pairs are aligned by (METHOD, path) with a minimum-cost alignment, so one missing or
 * extra exchange is reported once instead of shifting every later comparison, and a
 * retried request is paired with the attempt whose status and request id agree.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ServedLike {
  method: string;
  path: string;
  status: number | null;
  requestId: string | null;
  reset?: boolean;
}

export interface ExchangeLike {
  method: string;
  path: string;
  status?: number | null;
  requestId?: string | null;
}

export interface CompareOptions {
  /**
   * Served requests whose request id cannot be known from the client log, so an exchange
   * without a request id is accepted for them. Default: keystone token requests
   * (`POST …/auth/tokens`), which keystoneauth sends with log=False — the log has a
   * urllib3 line and the token JSON but no RESP headers and no request-id line.
   */
  requestIdMayBeUnknown?: (s: ServedLike) => boolean;
  /** Served requests that may be absent from the exchanges. Default: none. */
  mayBeMissing?: (s: ServedLike) => boolean;
}

export const isTokenRequest = (s: ServedLike): boolean =>
  s.method.toUpperCase() === 'POST' && /\/auth\/tokens(?:\?|$)/.test(s.path);

function normPath(p: string): string {
  return p.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]+/i, '') || '/';
}

function key(method: string, path: string): string {
  return `${method.toUpperCase()} ${normPath(path)}`;
}

function describeServed(i: number, s: ServedLike): string {
  const st =
    s.status === null ? (s.reset === true ? 'no response (connection dropped)' : 'no response') : String(s.status);
  return `served[${i}] ${s.method.toUpperCase()} ${s.path} → ${st}${s.requestId ? ` (${s.requestId})` : ''}`;
}

function describeExchange(j: number, e: ExchangeLike): string {
  const st = e.status === null || e.status === undefined ? 'no status' : String(e.status);
  return `exchanges[${j}] ${e.method.toUpperCase()} ${normPath(e.path)} → ${st}${e.requestId ? ` (${e.requestId})` : ''}`;
}

/**
 * Returns human-readable mismatches; an empty array means the reconstruction matches
 * the ground truth.
 */
export function compareWithServed(
  served: readonly ServedLike[],
  exchanges: readonly ExchangeLike[],
  options: CompareOptions = {},
): string[] {
  const mayBeUnknown = options.requestIdMayBeUnknown ?? isTokenRequest;
  const mayBeMissing = options.mayBeMissing ?? ((): boolean => false);
  const a = served.map((s) => key(s.method, s.path));
  const b = exchanges.map((e) => key(e.method, e.path));
  const n = a.length;
  const m = b.length;

  // Field mismatches of a served/exchange pair with the same (METHOD, path).
  const problems = (i: number, j: number): string[] => {
    const s = served[i]!;
    const e = exchanges[j]!;
    const found: string[] = [];
    const eStatus = e.status ?? null;
    if (eStatus !== s.status) {
      found.push(
        `${describeServed(i, s)}: status differs, reconstructed ${eStatus === null ? 'none' : eStatus} (${describeExchange(j, e)})`,
      );
    }
    const eId = e.requestId ?? null;
    if (eId === null) {
      if (s.requestId !== null && !mayBeUnknown(s)) {
        found.push(`${describeServed(i, s)}: request id not reconstructed (${describeExchange(j, e)})`);
      }
    } else if (eId !== s.requestId) {
      found.push(
        `${describeServed(i, s)}: request id differs, reconstructed ${eId}${s.requestId === null ? ' but the server sent none' : ''}`,
      );
    }
    return found;
  };

  // Alignment by minimum cost: an unmatched entry costs GAP, a matched pair (same
  // METHOD+path only) costs its number of field mismatches. So a retried request is
  // paired with the attempt whose status/request id agree, and a missing exchange is
  // reported once instead of shifting all later pairs.
  const GAP = 3;
  const cost: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n; i >= 0; i--) {
    for (let j = m; j >= 0; j--) {
      if (i === n && j === m) continue;
      let best = Infinity;
      if (i < n && j < m && a[i] === b[j]) best = cost[i + 1]![j + 1]! + problems(i, j).length;
      if (i < n) best = Math.min(best, cost[i + 1]![j]! + GAP);
      if (j < m) best = Math.min(best, cost[i]![j + 1]! + GAP);
      cost[i]![j] = best;
    }
  }

  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    const here = cost[i]![j]!;
    if (i < n && j < m && a[i] === b[j]) {
      const p = problems(i, j);
      if (here === cost[i + 1]![j + 1]! + p.length) {
        out.push(...p);
        i++;
        j++;
        continue;
      }
    }
    if (i < n && here === cost[i + 1]![j]! + GAP) {
      const s = served[i]!;
      if (!mayBeMissing(s)) out.push(`${describeServed(i, s)}: missing from the reconstruction`);
      i++;
    } else {
      out.push(`${describeExchange(j, exchanges[j]!)}: not served by the fake cloud (extra exchange)`);
      j++;
    }
  }
  return out;
}

export interface AnalyzeOptions {
  /** Path of ostrace's compiled CLI (default dist/bin/ostrace.js relative to cwd). */
  mainJs?: string;
  timeoutMs?: number;
}

/**
 * Run `node <mainJs> analyze --format json <file>` on a client log and return its
 * `exchanges` array. Assumes the JSON output is an object with an `exchanges` array
 * (or is itself such an array); throws with stderr on a non-zero exit.
 */
export async function analyzeWithOstrace(logText: string, opts: AnalyzeOptions = {}): Promise<ExchangeLike[]> {
  const dir = await mkdtemp(join(tmpdir(), 'ostrace-cmp-'));
  try {
    const file = join(dir, 'client.log');
    await writeFile(file, logText);
    const child = spawn(process.execPath, [opts.mainJs ?? 'dist/bin/ostrace.js', 'analyze', '--format', 'json', file], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 30_000);
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (c) => resolve(c));
    }).finally(() => clearTimeout(timer));
    const stdout = Buffer.concat(out).toString('utf8');
    if (code !== 0) {
      throw new Error(`ostrace analyze exited ${String(code)}: ${Buffer.concat(err).toString('utf8')}`);
    }
    const parsed: unknown = JSON.parse(stdout);
    const list = Array.isArray(parsed) ? parsed : (parsed as { exchanges?: unknown }).exchanges;
    if (!Array.isArray(list)) throw new Error('ostrace analyze output has no exchanges array');
    return list as ExchangeLike[];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
