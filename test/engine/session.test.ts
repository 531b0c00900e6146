// The engine: crashing rules, configuration (file, flags, errors naming the key path), exit threshold.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../src/analyze.js';
import { ConfigError } from '../../src/core/errors.js';
import * as z from '../../src/core/zod.js';
import { parseConfigText, parseRuleFlag, readConfigFile, resolveConfig } from '../../src/config/load.js';
import { atLeast, LintSession } from '../../src/engine/index.js';
import { defineRule, type AnyRule } from '../../src/engine/types.js';
import { finishPipeline } from '../../src/pipeline.js';
import { allRules } from '../../src/rules/index.js';
import { sample } from '../rules/helpers.js';

const SEED = sample('samples/seed-attach-volume/client.log');

function run(rules: AnyRule[], text = SEED) {
  const session = new LintSession(rules, resolveConfig(rules, null));
  const analysis = analyzeText([{ name: 'client.log', text }], session.hooks());
  finishPipeline(analysis, { lint: session });
  return [...analysis.result.findings];
}

describe('LintSession', () => {
  const exploding = defineRule({
    meta: { id: 'test/exploding', defaultSeverity: 'error', description: 'd', docs: 'd', options: z.strictObject({}) },
    create: () => ({
      onExchange(e) {
        if (e.status === 404) throw new Error('boom on 404');
      },
    }),
  });
  const counting = defineRule({
    meta: { id: 'test/counting', defaultSeverity: 'info', description: 'd', docs: 'd', options: z.strictObject({}) },
    create: (ctx) => ({
      onCommand(c, exchanges) {
        ctx.report({ source: c.source, line: c.line, message: `${exchanges.length} exchanges` });
      },
    }),
  });

  it('turns a throwing rule into one rule-crashed finding naming it; the other rules go on', () => {
    const findings = run([exploding, counting]);
    const crashed = findings.filter((f) => f.ruleId === 'rule-crashed');
    expect(crashed).toHaveLength(1);
    expect(crashed[0]).toMatchObject({ severity: 'error', line: 16 });
    expect(crashed[0]!.message).toContain('rule test/exploding crashed (boom on 404)');
    expect(findings.filter((f) => f.ruleId === 'test/counting').map((f) => f.message)).toEqual(['9 exchanges']);
  });

  it('gives onCommand the exchanges of that command, streamed before it', () => {
    expect(run([counting])[0]!.message).toBe('9 exchanges');
  });

  it('replays a finished analysis when no events were streamed (analyze)', () => {
    const session = new LintSession([counting], resolveConfig([counting], null));
    const analysis = analyzeText([{ name: 'client.log', text: SEED }]);
    finishPipeline(analysis, { lint: session });
    expect(analysis.result.findings.map((f) => f.message)).toEqual(['9 exchanges']);
  });
});

describe('configuration', () => {
  const rules = allRules();
  it('applies file settings, group wildcards and --rule flags (flags win)', () => {
    const file = {
      path: 'c.json',
      config: parseConfigText(
        JSON.stringify({
          failOn: 'warning',
          rules: {
            'api/deprecated': 'error',
            'known-bug/*': 'info',
            'perf/slow-call': { options: { thresholdMs: 100 } },
          },
        }),
        'c.json',
      ),
    };
    const config = resolveConfig(rules, file, [parseRuleFlag('api/deprecated=off')]);
    expect(config.failOn).toBe('warning');
    expect(config.rules.get('api/deprecated')?.severity).toBe('off');
    expect(config.rules.get('known-bug/lp-2004555')?.severity).toBe('info');
    expect(config.rules.get('perf/slow-call')).toEqual({
      severity: 'warning',
      options: { thresholdMs: 100 },
      explicit: false,
    });
  });

  it('names the key path of a bad option, an unknown rule, a bad severity', () => {
    const bad = (json: unknown) => () =>
      resolveConfig(rules, { path: 'c.json', config: parseConfigText(JSON.stringify(json), 'c.json') });
    expect(bad({ rules: { 'perf/slow-call': { options: { thresholdMs: 'fast' } } } })).toThrow(
      /^c\.json: rules\["perf\/slow-call"\]\.options\.thresholdMs: /,
    );
    expect(bad({ rules: { 'perf/slow-call': { options: { treshold: 1 } } } })).toThrow(
      /rules\["perf\/slow-call"\]\.options: .*treshold/,
    );
    expect(bad({ rules: { 'no/such-rule': 'error' } })).toThrow('c.json: rules["no/such-rule"]: unknown rule');
    expect(bad({ rules: { 'api/deprecated': 'fatal' } })).toThrow(
      /^c\.json: rules\["api\/deprecated"\]: expected "off", "info", "warning", "error" or .*, got "fatal"/,
    );
    expect(bad({ failOn: 'never' })).toThrow(/^c\.json: failOn: /);
    expect(() => parseConfigText('{ nope', 'c.json')).toThrow(/^c\.json: invalid JSON/);
    // a byte-order mark before the JSON is read past (found fuzzing the built CLI)
    expect(parseConfigText('\uFEFF{ "failOn": "warning" }', 'c.json')).toEqual({ failOn: 'warning' });
    expect(() => parseRuleFlag('api/deprecated')).toThrow(ConfigError);
    expect(() => resolveConfig(rules, null, [['nope/x', 'off']])).toThrow('--rule nope/x: unknown rule');
  });

  it('reads ostrace.config.json from the directory only when present; --config must exist', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ostrace-cfg-'));
    expect(await readConfigFile(undefined, dir)).toBeNull();
    await expect(readConfigFile(join(dir, 'missing.json'), dir)).rejects.toThrow(/missing\.json: no such file/);
    writeFileSync(join(dir, 'ostrace.config.json'), '{"rules": {"api/deprecated": "off"}}');
    expect((await readConfigFile(undefined, dir))?.config.rules).toEqual({ 'api/deprecated': 'off' });
    rmSync(dir, { recursive: true, force: true });
  });

  it('orders severities for --fail-on', () => {
    expect(atLeast('error', 'warning')).toBe(true);
    expect(atLeast('info', 'warning')).toBe(false);
    expect(atLeast('warning', 'warning')).toBe(true);
  });
});
