/**
 * The fake cloud itself, exercised with node:http only (no `openstack` binary needed).
 */
import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_PROJECT_ID, DEFAULT_SERVER_ID, DEFAULT_VOLUME_ID, seededUuid, startFakeCloud } from './server.js';
import type { FakeCloud, FakeCloudOptions } from './server.js';
import { compareWithServed } from './compare.js';

interface Resp {
  status: number;
  headers: http.IncomingHttpHeaders;
  rawHeaders: string[];
  body: string;
  json: () => unknown;
}

function request(
  cloud: FakeCloud,
  method: string,
  path: string,
  opts: { headers?: Record<string, string>; body?: unknown } = {},
): Promise<Resp> {
  return new Promise((resolve, reject) => {
    const payload = opts.body === undefined ? undefined : JSON.stringify(opts.body);
    const req = http.request(
      {
        host: '127.0.0.1',
        port: cloud.port,
        method,
        path,
        agent: false,
        headers: {
          ...(payload !== undefined
            ? { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(payload)) }
            : {}),
          ...opts.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            rawHeaders: res.rawHeaders,
            body,
            json: () => JSON.parse(body) as unknown,
          });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

const AUTH_BODY = (password = 'secret'): unknown => ({
  auth: {
    identity: {
      methods: ['password'],
      password: { user: { name: 'admin', domain: { name: 'Default' }, password } },
    },
    scope: { project: { name: 'admin', domain: { name: 'Default' } } },
  },
});

async function token(cloud: FakeCloud): Promise<string> {
  const r = await request(cloud, 'POST', '/identity/v3/auth/tokens', { body: AUTH_BODY() });
  expect(r.status).toBe(201);
  const t = r.headers['x-subject-token'];
  if (typeof t !== 'string') throw new Error('no X-Subject-Token');
  return t;
}

const REQ_ID = /^req-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let clouds: FakeCloud[] = [];
async function start(options: FakeCloudOptions = {}): Promise<FakeCloud> {
  const c = await startFakeCloud(options);
  clouds.push(c);
  return c;
}
afterEach(async () => {
  await Promise.all(clouds.map((c) => c.close()));
  clouds = [];
});

describe('fake cloud: keystone', () => {
  it('answers GET /identity with a 300 versions document pointing at itself', async () => {
    const cloud = await start();
    const r = await request(cloud, 'GET', '/identity', { headers: { Accept: 'application/json' } });
    expect(r.status).toBe(300);
    expect(r.headers['content-type']).toBe('application/json');
    expect(r.headers['connection']).toBe('close');
    expect(Number(r.headers['content-length'])).toBe(Buffer.byteLength(r.body));
    expect(r.headers['x-openstack-request-id']).toMatch(REQ_ID);
    expect(r.body).toContain(`"href": "${cloud.url}/identity/v3/"`);
    expect(cloud.served).toEqual([
      {
        method: 'GET',
        path: '/identity',
        status: 300,
        requestId: r.headers['x-openstack-request-id'],
        globalRequestId: null,
      },
    ]);
  });

  it('answers GET /identity/v3 with the v3 version document', async () => {
    const cloud = await start();
    const r = await request(cloud, 'GET', '/identity/v3');
    expect(r.status).toBe(200);
    expect((r.json() as { version: { id: string } }).version.id).toBe('v3.14');
  });

  it('issues a token with a catalog whose endpoints point at this server', async () => {
    const cloud = await start();
    const r = await request(cloud, 'POST', '/identity/v3/auth/tokens', { body: AUTH_BODY() });
    expect(r.status).toBe(201);
    expect(r.headers['x-subject-token']).toMatch(/^gAAAAA/);
    const tok = (
      r.json() as {
        token: {
          project: { id: string };
          catalog: Array<{ type: string; endpoints: Array<{ url: string; interface: string }> }>;
        };
      }
    ).token;
    expect(tok.project.id).toBe(DEFAULT_PROJECT_ID);
    const urls = Object.fromEntries(tok.catalog.map((s) => [s.type, s.endpoints[0]?.url]));
    expect(urls).toEqual({
      identity: `${cloud.url}/identity`,
      compute: `${cloud.url}/compute/v2.1`,
      volumev3: `${cloud.url}/volume/v3/${DEFAULT_PROJECT_ID}`,
      'block-storage': `${cloud.url}/volume/v3/${DEFAULT_PROJECT_ID}`,
      image: `${cloud.url}/image`,
    });
  });

  it('rejects a wrong password with 401', async () => {
    const cloud = await start();
    const r = await request(cloud, 'POST', '/identity/v3/auth/tokens', { body: AUTH_BODY('nope') });
    expect(r.status).toBe(401);
    expect((r.json() as { error: { code: number } }).error.code).toBe(401);
  });
});

describe('fake cloud: nova', () => {
  it('serves the unauthenticated v2.1 version document with max 2.93', async () => {
    const cloud = await start();
    const r = await request(cloud, 'GET', '/compute/v2.1');
    expect(r.status).toBe(200);
    expect((r.json() as { version: { version: string; min_version: string } }).version).toMatchObject({
      version: '2.93',
      min_version: '2.1',
    });
  });

  it('requires a token', async () => {
    const cloud = await start();
    const r = await request(cloud, 'GET', '/compute/v2.1/servers');
    expect(r.status).toBe(401);
    expect(r.headers['www-authenticate']).toBe(`Keystone uri="${cloud.url}/identity"`);
  });

  it('404s a server by name with itemNotFound, finds it by ?name= and by id', async () => {
    const cloud = await start();
    const t = await token(cloud);
    const h = { 'X-Auth-Token': t, 'OpenStack-API-Version': 'compute 2.73', 'X-OpenStack-Nova-API-Version': '2.73' };
    const byName = await request(cloud, 'GET', '/compute/v2.1/servers/vm1', { headers: h });
    expect(byName.status).toBe(404);
    expect(byName.body).toBe('{"itemNotFound": {"code": 404, "message": "Instance vm1 could not be found."}}');
    expect(byName.headers['content-type']).toBe('application/json; charset=UTF-8');
    expect(byName.headers['x-compute-request-id']).toBe(byName.headers['x-openstack-request-id']);
    expect(byName.headers['openstack-api-version']).toBe('compute 2.73');

    const list = await request(cloud, 'GET', '/compute/v2.1/servers?name=vm1', { headers: h });
    expect(list.status).toBe(200);
    expect((list.json() as { servers: Array<{ id: string; name: string }> }).servers).toEqual([
      expect.objectContaining({ id: DEFAULT_SERVER_ID, name: 'vm1' }),
    ]);
    const detail = await request(cloud, 'GET', '/compute/v2.1/servers/detail?name=vm1', { headers: h });
    expect((detail.json() as { servers: Array<{ status: string }> }).servers[0]?.status).toBe('ACTIVE');
    const byId = await request(cloud, 'GET', `/compute/v2.1/servers/${DEFAULT_SERVER_ID}`, { headers: h });
    expect(byId.status).toBe(200);
    expect(cloud.served.map((s) => [s.method, s.path, s.status])).toEqual([
      ['POST', '/identity/v3/auth/tokens', 201],
      ['GET', '/compute/v2.1/servers/vm1', 404],
      ['GET', '/compute/v2.1/servers?name=vm1', 200],
      ['GET', '/compute/v2.1/servers/detail?name=vm1', 200],
      ['GET', `/compute/v2.1/servers/${DEFAULT_SERVER_ID}`, 200],
    ]);
  });

  it('rejects an unsupported microversion with 406', async () => {
    const cloud = await start();
    const t = await token(cloud);
    const r = await request(cloud, 'GET', '/compute/v2.1/servers', {
      headers: { 'X-Auth-Token': t, 'OpenStack-API-Version': 'compute 2.200' },
    });
    expect(r.status).toBe(406);
  });

  it('attaches and detaches a volume, updating both sides', async () => {
    const cloud = await start();
    const t = await token(cloud);
    const h = { 'X-Auth-Token': t, 'OpenStack-API-Version': 'compute 2.89' };
    const post = await request(cloud, 'POST', `/compute/v2.1/servers/${DEFAULT_SERVER_ID}/os-volume_attachments`, {
      headers: h,
      body: { volumeAttachment: { volumeId: DEFAULT_VOLUME_ID, device: null } },
    });
    expect(post.status).toBe(200);
    expect((post.json() as { volumeAttachment: Record<string, unknown> }).volumeAttachment).toMatchObject({
      id: DEFAULT_VOLUME_ID,
      serverId: DEFAULT_SERVER_ID,
      volumeId: DEFAULT_VOLUME_ID,
      device: '/dev/vdb',
    });
    expect(cloud.volumes[0]?.status).toBe('in-use');
    const again = await request(cloud, 'POST', `/compute/v2.1/servers/${DEFAULT_SERVER_ID}/os-volume_attachments`, {
      headers: h,
      body: { volumeAttachment: { volumeId: DEFAULT_VOLUME_ID } },
    });
    expect(again.status).toBe(400);
    const del = await request(
      cloud,
      'DELETE',
      `/compute/v2.1/servers/${DEFAULT_SERVER_ID}/os-volume_attachments/${DEFAULT_VOLUME_ID}`,
      {
        headers: h,
      },
    );
    expect(del.status).toBe(202);
    expect(del.body).toBe('');
    expect(del.headers['content-length']).toBe('0');
    expect(cloud.volumes[0]?.status).toBe('available');
    expect(cloud.servers[0]?.attachments).toEqual([]);
  });
});

describe('fake cloud: cinder', () => {
  it('puts GET /volume/v3/ behind auth like real cinder (401, then 200 with a token)', async () => {
    const cloud = await start();
    const anon = await request(cloud, 'GET', '/volume/v3/');
    expect(anon.status).toBe(401);
    expect(anon.headers['x-compute-request-id']).toBeUndefined();
    const t = await token(cloud);
    const r = await request(cloud, 'GET', '/volume/v3/', { headers: { 'X-Auth-Token': t } });
    expect(r.status).toBe(200);
    expect((r.json() as { versions: Array<{ version: string }> }).versions[0]?.version).toBe('3.70');
    const open = await start({ volumeDiscoveryRequiresAuth: false });
    expect((await request(open, 'GET', '/volume/v3/')).status).toBe(200);
  });

  it('gets, lists, creates and deletes volumes', async () => {
    const cloud = await start({ seed: 'cinder' });
    const t = await token(cloud);
    const h = { 'X-Auth-Token': t, 'OpenStack-API-Version': 'volume 3.60' };
    const base = `/volume/v3/${DEFAULT_PROJECT_ID}`;
    const nf = await request(cloud, 'GET', `${base}/volumes/vol1`, { headers: h });
    expect(nf.status).toBe(404);
    expect(nf.body).toBe('{"itemNotFound": {"code": 404, "message": "Volume vol1 could not be found."}}');
    expect(nf.headers['openstack-api-version']).toBe('volume 3.60');
    const list = await request(cloud, 'GET', `${base}/volumes?name=vol1`, { headers: h });
    expect((list.json() as { volumes: Array<{ id: string }> }).volumes.map((v) => v.id)).toEqual([DEFAULT_VOLUME_ID]);
    const detail = await request(cloud, 'GET', `${base}/volumes/detail?all_tenants=1&name=vol1`, { headers: h });
    expect((detail.json() as { volumes: Array<{ status: string }> }).volumes[0]?.status).toBe('available');
    const none = await request(cloud, 'GET', `${base}/volumes/detail?name=nope`, { headers: h });
    expect((none.json() as { volumes: unknown[] }).volumes).toEqual([]);

    const created = await request(cloud, 'POST', `${base}/volumes`, {
      headers: h,
      body: { volume: { size: 1, name: 'v1' } },
    });
    expect(created.status).toBe(202);
    const vol = (created.json() as { volume: { id: string; status: string; name: string } }).volume;
    expect(vol).toMatchObject({ status: 'creating', name: 'v1' });
    expect(vol.id).toBe(seededUuid('cinder', 'volume', 1));
    const shown = await request(cloud, 'GET', `${base}/volumes/${vol.id}`, { headers: h });
    expect(shown.status).toBe(200);
    const del = await request(cloud, 'DELETE', `${base}/volumes/${vol.id}`, { headers: h });
    expect(del.status).toBe(202);
    expect((await request(cloud, 'GET', `${base}/volumes/${vol.id}`, { headers: h })).status).toBe(404);
  });

  it('records the global request id sent by the client', async () => {
    const cloud = await start();
    const t = await token(cloud);
    await request(cloud, 'GET', `/volume/v3/${DEFAULT_PROJECT_ID}/volumes`, {
      headers: { 'X-Auth-Token': t, 'X-OpenStack-Request-ID': 'req-11111111-2222-4333-8444-555555555555' },
    });
    expect(cloud.served.at(-1)?.globalRequestId).toBe('req-11111111-2222-4333-8444-555555555555');
  });
});

describe('fake cloud: failure injection', () => {
  const attachPath = `/compute/v2.1/servers/${DEFAULT_SERVER_ID}/os-volume_attachments`;
  const body = { volumeAttachment: { volumeId: DEFAULT_VOLUME_ID } };

  it('answers 500 computeFault once, then behaves normally', async () => {
    const cloud = await start({
      rules: [{ method: 'POST', pathRegex: /os-volume_attachments$/, action: { status: 500 } }],
    });
    const t = await token(cloud);
    const first = await request(cloud, 'POST', attachPath, { headers: { 'X-Auth-Token': t }, body });
    expect(first.status).toBe(500);
    expect(Object.keys(first.json() as object)).toEqual(['computeFault']);
    const second = await request(cloud, 'POST', attachPath, { headers: { 'X-Auth-Token': t }, body });
    expect(second.status).toBe(200);
    expect(cloud.served.map((s) => s.status)).toEqual([201, 500, 200]);
  });

  it('answers 409 conflictingRequest with a custom body, honouring skip and times', async () => {
    const cloud = await start({
      rules: [
        {
          method: 'GET',
          pathRegex: 'servers/detail',
          skip: 1,
          times: 2,
          action: { status: 409, body: { conflictingRequest: { code: 409, message: 'busy' } } },
        },
      ],
    });
    const t = await token(cloud);
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++)
      statuses.push(
        (await request(cloud, 'GET', '/compute/v2.1/servers/detail', { headers: { 'X-Auth-Token': t } })).status,
      );
    expect(statuses).toEqual([200, 409, 409, 200]);
  });

  it('a 401 rule revokes the presented token, a fresh token works', async () => {
    const cloud = await start({ rules: [{ pathRegex: '^/compute/v2\\.1/servers\\?', action: { status: 401 } }] });
    const t1 = await token(cloud);
    expect(
      (await request(cloud, 'GET', '/compute/v2.1/servers?name=vm1', { headers: { 'X-Auth-Token': t1 } })).status,
    ).toBe(401);
    expect(
      (await request(cloud, 'GET', '/compute/v2.1/servers/detail', { headers: { 'X-Auth-Token': t1 } })).status,
    ).toBe(401);
    const t2 = await token(cloud);
    expect(t2).not.toBe(t1);
    expect(
      (await request(cloud, 'GET', '/compute/v2.1/servers?name=vm1', { headers: { 'X-Auth-Token': t2 } })).status,
    ).toBe(200);
  });

  it.each(['reset', 'close'] as const)('%s drops the connection without an answer and records it', async (action) => {
    const cloud = await start({ rules: [{ method: 'GET', pathRegex: '^/identity$', action }] });
    await expect(request(cloud, 'GET', '/identity')).rejects.toThrow(
      action === 'reset' ? /ECONNRESET|socket hang up/ : /socket hang up|ECONNRESET/,
    );
    const ok = await request(cloud, 'GET', '/identity');
    expect(ok.status).toBe(300);
    expect(cloud.served[0]).toEqual({
      method: 'GET',
      path: '/identity',
      status: null,
      requestId: null,
      globalRequestId: null,
      reset: true,
    });
    expect(cloud.served[1]?.status).toBe(300);
  });
});

describe('fake cloud: determinism and ports', () => {
  it('gives the same request ids and tokens for the same seed', async () => {
    const a = await start({ seed: 's1' });
    const b = await start({ seed: 's1' });
    const c = await start({ seed: 's2' });
    for (const cloud of [a, b, c]) {
      await request(cloud, 'GET', '/identity');
      await token(cloud);
    }
    expect(a.served.map((s) => s.requestId)).toEqual(b.served.map((s) => s.requestId));
    expect(a.tokensIssued).toEqual(b.tokensIssued);
    expect(a.served.map((s) => s.requestId)).not.toEqual(c.served.map((s) => s.requestId));
    expect(a.served[0]?.requestId).toBe(`req-${seededUuid('s1', 'request', 1)}`);
    expect(a.served[0]?.requestId).toMatch(REQ_ID);
  });

  it('listens on a fixed port when asked', async () => {
    const probe = await startFakeCloud();
    const port = probe.port;
    await probe.close();
    const cloud = await start({ port });
    expect(cloud.url).toBe(`http://127.0.0.1:${port}`);
    expect((await request(cloud, 'GET', '/identity')).status).toBe(300);
  });

  it('serves unknown paths with a 404 and still records them', async () => {
    const cloud = await start();
    const r = await request(cloud, 'GET', '/nowhere?x=1');
    expect(r.status).toBe(404);
    expect(cloud.served[0]).toMatchObject({ method: 'GET', path: '/nowhere?x=1', status: 404 });
  });
});

describe('compareWithServed', () => {
  const served = [
    { method: 'GET', path: '/identity', status: 300, requestId: 'req-a' },
    { method: 'POST', path: '/identity/v3/auth/tokens', status: 201, requestId: 'req-b' },
    { method: 'GET', path: '/compute/v2.1/servers?name=vm1', status: null, requestId: null, reset: true },
    { method: 'GET', path: '/compute/v2.1/servers?name=vm1', status: 200, requestId: 'req-c' },
    { method: 'POST', path: '/compute/v2.1/servers/x/os-volume_attachments', status: 200, requestId: 'req-d' },
  ];

  it('accepts a faithful reconstruction (token request id unknowable, dropped request without status)', () => {
    const ex = [
      { method: 'GET', path: 'http://127.0.0.1:18080/identity', status: 300, requestId: 'req-a' },
      { method: 'POST', path: '/identity/v3/auth/tokens', status: 201, requestId: null },
      { method: 'GET', path: '/compute/v2.1/servers?name=vm1', status: null },
      { method: 'get', path: '/compute/v2.1/servers?name=vm1', status: 200, requestId: 'req-c' },
      { method: 'POST', path: '/compute/v2.1/servers/x/os-volume_attachments', status: 200, requestId: 'req-d' },
    ];
    expect(compareWithServed(served, ex)).toEqual([]);
  });

  it('reports a missing retry once, and wrong status / request id', () => {
    const ex = [
      { method: 'GET', path: '/identity', status: 300, requestId: 'req-a' },
      { method: 'POST', path: '/identity/v3/auth/tokens', status: 201 },
      { method: 'GET', path: '/compute/v2.1/servers?name=vm1', status: 200, requestId: 'req-c' },
      { method: 'POST', path: '/compute/v2.1/servers/x/os-volume_attachments', status: 500, requestId: 'req-zz' },
      { method: 'DELETE', path: '/compute/v2.1/servers/x', status: 204, requestId: 'req-e' },
    ];
    const m = compareWithServed(served, ex);
    expect(m).toHaveLength(4);
    expect(m[0]).toMatch(
      /served\[2\] GET \/compute\/v2\.1\/servers\?name=vm1 → no response \(connection dropped\): missing/,
    );
    expect(m[1]).toMatch(/served\[4\].*status differs, reconstructed 500/);
    expect(m[2]).toMatch(/served\[4\].*request id differs, reconstructed req-zz/);
    expect(m[3]).toMatch(/exchanges\[4\] DELETE .*extra exchange/);
  });

  it('reports a request id that was not reconstructed, unless allowed', () => {
    const ex = served.map((s) => ({ ...s, requestId: null }));
    expect(compareWithServed(served, ex)).toHaveLength(3);
    expect(compareWithServed(served, ex, { requestIdMayBeUnknown: () => true })).toEqual([]);
  });
});
