// A failed detach whose cause is an earlier operation (samples/minicloud/12: `volume set
// --size 2` left the volume error_extending, the detach then got 400). Today no rule links
// the two, so the story shows the state the client saw before the detach; a finding that
// names the volume (what a cause-linking rule would make) joins the detach's story.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { explainRun } from '../../src/explain/index.js';
import { runPipelineOnText } from '../../src/pipeline.js';

const dir = fileURLToPath(new URL('../../samples/minicloud/12-extend-attached/', import.meta.url));

function analysis() {
  const names = readdirSync(dir)
    .filter((n) => n.endsWith('.log'))
    .sort();
  return runPipelineOnText(names.map((name) => ({ name, text: readFileSync(`${dir}${name}`, 'utf8') })));
}

describe('explain: a failure caused by an earlier operation (minicloud 12)', () => {
  it('tells the detach 400 at cinder-api and the `error_extending` the volume was in before it', () => {
    const [x, ...rest] = analysis().result.explanations!;
    expect(rest).toEqual([]);
    expect(x!.command).toMatchObject({ name: 'server remove volume', exitCode: 1 });
    expect(x!.firstError).toMatchObject({ service: 'cinder-api', status: 400, source: 'cinder-api.log', line: 208 });
    expect(x!.resource?.states.map((s) => [s.when, s.status])).toEqual([
      ['before', 'error_extending'],
      ['after', 'error_extending'],
    ]);
  });

  it('a finding at the earlier operation that names the volume joins the story of the detach', () => {
    const a = analysis();
    const volume = a.result.explanations![0]!.resource!.id;
    const extend = a.result.commands.find((c) => c.name === 'volume set')!;
    a.result.findings.push({
      ruleId: 'volume/left-in-error',
      severity: 'error',
      message: `\`volume set\` left volume ${volume} in error_extending; later operations on it fail`,
      source: extend.source,
      line: extend.line,
      exchange: null,
    });
    const list = explainRun(a);
    expect(list).toHaveLength(1);
    expect(list[0]!.findings.map((f) => [f.ruleId, f.line])).toContainEqual(['volume/left-in-error', extend.line]);
    expect(list[0]!.text).toContain('left volume');
  });
});
