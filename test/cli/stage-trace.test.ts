// OSTRACE_TRACE_STAGES=1: how the program was compiled, then one line per stage on standard error, the report unchanged.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ostrace, root } from './built-cli.js';

const seed = 'samples/seed-attach-volume/client.log';

describe('OSTRACE_TRACE_STAGES', () => {
  it('traces every stage in order, with its time, the peak RSS so far, the RSS now and the heap', () => {
    const traced = spawnSync(
      process.execPath,
      [join(root, 'dist/bin/ostrace.js'), 'analyze', '--format', 'json', seed],
      {
        cwd: root,
        encoding: 'utf8',
        env: { ...process.env, OSTRACE_TRACE_STAGES: '1' },
      },
    );
    expect(traced.status).toBe(0);
    const [compiled, ...lines] = traced.stderr.trimEnd().split('\n');
    // first, how the program was compiled (src/cli/program-loader.ts): from the build's code cache
    expect(compiled).toMatch(/^ostrace: program compiled in \d+ ms \(code cache\)$/);
    expect(lines.map((l) => /^ostrace: stage (\w+) /.exec(l)?.[1])).toEqual([
      'read',
      'chains',
      'flows',
      'stats',
      'rules',
      'explain',
      'report',
    ]);
    for (const l of lines)
      expect(l).toMatch(/ \d+\.\d\d s {2}peak RSS +\d+ MB {2}now +\d+ MB {2}heap +\d+ MB of +\d+$/);
    const peaks = lines.map((l) => Number(/peak RSS +(\d+)/.exec(l)![1]));
    expect(peaks).toEqual([...peaks].sort((a, b) => a - b));
    expect(traced.stdout).toBe(ostrace(['analyze', '--format', 'json', seed]).stdout);
  });

  it("with `steps`, traces the read's and the chains stage's steps too, each before its stage's own line", () => {
    const dir = 'samples/multi-service/minicloud-attach';
    const logs = ['client.log', 'nova-api.log', 'nova-compute.log', 'cinder-api.log', 'cinder-volume.log'];
    const traced = spawnSync(
      process.execPath,
      [join(root, 'dist/bin/ostrace.js'), 'analyze', '--format', 'json', ...logs.map((l) => join(dir, l))],
      { cwd: root, encoding: 'utf8', env: { ...process.env, OSTRACE_TRACE_STAGES: 'steps' } },
    );
    expect(traced.status).toBe(0);
    const names = traced.stderr
      .trimEnd()
      .split('\n')
      .slice(1)
      .map((l) => /^ostrace: +(stage \w+|step \w+: [\w ]+?) +(?:\d|peak)/.exec(l)?.[1]);
    expect(names.slice(0, 16)).toEqual([
      'step read: inputs',
      'step read: server exchanges',
      'stage read',
      'step chains: span nodes',
      'step chains: nodes',
      'step chains: groups',
      'step chains: clocks',
      'step chains: request ids',
      'step chains: resource UUIDs',
      'step chains: linked',
      'step chains: children',
      'step chains: roots',
      'step chains: written',
      'stage chains',
      'stage flows',
      'stage stats',
    ]);
  });

  it('is silent without the variable', () => {
    expect(ostrace(['analyze', '--format', 'json', seed]).stderr).toBe('');
  });
});
