// Short, secret-free descriptions of exchanges and commands for finding messages.
import type { Command, Exchange, FindingObserved } from '../model/schema.js';
import { maskText } from '../secrets/mask.js';
import { shellLine } from '../core/shell-words.js';

const MAX_PATH = 120;

export function describeExchange(e: Exchange): string {
  // A client's error line alone: a request answered, method and path not shown.
  if (e.method === null && e.path === null && e.url === null)
    return e.requestId ? `the request ${e.requestId}` : 'a request';
  const path = e.path ?? e.url ?? '?';
  const shown = path.length > MAX_PATH ? `${path.slice(0, MAX_PATH - 1)}…` : path;
  return `${e.method ?? '?'} ${maskText(shown)}`;
}

/** ` (itemNotFound: Volume x could not be found.)`, or nothing. */
export function describeError(e: Exchange): string {
  if (!e.error || (!e.error.message && !e.error.code)) return '';
  const msg = e.error.message ? firstLine(e.error.message) : '';
  return ` (${[e.error.code, msg]
    .filter(Boolean)
    .map((s) => maskText(s!))
    .join(': ')})`;
}

/**
 * A command by its name, its argv, else its number — with osc's class of it when the log shows
 * that alone (a paste that cut the START keeps `clean_up AddServerVolume: …`): `command #1 (AddServerVolume)`.
 */
export function describeCommand(c: Command): string {
  if (c.name) return `\`${c.name}\``;
  if (c.argv.length > 0) return `\`${shellLine(c.argv)}\``;
  const className = c.className?.split('.').pop();
  return className ? `command #${c.id} (${className})` : `command #${c.id}`;
}

export function firstLine(s: string): string {
  const nl = s.indexOf('\n');
  const t = nl < 0 ? s : s.slice(0, nl);
  return t.length > 200 ? `${t.slice(0, 199)}…` : t;
}

/** A client's read of a resource as a finding's evidence (the read must carry its resource). */
export function observedBy(read: Exchange): FindingObserved {
  const r = read.resource!;
  return {
    source: read.source,
    line: read.line,
    exchange: read.id,
    resource: r.type,
    resourceId: r.id ?? r.name ?? '?',
    name: r.name,
    state: r.status,
  };
}
