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
