// The seed log of the design document through the whole pipeline.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runPipelineOnText } from '../../src/pipeline.js';

const seed = readFileSync(new URL('../../samples/seed-attach-volume/client.log', import.meta.url), 'utf8');

describe('seed log flow replay', () => {
  it('replays client/server-add-volume complete, explaining its two 404s', () => {
    const { result } = runPipelineOnText([{ name: 'client.log', text: seed }]);
    expect(result.flows).toHaveLength(1);
    const flow = result.flows.at(0)!;
    expect([flow.flow, flow.variant, flow.verdict, flow.command]).toEqual([
      'client/server-add-volume',
      'novaclient',
      'complete',
      1,
    ]);
    const notFound = result.exchanges.filter((e) => e.status === 404).map((e) => e.id);
    expect(notFound).toEqual([3, 7]);
    for (const id of notFound) expect(flow.explains).toContain(id);
    expect(flow.steps.every((s) => s.status === 'matched')).toBe(true);
    expect(result.findings.filter((f) => f.ruleId.startsWith('flow/'))).toEqual([]);
  });

  it('without the POST: incomplete, flow/missing-step on the attach step with an actionable message', () => {
    const text = seed
      .split('\n')
      .filter(
        (l) =>
          !l.includes('os-volume_attachments') &&
          !l.includes('RESP: [200] Connection: close Content-Length: 194') &&
          !l.startsWith('RESP BODY: {"volumeAttachment"'),
      )
      .join('\n');
    const { result } = runPipelineOnText([{ name: 'client.log', text }]);
    const flow = result.flows.at(0)!;
    expect(flow.verdict).toBe('incomplete');
    const attach = flow.steps.find((s) => s.step === 'attach')!;
    expect(attach.status).toBe('missing');
    expect(attach.message).toContain('POST /servers/{server_id}/os-volume_attachments');
    expect(attach.message).toContain('req-7b77e263-520e-4e12-8eb9-8ceee3c7e680');
    const findings = result.findings.filter((f) => f.ruleId === 'flow/missing-step');
    expect(findings.length).toBeGreaterThanOrEqual(1);
    expect(findings.every((f) => f.severity === 'error')).toBe(true);
    expect(findings.some((f) => f.message.includes('attach'))).toBe(true);
  });
});
