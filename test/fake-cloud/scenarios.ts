/**
 * The scenarios run with the real `openstack --debug` client against the fake cloud.
 * Shared by osc-real.test.ts (port 0, checks) and record-samples.ts (fixed port, writes
 * samples/real-osc/<name>.log and <name>.served.json).
 *
 * `expectExit` and `expectStderr` describe what the real client (Debian bookworm
 * python3-openstackclient 6.0.0 / openstacksdk 0.101.0 / keystoneauth1 5.0.0 /
 * python-novaclient 18.1.0 / python-cinderclient 9.1.0) was observed to do.
 */
import type { FakeCloudOptions } from './server.js';
import { DEFAULT_SERVER_ID, DEFAULT_VOLUME_ID } from './server.js';

export interface Scenario {
  /** File stem under samples/real-osc/. */
  name: string;
  description: string;
  /** Arguments after `openstack --debug`. */
  args: string[];
  /** Fake cloud options (port and seed are set by the runner). */
  cloud?: Omit<FakeCloudOptions, 'port' | 'seed'>;
  /** Extra environment for the client. */
  env?: Record<string, string>;
  expectExit: number;
  /** Things the real client's stderr was observed to contain. */
  expectStderr?: Array<string | RegExp>;
  /** Number of requests the fake cloud was observed to serve (incl. dropped ones). */
  expectServedCount?: number;
  /** Ctrl-C (SIGINT to the client) this long after the cloud took a request it never answers ('hang'). */
  interruptAfterHungMs?: number;
}

/** The `interrupt` option of runOpenstack for a scenario that has one. */
export function interruptOf(
  sc: Scenario,
  served: ReadonlyArray<{ status: number | null; reset?: boolean }>,
): { when: () => boolean; afterMs: number } | undefined {
  if (sc.interruptAfterHungMs === undefined) return undefined;
  return { when: () => served.some((s) => s.status === null && !s.reset), afterMs: sc.interruptAfterHungMs };
}

const ATTACH_POST = `^/compute/v2\\.1/servers/${DEFAULT_SERVER_ID}/os-volume_attachments$`;
const VOL1_ATTACHED: NonNullable<FakeCloudOptions['volumes']> = [
  { id: DEFAULT_VOLUME_ID, name: 'vol1', attachedTo: 'vm1' },
];

export const SCENARIOS: Scenario[] = [
  {
    name: 'server-add-volume',
    description: 'server add volume vm1 vol1 by name, success (SDK path: find by id 404, list by name, POST 200)',
    args: ['server', 'add', 'volume', 'vm1', 'vol1'],
    expectExit: 0,
    expectServedCount: 10,
    expectStderr: [
      'POST call to compute for ',
      'GET call to block-storage for ',
      // cinder's GET /v3/ discovery is behind keystonemiddleware: 401, then retried with a token
      'Request returned failure status: 401',
      'END return value: 0',
    ],
  },
  {
    name: 'server-remove-volume',
    description: 'server remove volume vm1 vol1 (vol1 attached), DELETE os-volume_attachments/{volume_id} 202',
    args: ['server', 'remove', 'volume', 'vm1', 'vol1'],
    cloud: { volumes: VOL1_ATTACHED },
    expectExit: 0,
    expectServedCount: 10,
    expectStderr: [
      `DELETE call to compute for `,
      `os-volume_attachments/${DEFAULT_VOLUME_ID} used request id`,
      'END return value: 0',
    ],
  },
  {
    name: 'volume-create',
    description: 'volume create --size 1 v1 (cinderclient; OSC 6 also probes the image endpoint)',
    args: ['volume', 'create', '--size', '1', 'v1'],
    expectExit: 0,
    expectServedCount: 4,
    expectStderr: ['POST call to volumev3 for ', 'GET call to http://127.0.0.1:', 'END return value: 0'],
  },
  {
    name: 'volume-show',
    description: 'volume show vol1 (cinderclient: GET by id 404, then volumes/detail?all_tenants=1&name=vol1)',
    args: ['volume', 'show', 'vol1'],
    expectExit: 0,
    expectServedCount: 4,
    expectStderr: ['/volumes/detail?all_tenants=1&name=vol1 used request id', 'END return value: 0'],
  },
  {
    name: 'volume-delete',
    description:
      'volume delete vol1 (cinderclient re-sends the first successful x-openstack-request-id as X-OpenStack-Request-ID)',
    args: ['volume', 'delete', 'vol1'],
    expectExit: 0,
    expectServedCount: 5,
    expectStderr: [
      /-H "X-OpenStack-Request-ID: req-[0-9a-f-]{36}"/,
      'DELETE call to volumev3 for ',
      'END return value: 0',
    ],
  },
  {
    name: 'server-list',
    description: 'server list (novaclient at 2.1, plus SDK image list and flavors/detail?is_public=None)',
    args: ['server', 'list'],
    expectExit: 0,
    expectServedCount: 6,
    expectStderr: ['GET call to compute for ', 'flavors/detail?is_public=None', 'END return value: 0'],
  },
  {
    name: 'server-add-volume-500',
    description: 'server add volume, nova answers 500 computeFault on the POST',
    args: ['server', 'add', 'volume', 'vm1', 'vol1'],
    cloud: { rules: [{ method: 'POST', pathRegex: ATTACH_POST, action: { status: 500 } }] },
    expectExit: 1,
    expectServedCount: 10,
    expectStderr: ['RESP: [500]', 'computeFault', 'HttpException: 500', 'END return value: 1'],
  },
  {
    name: 'server-add-volume-409',
    description: 'server add volume, nova answers 409 conflictingRequest on the POST',
    args: ['server', 'add', 'volume', 'vm1', 'vol1'],
    cloud: { rules: [{ method: 'POST', pathRegex: ATTACH_POST, action: { status: 409 } }] },
    expectExit: 1,
    expectServedCount: 10,
    expectStderr: ['RESP: [409]', 'conflictingRequest', 'ConflictException: 409', 'END return value: 1'],
  },
  {
    name: 'server-add-volume-401-reauth',
    description:
      'server add volume, the token "expires" at the POST: 401, keystoneauth re-authenticates and re-sends the POST once',
    args: ['server', 'add', 'volume', 'vm1', 'vol1'],
    cloud: { rules: [{ method: 'POST', pathRegex: ATTACH_POST, action: { status: 401 } }] },
    expectExit: 0,
    expectServedCount: 12,
    expectStderr: [
      // first token, then the 401, then a second token request, then the re-sent POST's RESP (no second REQ)
      /Making authentication request to[\s\S]*RESP: \[401\][\s\S]*Making authentication request to[\s\S]*RESP: \[200\]/,
      'END return value: 0',
    ],
  },
  {
    name: 'server-add-volume-reset-get',
    description:
      'server add volume, the connection of GET servers?name=vm1 is reset (RST) once; the SDK passes connect_retries=1, so keystoneauth retries after 0.5 s',
    args: ['server', 'add', 'volume', 'vm1', 'vol1'],
    cloud: { rules: [{ method: 'GET', pathRegex: '^/compute/v2\\.1/servers\\?name=', action: 'reset' }] },
    expectExit: 0,
    expectServedCount: 11,
    expectStderr: [
      /Failure: Unable to establish connection to http:\/\/127\.0\.0\.1:\d+\/compute\/v2\.1\/servers: \('Connection aborted\.', ConnectionResetError\(104, 'Connection reset by peer'\)\)\. Retrying in 0\.5s\./,
      'Starting new HTTP connection (2)',
      'END return value: 0',
    ],
  },
  {
    name: 'server-add-volume-reset-post',
    description:
      'server add volume, the connection of the POST is reset once; keystoneauth re-sends the (non-idempotent) POST',
    args: ['server', 'add', 'volume', 'vm1', 'vol1'],
    cloud: { rules: [{ method: 'POST', pathRegex: ATTACH_POST, action: 'reset' }] },
    expectExit: 0,
    expectServedCount: 11,
    expectStderr: [
      /os-volume_attachments: \('Connection aborted\.', ConnectionResetError\(104, 'Connection reset by peer'\)\)\. Retrying in 0\.5s\./,
      'END return value: 0',
    ],
  },
  {
    name: 'server-add-volume-drop-twice',
    description:
      'server add volume, GET servers?name=vm1 is closed without an answer twice (FIN): one retry, then ConnectFailure',
    args: ['server', 'add', 'volume', 'vm1', 'vol1'],
    cloud: { rules: [{ method: 'GET', pathRegex: '^/compute/v2\\.1/servers\\?name=', action: 'close', times: 2 }] },
    expectExit: 1,
    expectServedCount: 6,
    expectStderr: [
      "RemoteDisconnected('Remote end closed connection without response')). Retrying in 0.5s.",
      'keystoneauth1.exceptions.connection.ConnectFailure: Unable to establish connection to',
      'END return value: 1',
    ],
  },
  {
    name: 'server-list-reset',
    description:
      'server list, GET servers/detail reset once; the novaclient path has connect_retries=0: no retry, exit 1',
    args: ['server', 'list'],
    cloud: { rules: [{ method: 'GET', pathRegex: '^/compute/v2\\.1/servers/detail', action: 'reset' }] },
    expectExit: 1,
    expectServedCount: 4,
    expectStderr: [
      /Unable to establish connection to http:\/\/127\.0\.0\.1:\d+\/compute\/v2\.1\/servers\/detail: \('Connection aborted\.', ConnectionResetError/,
      'clean_up ListServer: Unable to establish connection',
      'END return value: 1',
    ],
  },
  {
    name: 'server-add-volume-hang-interrupted',
    description:
      'server add volume, nova never answers the POST (a hung API); the user presses Ctrl-C 2 s later: cliff logs `clean_up` with the empty KeyboardInterrupt and exits 130',
    args: ['server', 'add', 'volume', 'vm1', 'vol1'],
    cloud: { rules: [{ method: 'POST', pathRegex: ATTACH_POST, action: 'hang' }] },
    interruptAfterHungMs: 2000,
    expectExit: 130,
    expectServedCount: 10,
    expectStderr: ['clean_up AddServerVolume: \n', 'END return value: 130'],
  },
];
