// Path templates: `/compute/v2.1/servers/vm-ml-1` and `/compute/v2.1/servers/83486e6e-…`
// are the same endpoint, `/compute/v2.1/servers/{id}`. OpenStack REST paths alternate
// collection / member after the API version, so a segment in member position is an id
// unless it is one of the fixed words that also sit there (`detail`, `action`, …).

/** Words that follow a collection but name a sub-resource or action, not a member. */
const FIXED_MEMBER_WORDS = new Set([
  'action',
  'auth',
  'tokens',
  'detail',
  'details',
  'summary',
  'count',
  'defaults',
  'default',
  'extensions',
  'limits',
  'quota-sets',
  'capabilities',
  'catalog',
  'projects',
  'domains',
  'system',
  'members',
  'tags',
  'metadata',
  'os-availability-zone',
  'diagnostics',
  'ips',
  'migrations',
  'events',
  'manage_existing',
  'file',
  'stage',
  'import',
  'schemas',
  'usage',
  'info',
]);

/** Paths seen and their templates: a busy API's log repeats a few hundred paths (bounded: forgotten when full). */
const templates = new Map<string, string>();
const MAX_REMEMBERED = 20_000;

export function pathTemplate(path: string | null): string | null {
  if (path === null) return null;
  const known = templates.get(path);
  if (known !== undefined) return known;
  const template = templateOf(path);
  if (templates.size >= MAX_REMEMBERED) templates.clear();
  templates.set(path, template);
  return template;
}

function templateOf(path: string): string {
  const q = path.indexOf('?');
  const bare = q >= 0 ? path.slice(0, q) : path;
  const segments = bare.split('/');
  let versionAt = -1;
  for (let i = 0; i < segments.length; i++)
    if (isVersion(segments[i]!)) {
      versionAt = i;
      break;
    }
  const out: string[] = [];
  let memberPosition = false;
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i]!;
    if (seg === '' || i <= versionAt) {
      out.push(seg);
      memberPosition = false;
      continue;
    }
    if (looksLikeId(seg) || (memberPosition && !FIXED_MEMBER_WORDS.has(seg) && !seg.startsWith('os-'))) {
      out.push('{id}');
      memberPosition = false;
      continue;
    }
    out.push(seg);
    // Segments before the API version (devstack's `/compute`, `/volume` mounts) are not collections.
    memberPosition = versionAt >= 0;
  }
  return out.join('/');
}

function isVersion(seg: string): boolean {
  if (seg.length < 2 || seg[0] !== 'v') return false;
  for (let i = 1; i < seg.length; i++) {
    const c = seg.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || c === 46)) return false;
  }
  return true;
}

/** UUIDs (with or without dashes), long hex ids (project ids), numbers, request ids. */
function looksLikeId(seg: string): boolean {
  if (seg.startsWith('req-')) return true;
  let hex = 0;
  let digits = 0;
  let dashes = 0;
  for (let i = 0; i < seg.length; i++) {
    const c = seg.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      digits++;
      hex++;
    } else if ((c >= 97 && c <= 102) || (c >= 65 && c <= 70)) hex++;
    else if (c === 45) dashes++;
    else return false;
  }
  if (digits === seg.length) return true;
  return hex >= 16 && hex + dashes === seg.length;
}
