// Builds samples/timed/client.log from the REAL recording
// /work/shared/samples/minicloud-01-attach-detach/client.log (openstack --debug, 8 commands,
// no timestamps): each log record gets the `--log-file` prefix of osc-lib's _FileFormatter
// (reference §A13) with increasing timestamps. The command start times are the recorder's
// `=====` times; the gaps between lines are small and fixed, the latency of each request
// (between REQ and its urllib3 response line) follows the endpoint, deterministically.
// stdout (the result tables) and the recorder's own lines are not part of a log file.
// Usage: node samples/timed/make-timed-log.mjs <real client.log> > samples/timed/client.log
import { readFileSync } from 'node:fs';

const src = readFileSync(process.argv[2], 'utf8').split('\n');
if (src[src.length - 1] === '') src.pop();

let seed = 20261125;
const rand = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
const between = (lo, hi) => Math.round(lo + rand() * (hi - lo));

function latency(method, path) {
  const p = path.split('?')[0];
  if (method === 'POST' && p.endsWith('/auth/tokens')) return between(95, 160);
  if (/^\/(v[\d.]+\/?)?$/.test(p)) return between(4, 12);            // version documents
  if (method === 'POST' && p.endsWith('/os-volume_attachments')) return between(780, 1100);
  if (method === 'DELETE' && p.includes('/os-volume_attachments/')) return between(320, 480);
  if (method === 'POST' && p.endsWith('/servers')) return between(620, 880);
  if (method === 'POST' && p.endsWith('/volumes')) return between(150, 240);
  if (path.includes('?') || p.endsWith('/detail')) return between(40, 120);
  return between(18, 60);
}

function logger(text, className) {
  const starts = (s) => text.startsWith(s);
  if (starts('START with options:') || starts('command: ') || starts('END return value')) return ['INFO', 'osc_lib.shell'];
  if (starts('Using auth plugin:')) return ['INFO', 'osc_lib.clientmanager'];
  if (starts('Using parameters') || starts('Get auth_ref')) return ['DEBUG', 'osc_lib.clientmanager'];
  if (starts('Auth plugin ') || starts('auth_config_hook()')) return ['DEBUG', 'osc_lib.cli.client_config'];
  if (starts('REQ: ') || starts('RESP: ') || starts('RESP BODY: ') || text.includes(' used request id ')) return ['DEBUG', 'keystoneauth.session'];
  if (starts('Request returned failure status')) return ['DEBUG', 'keystoneauth.session'];
  if (starts('Starting new HTTP') || starts('Resetting dropped') || starts('http://') || starts('https://')) return ['DEBUG', 'urllib3.connectionpool'];
  if (starts('Making authentication request') || starts('{"token"')) return ['DEBUG', 'keystoneauth.identity.v3.base'];
  if (starts('run(') || starts('boot_args') || starts('boot_kwargs')) return ['DEBUG', className ?? 'osc_lib.shell'];
  if (text.includes('volume client')) return ['DEBUG', 'openstackclient.volume.client'];
  if (text.includes('compute client') || text.includes('compute api')) return ['DEBUG', 'openstackclient.compute.client'];
  if (starts('Image client')) return ['DEBUG', 'openstackclient.image.client'];
  if (starts('Network client') || text.includes('network endpoint')) return ['DEBUG', 'openstackclient.network.client'];
  return ['DEBUG', 'osc_lib.shell'];
}

const pad = (n, w = 2) => String(n).padStart(w, '0');
const stamp = (ms) => {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`;
};

const out = [];
let now = 0;
let pid = 23101;
let className = null;
let pending = null;      // [method, path] of the REQ awaiting its urllib3 line
let lastGet = null;      // the previous GET path: `--wait` polls sleep between identical GETs
for (const text of src) {
  if (text.startsWith('===== ')) {
    const m = /^===== (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}) \$/.exec(text);
    if (m) {
      // python + osc startup before the first log record
      now = Math.max(now + 50, Date.parse(`${m[1].replace(' ', 'T')}Z`) + between(900, 1150));
      pid += between(3, 40);
      className = null;
      lastGet = null;
    }
    continue;
  }
  if (text.startsWith('+-') || text.startsWith('| ') || text === '') continue;
  const cmd = /^command: .* -> (\S+) \(auth=/.exec(text);
  if (cmd) className = cmd[1];
  const req = /^REQ: curl -g -i -X (\S+) "?([^" ]+)/.exec(text);
  const answer = /^https?:\/\/\S+ "(\S+) (\S+) HTTP\/1\.1" \d+/.exec(text);
  if (req) {
    const path = req[2].replace(/^https?:\/\/[^/]+/, '') || '/';
    if (req[1] === 'GET' && path === lastGet && /\/servers\/[0-9a-f-]{36}$/.test(path)) now += between(1900, 2100);
    pending = [req[1], path];
    if (req[1] === 'GET') lastGet = path;
    now += between(1, 3);
  } else if (answer) {
    now += latency(answer[1], answer[2]);
    pending = null;
  } else if (text.startsWith('Making authentication request')) {
    now += between(1, 3);
    pending = ['POST', '/v3/auth/tokens'];
  } else {
    now += text.startsWith('RESP') ? 0 : between(0, 2);
  }
  const [level, name] = logger(text, className);
  out.push(`${stamp(now)} ${pid} ${level} ${name} [  admin] ${text}`);
}
void pending;
process.stdout.write(`${out.join('\n')}\n`);
