// Journal exports of one host's services (devstack CI's per-unit screen-*.txt) are separate
// inputs on one clock: the hostname in their records says so. However their lines disagree
// with causality (a callee logging before its caller), no skew is estimated between them;
// the same lines named with two hosts are two clocks, and the disagreement is a skew.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runPipelineOnText } from '../../src/pipeline.js';

const journal = readFileSync(
  new URL('../../samples/multi-service/devstack-attach/devstack.journal.txt', import.meta.url),
  'utf8',
)
  .split('\n')
  .filter((l) => l !== '');
const novaApi = journal.filter((l) => l.includes(' devstack@n-api.service['));
// The other units' lines a minute early: cinder-api then answers nova-api's calls before they are made.
const others = journal.filter((l) => !novaApi.includes(l)).map((l) => l.replace(' 10:15:', ' 10:14:'));

const run = (otherHost: string) =>
  runPipelineOnText([
    { name: 'screen-n-api.txt', text: novaApi.join('\n') },
    { name: 'screen-others.txt', text: others.map((l) => l.replace(' devstack1 ', ` ${otherHost} `)).join('\n') },
  ]).result;

describe('inputs whose records name one host', () => {
  it('share its clock: no skew between them, whatever their lines say', () => {
    const result = run('devstack1');
    expect(result.inputs.map((i) => i.lines)).toEqual([novaApi.length, others.length]);
    expect(result.chains.length).toBeGreaterThan(0);
    expect(result.clockSkews).toEqual([]);
    expect(result.findings.filter((f) => f.ruleId === 'time/clock-skew')).toEqual([]);
  });

  it('on two hosts the same lines are two clocks, and the minute between them is a skew', () => {
    const skews = run('devstack2').clockSkews ?? [];
    expect(skews.length).toBeGreaterThan(0);
    expect(skews[0]!.inputs).toEqual(expect.arrayContaining(['screen-others.txt']));
    expect(Math.abs(skews[0]!.offsetMs ?? 0)).toBeGreaterThan(50_000);
  });
});

// A live log and its logrotate rotations are one service's log on one host. minicloud 01's
// cinder-api.log cut in two where a request was in flight (its request line in the rotated
// file, its answer in the live one): read as two hosts, the cut looks like a 272 ms skew.
describe('a log and its rotations', () => {
  const base = new URL('../../samples/minicloud/01-attach-detach/', import.meta.url);
  const read = (name: string) => readFileSync(new URL(name, base), 'utf8');
  const cinder = read('cinder-api.log').split('\n');
  const half = Math.floor((cinder.length - 1) / 2);
  const split = (older: string, live: string) =>
    runPipelineOnText([
      { name: 'client.log', text: read('client.log') },
      { name: 'nova-api.log', text: read('nova-api.log') },
      { name: 'nova-compute.log', text: read('nova-compute.log') },
      { name: older, text: cinder.slice(0, half).join('\n') },
      { name: live, text: cinder.slice(half).join('\n') },
    ]).result;

  it.each([
    ['logs/cinder/cinder-api.log.1', 'logs/cinder/cinder-api.log'],
    ['logs/cinder/cinder-api.log-20261204.gz', 'logs/cinder/cinder-api.log'],
  ])('share one clock: %s and %s', (older, live) => {
    const result = split(older, live);
    expect(result.clockSkews).toEqual([]);
    expect(result.findings.filter((f) => f.ruleId === 'time/clock-skew')).toEqual([]);
  });

  it('two logs of different names are two clocks, and the same cut is a skew', () => {
    const result = split('logs/a/cinder-api.log', 'logs/b/cinder-api.log');
    expect(result.clockSkews?.length).toBeGreaterThan(0);
  });
});
