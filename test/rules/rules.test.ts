// Each rule on logs that must trigger it and logs that must not. Fixtures: the seed log,
// real `openstack` 6.0.0 recordings against the fake cloud (samples/lint/attach-*.log),
// and small logs derived from them (samples/lint/).
import { describe, expect, it } from 'vitest';
import { explainedByFollowers } from '../../src/rules/http/explained.js';
import { deprecatedApi } from '../../src/rules/api/deprecated.js';
import { stepRuleId } from '../../src/flows/verdicts.js';
import { FlowStepResult } from '../../src/model/flow-schema.js';
import type { Exchange } from '../../src/model/schema.js';
import { allRules } from '../../src/rules/index.js';
import { lintSample, lintText, lintTexts, of, sample } from './helpers.js';

const SEED = 'samples/seed-attach-volume/client.log';

describe('the seed log', () => {
  it('lints clean at error level: its name-lookup 404s are explained', () => {
    const findings = lintSample(SEED);
    expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(of(findings, 'http/unexpected-client-error')).toEqual([]);
  });
});

describe('http/server-error', () => {
  it('fires on the 500 of a real attach, at the REQ line, with the body message', () => {
    const [f, ...rest] = of(lintSample('samples/lint/attach-500.log'), 'http/server-error');
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ severity: 'error', line: 74, source: 'samples/lint/attach-500.log' });
    expect(f!.message).toMatch(
      /^POST \/compute\/v2\.1\/servers\/.*\/os-volume_attachments returned 500 \(computeFault: Unexpected API Error/,
    );
  });
  it('stays silent on a successful attach and on a 409', () => {
    expect(of(lintSample(SEED), 'http/server-error')).toEqual([]);
    expect(of(lintSample('samples/lint/attach-409.log'), 'http/server-error')).toEqual([]);
  });
});

describe('http/unexpected-client-error', () => {
  it('fires on a 409 no flow expects', () => {
    const [f] = of(lintSample('samples/lint/attach-409.log'), 'http/unexpected-client-error');
    expect(f?.message).toContain("returned 409 (conflictingRequest: Cannot 'attach_volume'");
  });
  it('does not fire on the discovery 401 retried with a token, nor on re-authenticated 401s', () => {
    expect(of(lintSample('samples/lint/attach-401-reauth.log'), 'http/unexpected-client-error')).toEqual([]);
  });
  it('can ignore statuses by option', () => {
    expect(
      of(
        lintSample('samples/lint/attach-409.log', {
          'http/unexpected-client-error': { options: { ignoreStatuses: [409] } },
        }),
        'http/unexpected-client-error',
      ),
    ).toEqual([]);
  });
  const ex = (method: string, path: string, status: number): Exchange => ({
    id: 1,
    source: 'x',
    line: 1,
    endLine: 1,
    side: 'client',
    method,
    url: null,
    path,
    service: null,
    status,
    requestId: null,
    globalRequestId: null,
    microversion: null,
    startedAt: null,
    durationMs: null,
    timing: null,
    serverTimeMs: null,
    complete: true,
    incompleteReason: null,
    kind: 'request',
    resendOf: null,
    error: null,
    command: 1,
  });
  it('explains a by-name 404 only when a list filtered by that name follows', () => {
    const miss = ex('GET', '/volume/v2/p/volumes/liangr', 404);
    expect(explainedByFollowers(miss, [ex('GET', '/volume/v2/p/volumes/detail?all_tenants=1&name=liangr', 200)])).toBe(
      true,
    );
    expect(explainedByFollowers(miss, [ex('GET', '/volume/v2/p/volumes/detail?name=other', 200)])).toBe(false);
    expect(explainedByFollowers(miss, [])).toBe(false);
    const byId = ex('GET', '/compute/v2.1/servers/83486e6e-2600-4149-a578-dbc67b506004', 404);
    expect(
      explainedByFollowers(byId, [ex('GET', '/compute/v2.1/servers?name=83486e6e-2600-4149-a578-dbc67b506004', 200)]),
    ).toBe(false);
  });
});

describe('flow/*', () => {
  it('reports a failed attach step once', () => {
    const failed = of(lintSample('samples/lint/attach-500.log'), 'flow/failed-step');
    expect(failed).toHaveLength(1);
    expect(failed[0]!.message).toMatch(/^flow client\/server-add-volume \(openstacksdk\): step attach failed/);
  });
  it('reports missing steps of a truncated attach; a re-authentication is not a flow step (net/retried says it)', () => {
    expect(of(lintSample('samples/lint/truncated.log'), 'flow/missing-step').map((f) => f.message)).toEqual(
      expect.arrayContaining([expect.stringContaining('step attach missing')]),
    );
    const reauth = lintSample('samples/lint/attach-401-reauth.log');
    expect(reauth.filter((f) => f.ruleId.startsWith('flow/'))).toEqual([]);
    expect(of(reauth, 'net/retried')).toHaveLength(2);
  });
  it('flow/capture-mismatch: the attach POST names another server than the one looked up', () => {
    const [f, ...rest] = of(lintSample('samples/lint/attach-other-server.log'), 'flow/capture-mismatch');
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ severity: 'error', line: 50 });
    expect(f!.message).toContain(
      'is for server_id 11111111-2222-4333-8444-555555555555, but this openstack server add volume is about server_id 83486e6e-2600-4149-a578-dbc67b506004',
    );
    expect(
      of(
        lintSample('samples/lint/attach-other-server.log', { 'flow/capture-mismatch': 'off' }),
        'flow/capture-mismatch',
      ),
    ).toEqual([]);
    expect(of(lintSample(SEED), 'flow/capture-mismatch')).toEqual([]);
  });
  it('finds nothing wrong in a complete real attach', () => {
    const findings = lintSample('samples/real-osc/server-add-volume.log');
    expect(findings.filter((f) => f.ruleId.startsWith('flow/'))).toEqual([]);
  });
  it('can be switched off', () => {
    const findings = lintSample('samples/lint/attach-401-reauth.log', { 'flow/unexpected-step': 'off' });
    expect(findings.filter((f) => f.ruleId.startsWith('flow/'))).toEqual([]);
  });
});

describe('the flow/* step rules', () => {
  it('one rule per reported step status, with the id the flow files name it by', () => {
    const ids = new Set(allRules().map((r) => r.meta.id));
    const reported = FlowStepResult.shape.status.options.filter((s) => s !== 'matched' && s !== 'skipped');
    expect(reported.map((s) => [s, ids.has(stepRuleId(s) ?? '')])).toEqual(reported.map((s) => [s, true]));
    expect(stepRuleId('matched')).toBeNull();
  });
});

describe('flow/version-guard', () => {
  const dir = 'samples/lint/shelved-below-2.20';
  const logs = ['nova-api.log', 'cinder-api.log', 'cinder-volume.log'].map((f) => ({
    name: `${dir}/${f}`,
    text: sample(`${dir}/${f}`),
  }));
  it('says which variant the calls fit and which microversion rules it out', () => {
    const guard = of(lintTexts(logs), 'flow/version-guard');
    expect(guard.length).toBeGreaterThan(0);
    expect(guard[0]!.severity).toBe('warning');
    expect(guard[0]!.message).toContain('applies only at compute microversion >= 2.20 and the calls used compute 2.19');
  });
  it('is silent at 2.89 and can be switched off', () => {
    const ok = ['nova-api.log', 'cinder-api.log', 'cinder-volume.log'].map((f) => ({
      name: f,
      text: sample(`samples/flows/shelved-offloaded/${f}`),
    }));
    expect(of(lintTexts(ok), 'flow/version-guard')).toEqual([]);
    expect(of(lintTexts(logs, { 'flow/version-guard': 'off' }), 'flow/version-guard')).toEqual([]);
  });
});

describe('command/failed', () => {
  it('fires on END return value 1 with the error text', () => {
    const [f] = of(lintSample('samples/lint/attach-500.log'), 'command/failed');
    expect(f).toMatchObject({ line: 1, severity: 'error' });
    expect(f!.message).toMatch(/^`server add volume` failed \(exit 1\): HttpException: 500/);
  });
  it('does not fire on exit 0', () => {
    expect(of(lintSample(SEED), 'command/failed')).toEqual([]);
  });
});

describe('secret/*', () => {
  const findings = lintSample('samples/lint/secrets.log');
  it('secret/password: --os-password in START, a password body, adminPass — never the value', () => {
    const f = of(findings, 'secret/password');
    expect(f.map((x) => x.line)).toEqual([1, 58, 59]);
    expect(f[0]!.message).toContain('--os-password');
    for (const x of f)
      for (const v of ['s3cr3t-Pa55', 'hunter2-body', 'Xk9adminPassValue']) expect(x.message).not.toContain(v);
  });
  it('secret/clear-token: a clear X-Auth-Token, never the value', () => {
    const f = of(findings, 'secret/clear-token');
    expect(f.map((x) => x.line)).toEqual([16]);
    expect(f[0]!.message).not.toContain('ClearTokenValue');
  });
  it('no finding on hashed tokens and masked passwords (seed log, real recordings)', () => {
    for (const path of [SEED, 'samples/lint/attach-500.log', 'samples/real-osc/volume-create.log']) {
      expect(lintSample(path).filter((f) => f.ruleId.startsWith('secret/'))).toEqual([]);
    }
  });
});

describe('perf/slow-call', () => {
  it('fires on a 7.5 s call of a --log-file log, not under a higher threshold', () => {
    const [f] = of(lintSample('samples/lint/slow-call-logfile.log'), 'perf/slow-call');
    expect(f?.message).toMatch(/took 7550 ms \(threshold 5000 ms\)$/);
    expect(
      of(
        lintSample('samples/lint/slow-call-logfile.log', { 'perf/slow-call': { options: { thresholdMs: 8000 } } }),
        'perf/slow-call',
      ),
    ).toEqual([]);
  });
  it('is silent without timestamps', () => {
    expect(of(lintSample(SEED), 'perf/slow-call')).toEqual([]);
  });
});

describe('api/deprecated', () => {
  it("fires once for the seed log's volume v2 calls, as a warning", () => {
    const f = of(lintSample(SEED), 'api/deprecated');
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ line: 38, severity: 'warning' });
  });
  it('knows identity v2.0 and legacy compute v2, not v2.1 or v3', () => {
    const e = (path: string, service: string | null) => ({ path, service }) as Exchange;
    expect(deprecatedApi(e('/identity/v2.0/tokens', 'identity'))?.api).toBe('Identity API v2.0');
    expect(deprecatedApi(e('/v2/abc/servers', 'compute'))?.api).toBe('legacy Compute API v2');
    expect(deprecatedApi(e('/compute/v2.1/servers', 'compute'))).toBeNull();
    expect(deprecatedApi(e('/volume/v3/p/volumes', 'volumev3'))).toBeNull();
  });
  it('is silent on a current SDK log', () => {
    expect(of(lintSample('samples/real-osc/server-add-volume.log'), 'api/deprecated')).toEqual([]);
  });
});

describe('net/retried', () => {
  it('fires on a GET re-sent after a connection reset', () => {
    const [f] = of(lintSample('samples/lint/attach-reset-get.log'), 'net/retried');
    expect(f?.message).toBe('GET /compute/v2.1/servers?name=vm1 was sent again after a connection failure (now 200)');
  });
  it('fires on a 401 re-authentication and the re-sent POST', () => {
    const msgs = of(lintSample('samples/lint/attach-401-reauth.log'), 'net/retried').map((f) => f.message);
    expect(msgs).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^POST .*os-volume_attachments was sent again after a 401 answer \(now 200\)$/),
        '`server add volume` re-authenticated (token request 2 of 2)',
      ]),
    );
  });
  it('is silent on a clean run', () => {
    expect(of(lintSample(SEED), 'net/retried')).toEqual([]);
  });
});

describe('log/truncated-exchange', () => {
  it('fires on a REQ without a response and a command without END', () => {
    const f = of(lintSample('samples/lint/truncated.log'), 'log/truncated-exchange');
    expect(f.map((x) => x.line).sort()).toEqual([1, 16]);
  });
  it('is silent on a complete log', () => {
    expect(of(lintSample(SEED), 'log/truncated-exchange')).toEqual([]);
  });
});

describe('log/unrecognized-lines', () => {
  it('fires above the ratio, at the first unrecognized line', () => {
    const [f] = of(lintSample('samples/lint/unrecognized.log'), 'log/unrecognized-lines');
    expect(f).toMatchObject({ line: 58, message: '6 of 63 lines (9.5%) not recognized (threshold 5.0%)' });
    expect(
      of(
        lintSample('samples/lint/unrecognized.log', { 'log/unrecognized-lines': { options: { maxRatio: 0.1 } } }),
        'log/unrecognized-lines',
      ),
    ).toEqual([]);
  });
});

describe('time/*', () => {
  const steps = [
    '2026-11-25 21:02:41.337 3447 INFO cinder.api.openstack.wsgi [None req-3ce52bc6-6c7d-4e3c-b97e-6b4a09782675 - - - - - -] first',
    '2026-11-25 21:02:45.100 3447 INFO cinder.api.openstack.wsgi [None req-3ce52bc6-6c7d-4e3c-b97e-6b4a09782675 - - - - - -] second',
    '2026-11-25 21:02:41.900 3447 INFO cinder.api.openstack.wsgi [None req-3ce52bc6-6c7d-4e3c-b97e-6b4a09782675 - - - - - -] back in time',
  ].join('\n');
  it("time/out-of-order reports the analyzer's record, re-rated by config", () => {
    const [f, ...rest] = of(lintText(steps, {}, 'cinder-api.log'), 'time/out-of-order');
    expect(rest).toEqual([]);
    expect(f).toEqual({
      ruleId: 'time/out-of-order',
      severity: 'warning',
      message: 'timestamp 2026-11-25 21:02:41.900 is 3.2 s earlier than line 2',
      source: 'cinder-api.log',
      line: 3,
      exchange: null,
    });
    expect(
      of(lintText(steps, { 'time/out-of-order': 'error' }, 'cinder-api.log'), 'time/out-of-order')[0]?.severity,
    ).toBe('error');
    expect(of(lintText(steps, { 'time/out-of-order': 'off' }, 'cinder-api.log'), 'time/out-of-order')).toEqual([]);
  });
  it('time/out-of-order rates steps back under a second info, and sums up after ten', () => {
    // 12 lines, each 100 ms earlier than the one before: 11 steps back.
    const racing = Array.from(
      { length: 12 },
      (_, i) =>
        `2026-11-25 21:02:4${5 - Math.floor(i / 10)}.${String(900 - (i % 10) * 100).padStart(3, '0')} 3447 INFO cinder.api.openstack.wsgi [None req-3ce52bc6-6c7d-4e3c-b97e-6b4a09782675 - - - - - -] line ${i + 1}`,
    ).join('\n');
    const found = of(lintText(racing, {}, 'cinder-api.log'), 'time/out-of-order');
    expect(found.map((f) => [f.line, f.severity])).toEqual([
      ...Array.from({ length: 10 }, (_, i) => [i + 2, 'info']),
      [null, 'info'],
    ]);
    expect(found[0]!.message).toBe('timestamp 2026-11-25 21:02:45.800 is 100 ms earlier than line 1');
    expect(found[10]!.message).toBe('1 more out-of-order timestamps in this input');
    expect(
      of(lintText(racing, { 'time/out-of-order': 'warning' }, 'cinder-api.log'), 'time/out-of-order').map(
        (f) => f.severity,
      ),
    ).toEqual(Array(11).fill('warning'));
  });
  it('time/out-of-order is silent on ordered lines', () => {
    expect(of(lintText(sample('samples/lint/slow-call-logfile.log')), 'time/out-of-order')).toEqual([]);
  });
});

describe('known-bug/*', () => {
  it('recognizes Bug #2004555 in a cinder-api line, with the Launchpad link', () => {
    const [f, ...rest] = of(lintSample('samples/lint/known-bug-2004555.log'), 'known-bug/lp-2004555');
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ line: 2, severity: 'error' });
    expect(f!.message).toContain('https://bugs.launchpad.net/bugs/2004555');
  });
  it('is silent on the seed log, and can be switched off as a group', () => {
    expect(lintSample(SEED).filter((f) => f.ruleId.startsWith('known-bug/'))).toEqual([]);
    // The ERROR line the signature told is then only a service's ERROR record.
    expect(
      lintSample('samples/lint/known-bug-2004555.log', { 'known-bug/*': 'off' }).map((f) => [f.ruleId, f.line]),
    ).toEqual([['service/error-logged', 2]]);
  });
});

describe('flow/missing-step on a service whose log was not given', () => {
  const dir = 'samples/minicloud/01-attach-detach';
  const logs = (names: string[]) => names.map((name) => ({ name: `${dir}/${name}`, text: sample(`${dir}/${name}`) }));

  it('says once per flow and service how many instances could not be seen there, not once per step of each', () => {
    const novaOnly = of(lintTexts(logs(['nova-api.log', 'nova-compute.log'])), 'flow/missing-step');
    const withCinder = of(
      lintTexts(logs(['nova-api.log', 'nova-compute.log', 'cinder-api.log', 'cinder-volume.log'])),
      'flow/missing-step',
    );
    // The recording attaches and detaches: each flow misses only its cinder-api steps without that log.
    expect(novaOnly.length).toBeGreaterThan(0);
    for (const f of novaOnly) {
      expect(f.severity).toBe('warning');
      expect(f.message).toMatch(
        /: the cinder-api steps \(.+\) of 1 instance could not be seen: no cinder-api log was given/,
      );
    }
    expect(new Set(novaOnly.map((f) => f.message.split(':')[0])).size).toBe(novaOnly.length);
    // With the cinder logs the same instances are checked step by step, and nothing is summed up.
    expect(withCinder.every((f) => !f.message.includes('log was given'))).toBe(true);
  });
});
