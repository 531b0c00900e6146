// Service logs at oslo.log's default level (INFO) have the API's request lines but not
// the DEBUG `Action: …, body: {…}` lines: the action of a POST …/action is unknown, not
// absent. A clean real attach/detach (samples/minicloud/01) with every DEBUG line of the
// service logs removed must still replay complete, with no flow finding.
import { describe, expect, it } from 'vitest';
import { runPipelineOnText } from '../../src/pipeline.js';
import { recording } from '../recording.js';

const run = (level: 'DEBUG' | 'INFO') => runPipelineOnText(recording('01-attach-detach', level)).result;

describe('service logs at INFO level (minicloud 01 without its DEBUG lines)', () => {
  it('replays the attach and detach complete, like the DEBUG logs', () => {
    const verdicts = (r: ReturnType<typeof run>) => r.flows.map((f) => [f.flow, f.verdict]);
    const info = run('INFO');
    expect(verdicts(info)).toEqual(verdicts(run('DEBUG')));
    expect(info.flows.map((f) => f.flow)).toEqual(
      expect.arrayContaining(['server/attach-volume', 'server/detach-volume']),
    );
    expect(info.flows.every((f) => f.verdict === 'complete')).toBe(true);
    expect(info.findings.filter((f) => f.ruleId.startsWith('flow/'))).toEqual([]);
  });

  it('leaves the action of a cinder-api POST …/action unknown (absent), never null', () => {
    const posts = run('INFO').exchanges.filter(
      (e) => e.side === 'server' && e.service === 'cinder-api' && e.method === 'POST' && /\/action$/.test(e.path ?? ''),
    );
    expect(posts.length).toBeGreaterThan(0);
    expect(posts.every((e) => e.action === undefined)).toBe(true);
  });

  it("names the failed extend at INFO too (minicloud 12: cinder-api's os-extend body unseen, its INFO lines name it)", () => {
    const of = (level: 'DEBUG' | 'INFO') => {
      const r = runPipelineOnText(recording('12-extend-attached', level)).result;
      return [r.flows.map((f) => [f.flow, f.verdict]), r.findings.filter((f) => f.cause).map((f) => f.cause!.flow)];
    };
    const info = of('INFO');
    expect(info).toEqual(of('DEBUG'));
    expect(info[0]).toContainEqual(['server/extend-volume', 'failed']);
    expect(info[1]).toEqual(['server/extend-volume']);
  });
});
