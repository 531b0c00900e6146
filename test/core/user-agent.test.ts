import { describe, expect, it } from 'vitest';
import { sentByOwnProgram } from '../../src/core/user-agent.js';

const ua = (value: string): Array<[string, string]> => [['User-Agent', value]];

describe('sentByOwnProgram', () => {
  it.each([
    // Real User-Agents of the samples: OpenStack's clients…
    ['openstacksdk/0.101.0 keystoneauth1/5.0.0 python-requests/2.28.1 CPython/3.11.2', false],
    ['python-novaclient', false],
    ['python-cinderclient', false],
    ['osc-lib/2.6.2 keystoneauth1/5.0.0 python-requests/2.28.1 CPython/3.11.2', false],
    ['nova keystoneauth1/5.0.0 python-requests/2.28.1 CPython/3.11.2', false],
    ['keystoneauth1/5.0.0 python-requests/2.28.1 CPython/3.11.2', false],
    // …and users' own programs.
    ['myapp.py keystoneauth1/5.0.0 python-requests/2.28.1 CPython/3.11.2', true],
    ['rebuild_293.py keystoneauth1/5.0.0 python-requests/2.28.1 CPython/3.11.2', true],
    ['volume-audit/1.2 keystoneauth1/5.0.0 python-requests/2.28.1 CPython/3.11.2', true],
  ])('%s → %s', (value, own) => {
    expect(sentByOwnProgram(ua(value))).toBe(own);
  });

  it('unknown when the User-Agent is not logged', () => {
    expect(sentByOwnProgram([['Accept', 'application/json']])).toBe(false);
    expect(sentByOwnProgram(undefined)).toBe(false);
  });
});
