// A directory argument: a CI job's artifacts (`job-output.txt`, `controller/logs/
// screen-n-cpu.txt.gz`, `etc/nova/nova.conf.txt.gz`, HTML indexes…). Its log files
// are read recursively in a stable order (paths sorted by code point); what is not a
// log is skipped and counted, so nothing vanishes silently.
import { open, readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { Readable } from 'node:stream';
import { rotationBase } from '../core/log-names.js';
import { detectEncoding } from './decode.js';
import { gunzipMembers } from './gunzip.js';

export type SkipReason = 'config' | 'html' | 'binary' | 'other' | 'unreadable';
/** The order skip reasons are named in. */
const SKIP_REASONS: readonly SkipReason[] = ['config', 'html', 'binary', 'other', 'unreadable'];

export interface DirectoryListing {
  /** The directory as given on the command line. */
  dir: string;
  /** Log files, `dir` joined with their relative path (the label inference reads the base name). */
  logs: string[];
  skipped: Array<{ path: string; reason: SkipReason }>;
}

/** How much of a file (after gunzip) is looked at for NUL bytes. */
const SNIFF_BYTES = 8192;

const CONFIG_EXTENSIONS = new Set([
  'conf',
  'cfg',
  'ini',
  'json',
  'yaml',
  'yml',
  'toml',
  'xml',
  'py',
  'sh',
  'policy',
  'filters',
  'pem',
  'crt',
  'key',
  'env',
]);
const HTML_EXTENSIONS = new Set(['html', 'htm', 'css', 'js', 'svg']);

/** `screen-n-cpu.txt.gz` → [`screen-n-cpu`, `txt`]; `nova-api.log.1` keeps its rotation number (`log-20240101`, its date). */
function nameParts(name: string): string[] {
  return name.toLowerCase().replace(/\.gz$/, '').split('.');
}

/** What a file name says: a log, config, html, or nothing (then its bytes decide). */
export function classifyName(relPath: string): 'log' | 'config' | 'html' | null {
  const segments = relPath.split(sep);
  const base = segments[segments.length - 1]!;
  const parts = nameParts(base);
  // devstack copies config files with a `.txt` suffix (`etc/nova/nova.conf.txt.gz`).
  if (segments.slice(0, -1).some((d) => d.toLowerCase() === 'etc')) return 'config';
  if (parts.slice(1).some((p) => CONFIG_EXTENSIONS.has(p))) return 'config';
  if (parts.slice(1).some((p) => HTML_EXTENSIONS.has(p))) return 'html';
  if (parts.length > 1 && rotationBase(base) !== null) return 'log';
  if (parts[0]!.startsWith('screen-')) return 'log';
  return null;
}

/** The first block of a file, gunzipped when it is gzip; null when it cannot be read. */
async function firstBlock(path: string): Promise<Buffer | null> {
  let handle;
  try {
    handle = await open(path, 'r');
    const buf = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(buf, 0, SNIFF_BYTES, 0);
    const head = buf.subarray(0, bytesRead);
    if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return await gunzipHead(head);
    return head;
  } catch {
    return null;
  } finally {
    await handle?.close();
  }
}

/** What the first block of a gzip file inflates to, up to SNIFF_BYTES; null when it is corrupt. */
async function gunzipHead(head: Buffer): Promise<Buffer | null> {
  const parts: Buffer[] = [];
  let length = 0;
  try {
    // Bytes after its gzip data (junk appended, padding) are ignored here as when it is read.
    for await (const part of gunzipMembers(Readable.from([head]))) {
      parts.push(part);
      length += part.length;
      if (length >= SNIFF_BYTES) break;
    }
  } catch (e) {
    // A block cut from a longer file is truncated: what it holds is enough.
    if ((e as NodeJS.ErrnoException).code !== 'Z_BUF_ERROR') return null;
  }
  return Buffer.concat(parts).subarray(0, SNIFF_BYTES);
}

/** What a walk of `dir` found besides its files: entries that are no file to read, by why. */
interface OddEntries {
  /** Sub-directories that cannot be listed, links to nothing (or to themselves). */
  unreadable: string[];
  /** A FIFO, socket or device (opening a FIFO waits for a writer), a link to a directory (not followed: no cycles). */
  other: string[];
}

/** Every file under `dir`; every other entry goes to `odd`, so that nothing vanishes silently. */
async function filesUnder(dir: string, odd: OddEntries): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      try {
        out.push(...(await filesUnder(path, odd)));
      } catch {
        odd.unreadable.push(path);
      }
    } else if (entry.isFile()) out.push(path);
    else if (entry.isSymbolicLink()) {
      // A symbolic link is read when it points to a file.
      const target = await stat(path).catch(() => null);
      if (target === null) odd.unreadable.push(path);
      else if (target.isFile()) out.push(path);
      else odd.other.push(path);
    } else odd.other.push(path);
  }
  return out;
}

/** UTF-16 text (PowerShell's `>`), whose NUL bytes are no sign of a binary file: read as UTF-16, by its mark or without one. */
function isUtf16(head: Buffer): boolean {
  return detectEncoding(head, true)?.encoding.startsWith('utf-16') === true;
}

const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The log files under `dir` and the files skipped, with why. */
export async function listLogFiles(dir: string): Promise<DirectoryListing> {
  const odd: OddEntries = { unreadable: [], other: [] };
  const files = (await filesUnder(dir, odd)).sort(byCodePoint);
  const listing: DirectoryListing = {
    dir,
    logs: [],
    skipped: [
      ...odd.unreadable.map((path) => ({ path, reason: 'unreadable' as const })),
      ...odd.other.map((path) => ({ path, reason: 'other' as const })),
    ],
  };
  for (const path of files) {
    const byName = classifyName(relative(dir, path));
    if (byName === 'config' || byName === 'html') {
      listing.skipped.push({ path, reason: byName });
      continue;
    }
    const head = await firstBlock(path);
    if (head === null) listing.skipped.push({ path, reason: 'unreadable' });
    else if (head.includes(0) && !isUtf16(head)) listing.skipped.push({ path, reason: 'binary' });
    else if (byName === 'log') listing.logs.push(path);
    else listing.skipped.push({ path, reason: 'other' });
  }
  return listing;
}

/** `skipped 9 (config, html, binary)` */
export function describeSkipped(listing: DirectoryListing): string {
  const reasons = SKIP_REASONS.filter((r) => listing.skipped.some((s) => s.reason === r));
  return `skipped ${listing.skipped.length} (${reasons.join(', ')})`;
}

/** `logs/: read 14 log files, skipped 9 (config, html, binary)` */
export function describeListing(listing: DirectoryListing): string {
  const n = listing.logs.length;
  const read = `${listing.dir}: read ${n} log file${n === 1 ? '' : 's'}`;
  return listing.skipped.length === 0 ? read : `${read}, ${describeSkipped(listing)}`;
}
