// Which service wrote a line: `--label FILE=service` first, then the journald
// unit of the line (a full journal mixes units), then the file name, then the
// loggers seen in the file. Labels are devstack-independent names: nova-api,
// nova-compute, cinder-api, cinder-volume…
import { basename } from 'node:path';

/** Separator between a physical input's name and a source named inside it: `grep.txt » nova-api.log`. */
export const SOURCE_SEPARATOR = ' » ';

/** devstack unit short names (`devstack@n-cpu.service`, `screen-n-cpu.txt`). */
const DEVSTACK_NAMES: Record<string, string> = {
  'n-api': 'nova-api',
  'n-api-meta': 'nova-metadata',
  'n-cpu': 'nova-compute',
  'n-cond': 'nova-conductor',
  'n-cond-cell1': 'nova-conductor',
  'n-super-cond': 'nova-conductor',
  'n-sch': 'nova-scheduler',
  'n-novnc': 'nova-novncproxy',
  'c-api': 'cinder-api',
  'c-vol': 'cinder-volume',
  'c-sch': 'cinder-scheduler',
  'c-bak': 'cinder-backup',
  'g-api': 'glance-api',
  'q-svc': 'neutron-server',
  'neutron-api': 'neutron-server',
  'q-agt': 'neutron-agent',
  'placement-api': 'placement-api',
  keystone: 'keystone',
  // the minicloud's `placement-uwsgi.log`: placement has a single service
  placement: 'placement-api',
};

const FULL_NAMES = [
  'nova-api',
  'nova-compute',
  'nova-conductor',
  'nova-scheduler',
  'nova-metadata',
  'nova-novncproxy',
  'cinder-api',
  'cinder-volume',
  'cinder-scheduler',
  'cinder-backup',
  'glance-api',
  'neutron-server',
  'placement-api',
  'keystone',
];

/**
 * RDO and TripleO name a project's logs by role in the project's own directory
 * (`/var/log/cinder/api.log`, `volume.log`, `/var/log/glance/api.log`, `/var/log/neutron/server.log`).
 */
const ROLE_FILES: Record<string, Record<string, string>> = {
  cinder: { api: 'cinder-api', volume: 'cinder-volume', scheduler: 'cinder-scheduler', backup: 'cinder-backup' },
  glance: { api: 'glance-api' },
  neutron: { server: 'neutron-server' },
  nova: { api: 'nova-api', compute: 'nova-compute', conductor: 'nova-conductor', scheduler: 'nova-scheduler' },
};

/** `cinder/api.log` (also rotated: `api.log.1`, `api.log-20261205`) → cinder-api; null for any other name. */
function labelFromRoleFile(name: string): string | null {
  const parts = name.toLowerCase().split('/');
  if (parts.length < 2) return null;
  const roles = ROLE_FILES[parts[parts.length - 2]!];
  if (!roles) return null;
  const file = parts[parts.length - 1]!;
  const dot = file.indexOf('.');
  const role = dot < 0 ? file : file.slice(0, dot);
  return dot > 0 && Object.hasOwn(roles, role) ? roles[role]! : null;
}

/** A service label from a name such as `nova-api-uwsgi.log`, `screen-c-vol.txt.gz`, `devstack@n-cpu.service`. */
export function labelFromName(name: string): string | null {
  const byRole = labelFromRoleFile(name);
  if (byRole) return byRole;
  let n = basename(name).toLowerCase();
  n = n.replace(/\.gz$/, '').replace(/\.(log|txt|out|json)$/, '');
  n = n
    .replace(/^screen-/, '')
    .replace(/^devstack@/, '')
    // Pebble's name of an Apache service (Canonical's rocks): `wsgi-nova-api`
    .replace(/^wsgi-/, '')
    .replace(/\.service$/, '');
  if (DEVSTACK_NAMES[n]) return DEVSTACK_NAMES[n]!;
  for (const full of FULL_NAMES)
    if (n === full || n.startsWith(`${full}-`) || n.startsWith(`${full}.`) || n.startsWith(`${full}_`)) return full;
  // `n-api-uwsgi`, `c-api.1`
  for (const [short, full] of Object.entries(DEVSTACK_NAMES))
    if (n.startsWith(`${short}-`) || n.startsWith(`${short}.`)) return full;
  if (n === 'client' || n.startsWith('osc') || n.startsWith('openstack')) return 'client';
  return null;
}

/** Catalog service type of the API a service label serves (the family chains and stats group by). */
const API_FAMILIES: Array<[project: string, type: string]> = [
  ['nova', 'compute'],
  ['cinder', 'volume'],
  ['keystone', 'identity'],
  ['glance', 'image'],
  ['neutron', 'network'],
  ['placement', 'placement'],
];

/** `nova-api` → `compute`, `cinder-api` → `volume`, `keystone` → `identity`; null for anything else. */
export function apiFamilyOf(label: string | null): string | null {
  if (!label) return null;
  for (const [project, type] of API_FAMILIES) if (label === project || label.startsWith(`${project}-`)) return type;
  return null;
}

/** journald identifiers: `devstack@n-cpu.service`, `nova-compute`, `cinder-volume`. */
export function labelFromUnit(unit: string | undefined): string | null {
  if (!unit) return null;
  return labelFromName(unit);
}

/**
 * The service a line's prefix names: a journald identifier ostrace knows (`nova-compute`,
 * `devstack@n-cpu.service`), else the service Pebble runs, whatever it is (`ovn-northd`,
 * `apache forwarder`; an Apache service's `wsgi-` dropped: `wsgi-horizon` is horizon). Pebble
 * prefixes only the output of the services its layers define, as journald its identifier
 * (SYSLOG_IDENTIFIER), so its name is the line's service even where ostrace knows no other
 * name for it; `pebble` is Pebble's own line, no service's.
 */
export function labelFromPrefix(p: { unit?: string; pebble?: true } | undefined): string | null {
  if (p?.unit === undefined) return null;
  const known = labelFromUnit(p.unit);
  if (known !== null || p.pebble !== true || p.unit === 'pebble') return known;
  return p.unit.startsWith('wsgi-') ? p.unit.slice(5) : p.unit;
}

/** Loggers that tell the service apart (checked in order: the most specific first). */
const LOGGER_HINTS: Array<[prefix: string, label: string]> = [
  ['nova.api.', 'nova-api'],
  ['nova.osapi_compute', 'nova-api'],
  ['nova.compute.manager', 'nova-compute'],
  ['nova.virt.', 'nova-compute'],
  ['os_brick.', 'nova-compute'],
  ['nova.conductor.', 'nova-conductor'],
  ['nova.scheduler.', 'nova-scheduler'],
  ['cinder.api.', 'cinder-api'],
  // cinder/volume/api.py is the API layer cinder-api's controllers call ("Get all volumes
  // completed successfully"); cinder-volume's own work logs under cinder.volume.manager.
  ['cinder.volume.api', 'cinder-api'],
  ['cinder.volume.manager', 'cinder-volume'],
  ['cinder.volume.drivers.', 'cinder-volume'],
  ['cinder.volume.flows.manager', 'cinder-volume'],
  ['cinder.scheduler.', 'cinder-scheduler'],
  ['cinder.backup.', 'cinder-backup'],
  ['keystone.', 'keystone'],
  ['glance.', 'glance-api'],
  ['neutron.', 'neutron-server'],
  ['placement.', 'placement-api'],
];

export function labelFromLogger(logger: string | undefined): string | null {
  if (!logger) return null;
  for (const [prefix, label] of LOGGER_HINTS) if (logger.startsWith(prefix)) return label;
  return null;
}

/** Loggers of the client side (OSC, SDK, keystoneauth, the python-*client libraries). */
const CLIENT_LOGGER_PREFIXES = [
  'keystoneauth',
  'keystoneclient',
  'osc_lib',
  'openstackclient',
  'openstack',
  'novaclient',
  'cinderclient',
  'glanceclient',
  'neutronclient',
  'swiftclient',
  'urllib3',
  'requests',
  'cliff',
  'stevedore',
];

export function isClientLogger(logger: string): boolean {
  // `keystoneauth1.session` as well as `keystoneauth.session`
  for (const p of CLIENT_LOGGER_PREFIXES) if (logger.startsWith(p)) return true;
  return false;
}

/**
 * The API a served path belongs to, where the path alone says so (not `/v2/{tenant}/…`,
 * which nova's and cinder's old APIs share): the fallback of a log whose loggers name no
 * service (eventlet.wsgi.server access lines of glance's `api.log`).
 */
const API_PATHS: Array<[pattern: RegExp, label: string]> = [
  [/^\/v2\/(?:images|schemas|tasks|info|stores)(?:[/?]|$)/, 'glance-api'],
  [/^\/v2\.0\//, 'neutron-server'],
  [
    /^\/v3\/(?:auth|users|projects|domains|roles|services|endpoints|regions|role_assignments|credentials)(?:[/?]|$)/,
    'keystone',
  ],
  [/^\/v3\/[0-9a-f]{32}\/(?:volumes|snapshots|attachments|types|backups)(?:[/?]|$)/, 'cinder-api'],
  [/^\/v2\.1(?:[/?]|$)/, 'nova-api'],
  [/^\/(?:resource_providers|allocations|allocation_candidates|resource_classes|traits)(?:[/?]|$)/, 'placement-api'],
];

export function labelFromApiPath(path: string | null): string | null {
  if (!path) return null;
  for (const [pattern, label] of API_PATHS) if (pattern.test(path)) return label;
  return null;
}

/** Counts logger hints of one input (and, apart, the APIs its access lines serve) and names the winner. */
export class LabelVotes {
  private readonly votes = new Map<string, number>();
  private readonly pathVotes = new Map<string, number>();
  private readonly frameVotes = new Map<string, number>();

  add(logger: string | undefined): void {
    const label = labelFromLogger(logger);
    if (label) this.votes.set(label, (this.votes.get(label) ?? 0) + 1);
  }

  /** A served path: counted apart, it decides only when no logger names a service. */
  addPath(path: string | null): void {
    const label = labelFromApiPath(path);
    if (label) this.pathVotes.set(label, (this.pathVotes.get(label) ?? 0) + 1);
  }

  /** A traceback frame's module (`File "…/nova/compute/manager.py", line 4828, in attach_volume`): counted apart, like a path. */
  addFrame(text: string): void {
    const label = labelFromFrame(text);
    if (label) this.frameVotes.set(label, (this.frameVotes.get(label) ?? 0) + 1);
  }

  winner(): string | null {
    return mostVoted(this.votes) ?? mostVoted(this.pathVotes) ?? mostVoted(this.frameVotes);
  }
}

/**
 * Modules only one service runs, as a traceback frame names their file: a paste cut inside an
 * RPC server's traceback (`ERROR oslo_messaging.rpc.server   File "…/nova/compute/manager.py"`)
 * has no logger that names the service, its frames do. `nova/compute/api.py` is nova-api's, and
 * `cinder/volume/api.py` cinder-api's: only the managers and drivers name the workers.
 */
const FRAME_MODULES: Array<[pattern: RegExp, label: string]> = [
  [/\/nova\/compute\/manager\.py$/, 'nova-compute'],
  [/\/nova\/virt\//, 'nova-compute'],
  [/\/nova\/conductor\/manager\.py$/, 'nova-conductor'],
  [/\/nova\/api\/openstack\//, 'nova-api'],
  [/\/cinder\/volume\/manager\.py$/, 'cinder-volume'],
  [/\/cinder\/volume\/drivers\//, 'cinder-volume'],
  [/\/cinder\/api\//, 'cinder-api'],
];

const FRAME = /^\s*File "([^"]+)", line \d+, in /;

export function labelFromFrame(text: string): string | null {
  const m = FRAME.exec(text);
  if (!m) return null;
  for (const [pattern, label] of FRAME_MODULES) if (pattern.test(m[1]!)) return label;
  return null;
}

function mostVoted(votes: ReadonlyMap<string, number>): string | null {
  let best: string | null = null;
  let n = 0;
  for (const [label, count] of votes)
    if (count > n) {
      best = label;
      n = count;
    }
  return best;
}

/** The services `--label` may name: those ostrace knows, and the client. */
export const LABEL_SERVICES: readonly string[] = [...FULL_NAMES, 'client'];

/** `--label FILE=service` values → file → label; a service ostrace does not know is an error. */
export function parseLabelOption(values: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const v of values) {
    const eq = v.lastIndexOf('=');
    if (eq <= 0 || eq === v.length - 1) throw new Error(`--label wants FILE=service, got "${v}"`);
    const service = v.slice(eq + 1);
    // A typo would label nothing ostrace knows: the file's lines read as no service's.
    if (!LABEL_SERVICES.includes(service))
      throw new Error(`--label ${v}: unknown service "${service}"; one of ${LABEL_SERVICES.join(', ')}`);
    out.set(v.slice(0, eq), service);
  }
  return out;
}

/**
 * The `--label` files that name none of `inputs` (input names; a stream's sources as
 * `FILE » SOURCE`), matched as the analysis matches them: an input's name, its source's
 * name, or the base name of either.
 */
export function unmatchedLabels(labels: ReadonlyMap<string, string>, inputs: readonly string[]): string[] {
  const names = new Set<string>();
  for (const input of inputs) {
    const at = input.indexOf(SOURCE_SEPARATOR);
    const file = at < 0 ? input : input.slice(0, at);
    names.add(file);
    names.add(basename(file));
    if (at >= 0) {
      const source = input.slice(at + SOURCE_SEPARATOR.length);
      names.add(source);
      names.add(basename(source));
    }
  }
  return [...labels.keys()].filter((file) => !names.has(file));
}
