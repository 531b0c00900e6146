// gophercloud's error text for a 400 or 403 names the Go client's call (`Bad request with: [POST
// https://…], error message: {body}`): real, a Zuul job-output line of cloud-provider-openstack's
// cinder CSI e2e job (kubernetes/cloud-provider-openstack#1485).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runPipelineOnText } from '../../src/pipeline.js';

const NAME = 'cpo-zuul-gophercloud-attach-400';
const line = readFileSync(new URL(`../../samples/field/${NAME}/${NAME}.log`, import.meta.url), 'utf8');
const calls = (text: string) =>
  runPipelineOnText([{ name: 'job-output.txt', text }]).result.exchanges.map((e) => ({
    call: `${e.method} ${e.path} ${e.status}`,
    requestId: e.requestId,
    message: e.error?.message,
  }));

describe("gophercloud's Bad request error", () => {
  it("is the client's call with its method, path and status; the quoted request id is nova's callee's, in the message", () => {
    expect(calls(line)).toEqual([
      {
        call: 'POST /v2.1/servers/8e02d6ea-c293-4cc2-aac9-8f617df0e382/os-volume_attachments 400',
        requestId: null,
        message:
          'Invalid input received: Invalid volume: Volume b5651fbc-aaf3-4e8c-8fae-0c96b222f103 status must be available or downloading (HTTP 400) (Request-ID: req-d35908e5-0277-4a3e-b6dd-5fead2fbc8af)',
      },
    ]);
  });

  it('reads Request forbidden (403) the same way', () => {
    const forbidden = line.replace('Bad request with:', 'Request forbidden:');
    expect(calls(forbidden).map((c) => c.call)).toEqual([
      'POST /v2.1/servers/8e02d6ea-c293-4cc2-aac9-8f617df0e382/os-volume_attachments 403',
    ]);
  });
});
