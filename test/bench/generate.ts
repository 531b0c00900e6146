// A deterministic generator of large, realistic `openstack --debug` logs for the
// benchmark: whole commands in the shapes of the real recordings (osc 6 / SDK and
// cinderclient era), with ids from a seeded PRNG so every run writes the same bytes.
import { writeAll } from './write.js';

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Hex strings and UUIDs from a seeded PRNG: the same ids on every run. */
export class SeededIds {
  protected readonly rand: () => number;

  constructor(seed: number) {
    this.rand = mulberry32(seed);
  }

  protected hex(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += Math.floor(this.rand() * 16).toString(16);
    return s;
  }

  protected uuid(): string {
    return `${this.hex(8)}-${this.hex(4)}-4${this.hex(3)}-a${this.hex(3)}-${this.hex(12)}`;
  }
}

export class LogGenerator extends SeededIds {
  private readonly host = 'http://127.0.0.1';
  private readonly project = '7f697e5c98a34cb1a2c11b7809b4766e';
  private readonly ua = 'openstacksdk/0.101.0 keystoneauth1/5.0.0 python-requests/2.28.1 CPython/3.11.2';

  /** `failRate`: the share of commands whose attach fails (HTTP 500, exit 1). */
  constructor(
    seed = 42,
    private readonly failRate = 0.05,
  ) {
    super(seed);
  }

  private exchange(
    method: string,
    url: string,
    status: number,
    body: string,
    service: string | null,
    mv: string | null,
  ): string[] {
    const rid = `req-${this.uuid()}`;
    const path = url.replace(/^https?:\/\/[^/]+/, '');
    const port = url.split(':')[2]?.split('/')[0] ?? '80';
    const mvh = mv ? ` -H "OpenStack-API-Version: ${mv}"` : '';
    const lines = [
      `REQ: curl -g -i -X ${method} ${url}${mvh} -H "User-Agent: ${this.ua}" -H "X-Auth-Token: {SHA256}${this.hex(64)}"`,
      'Resetting dropped connection: 127.0.0.1',
      `http://127.0.0.1:${port} "${method} ${path} HTTP/1.1" ${status} ${body.length}`,
      `RESP: [${status}] Connection: close Content-Length: ${body.length} Content-Type: application/json${mv ? ` OpenStack-API-Version: ${mv}` : ''} Vary: OpenStack-API-Version x-compute-request-id: ${rid} x-openstack-request-id: ${rid}`,
    ];
    if (body) lines.push(`RESP BODY: ${body}`);
    lines.push(`${method} call to ${service ? `${service} for ` : ''}${url} used request id ${rid}`);
    return lines;
  }

  private auth(): string[] {
    const catalog = JSON.stringify({
      token: {
        methods: ['password'],
        expires_at: '2026-11-25T22:02:41.000000Z',
        project: { id: this.project, name: 'admin' },
        catalog: [
          { type: 'compute', name: 'nova', endpoints: [{ url: `${this.host}:8774/v2.1`, interface: 'public' }] },
          {
            type: 'block-storage',
            name: 'cinder',
            endpoints: [{ url: `${this.host}:8776/v3/${this.project}`, interface: 'public' }],
          },
          { type: 'identity', name: 'keystone', endpoints: [{ url: `${this.host}:5000/v3`, interface: 'public' }] },
        ],
      },
    });
    return [
      'Get auth_ref',
      `REQ: curl -g -i -X GET ${this.host}:5000/v3 -H "Accept: application/json" -H "User-Agent: ${this.ua}"`,
      'Starting new HTTP connection (1): 127.0.0.1:5000',
      'http://127.0.0.1:5000 "GET /v3 HTTP/1.1" 200 249',
      `RESP: [200] Connection: close Content-Length: 249 Content-Type: application/json Vary: X-Auth-Token x-openstack-request-id: req-${this.uuid()}`,
      `RESP BODY: {"version": {"id": "v3.14", "status": "stable", "links": [{"rel": "self", "href": "${this.host}:5000/v3/"}]}}`,
      `Making authentication request to ${this.host}:5000/v3/auth/tokens`,
      'Resetting dropped connection: 127.0.0.1',
      `http://127.0.0.1:5000 "POST /v3/auth/tokens HTTP/1.1" 201 ${catalog.length}`,
      catalog,
    ];
  }

  /** One `openstack --debug server add volume` command (SDK era), sometimes failing. */
  command(): string[] {
    const server = this.uuid();
    const volume = this.uuid();
    const name = `srv-${this.hex(4)}`;
    const vname = `vol-${this.hex(4)}`;
    const fail = this.rand() < this.failRate;
    const servers = Array.from(
      { length: 1 + Math.floor(this.rand() * 20) },
      () =>
        `{"id": "${this.uuid()}", "name": "${name}", "links": [{"rel": "self", "href": "${this.host}:8774/v2.1/servers/${server}"}]}`,
    ).join(', ');
    const lines = [
      `START with options: --debug server add volume ${name} ${vname}`,
      "options: Namespace(verbose_level=3, log_file=None, deferred_help=False, debug=True, cloud='', region_name='RegionOne')",
      'Auth plugin password selected',
      `command: server add volume -> openstackclient.compute.v2.server.AddServerVolume (auth=True)`,
      'Using auth plugin: password',
      `Using parameters {'auth_url': '${this.host}:5000/v3', 'project_name': 'admin', 'username': 'admin', 'password': '***'}`,
      ...this.auth(),
      `run(Namespace(server='${name}', volume='${vname}', device=None))`,
      ...this.exchange(
        'GET',
        `${this.host}:8774/v2.1/servers/${name}`,
        404,
        `{"itemNotFound": {"code": 404, "message": "Instance ${name} could not be found."}}`,
        'compute',
        'compute 2.73',
      ),
      ...this.exchange(
        'GET',
        `"${this.host}:8774/v2.1/servers?name=${name}"`.replace(/"/g, ''),
        200,
        `{"servers": [${servers}]}`,
        'compute',
        'compute 2.73',
      ),
      ...this.exchange(
        'GET',
        `${this.host}:8776/v3/${this.project}/volumes/${vname}`,
        404,
        `{"itemNotFound": {"code": 404, "message": "Volume ${vname} could not be found."}}`,
        'block-storage',
        'volume 3.60',
      ),
      ...this.exchange(
        'GET',
        `${this.host}:8776/v3/${this.project}/volumes?name=${vname}`,
        200,
        `{"volumes": [{"id": "${volume}", "name": "${vname}"}]}`,
        'block-storage',
        'volume 3.60',
      ),
      ...this.exchange(
        'POST',
        `${this.host}:8774/v2.1/servers/${server}/os-volume_attachments`,
        fail ? 500 : 200,
        fail
          ? '{"computeFault": {"code": 500, "message": "Unexpected API Error."}}'
          : `{"volumeAttachment": {"id": "${volume}", "serverId": "${server}", "volumeId": "${volume}", "device": "/dev/vdb"}}`,
        'compute',
        'compute 2.89',
      ),
      `clean_up AddServerVolume: ${fail ? 'Unexpected API Error. (HTTP 500)' : ''}`,
      `END return value: ${fail ? 1 : 0}`,
    ];
    return lines;
  }
}

/** Write at least `bytes` of log to `path`. */
export async function generateLog(path: string, bytes: number, seed = 42): Promise<number> {
  const gen = new LogGenerator(seed);
  let written = 0;
  return writeAll(path, Number.POSITIVE_INFINITY, () => {
    if (written >= bytes) return null;
    const chunk = `${gen.command().join('\n')}\n`;
    written += Buffer.byteLength(chunk);
    return chunk;
  });
}

/** The logger osc's `--log-file` names for each kind of console line (reference §A13). */
function loggerOf(line: string): { level: 'DEBUG' | 'INFO'; logger: string } {
  if (/^(REQ: |RESP: |RESP BODY: |[A-Z]+ call to )/.test(line))
    return { level: 'DEBUG', logger: 'keystoneauth.session' };
  if (/^(Starting new HTTP|Resetting dropped|http:\/\/)/.test(line))
    return { level: 'DEBUG', logger: 'urllib3.connectionpool' };
  if (/^(Making authentication request|\{"token")/.test(line))
    return { level: 'DEBUG', logger: 'keystoneauth.identity.v3.base' };
  if (/^(START with options|command: |END return value)/.test(line)) return { level: 'INFO', logger: 'osc_lib.shell' };
  if (line.startsWith('Auth plugin')) return { level: 'DEBUG', logger: 'osc_lib.cli.client_config' };
  if (/^(Using auth plugin|Get auth_ref|Using parameters)/.test(line))
    return { level: line.startsWith('Using auth') ? 'INFO' : 'DEBUG', logger: 'osc_lib.clientmanager' };
  if (/^(run|clean_up)/.test(line)) return { level: 'DEBUG', logger: 'openstackclient.compute.v2.server' };
  return { level: 'DEBUG', logger: 'osc_lib.shell' };
}

/**
 * The same commands as osc's `--log-file` writes them: each line behind
 * `%(asctime)s.%(msecs)03d %(process)d %(levelname)s %(name)s [%(cloud)s %(username)s %(project)s]`,
 * a few milliseconds apart, one process per command.
 */
export async function generateLogFile(path: string, bytes: number, seed = 42): Promise<number> {
  const gen = new LogGenerator(seed);
  let written = 0;
  let ms = Date.UTC(2026, 10, 25, 20, 0, 0);
  let pid = 20000;
  const stamp = () => new Date(ms).toISOString().replace('T', ' ').slice(0, 23);
  return writeAll(path, Number.POSITIVE_INFINITY, () => {
    if (written >= bytes) return null;
    pid++;
    const lines = gen.command().map((line, i) => {
      ms += 3;
      const { level, logger } = loggerOf(line);
      return `${stamp()} ${pid} ${level} ${logger} [${i < 3 ? ' admin None' : '  admin'}] ${line}`;
    });
    ms += 250;
    const chunk = `${lines.join('\n')}\n`;
    written += Buffer.byteLength(chunk);
    return chunk;
  });
}
