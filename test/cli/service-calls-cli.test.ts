// Issue #12: a service's own calls, end to end through the built CLI (npx tsc -p . first), on
// the real samples: the calling service and request in `analyze`'s JSON, the record's story in
// `explain`, and the failed call of minicloud 04 told once with the callee's log beside it.
import { describe, expect, it } from 'vitest';
import { ostrace } from './built-cli.js';

interface Row {
  line: number;
  side: string;
  status: number | null;
  requestId: string | null;
  caller?: { service: string | null; requestId: string | null; seen: string };
}

const nova500 = 'samples/field/nova-compute-attachment-update-500/';

describe("a service's own calls from the CLI", () => {
  it("analyze names the calling service and request of nova-compute's failed call to cinder", () => {
    const r = ostrace(['analyze', '--format', 'json', nova500]);
    expect(r.code, r.stderr).toBe(0);
    const rows = (JSON.parse(r.stdout) as { exchanges: Row[] }).exchanges;
    expect(rows.map((e) => [e.line, e.side, e.status, e.requestId, e.caller])).toEqual([
      [
        2,
        'client',
        500,
        'req-54e14a81-475d-4f74-bdf4-bd3ec3210955',
        { service: 'nova-compute', requestId: 'req-50e5907e-f5ee-41ac-bbbc-078eb04d421b', seen: 'error-text' },
      ],
    ]);
  });

  it('explain tells the record once and where to look for the answer', () => {
    const r = ostrace(['explain', nova500]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('1 problem');
    expect(r.stdout.replace(/\s+/g, ' ')).toContain(
      'It quotes the answer to its own call: HTTP 500, request id req-54e14a81-475d-4f74-bdf4-bd3ec3210955 of the service it called, which no given log shows',
    );
    expect(ostrace(['lint', nova500]).stdout).toContain('0 errors, 1 warning');
  });

  it('explain names the called service and its log when the record names it (placement), else says it is unknown', () => {
    // a real Rocky `cat nova-compute.log | grep placement` (its source in the expect file)
    const r = ostrace(['explain', '--format', 'json', 'samples/field/grep-report-client-401/']);
    expect(r.code).toBe(1);
    const [story] = (
      JSON.parse(r.stdout) as {
        explanations: Array<{ text: string; loggedCall: { service: string | null }; grep: Array<{ logs: string[] }> }>;
      }
    ).explanations;
    expect(story!.loggedCall.service).toBe('placement');
    expect(story!.text).toContain(
      "HTTP 401, request id req-5d53d9f5-99a8-4ce3-9579-92d93ec5f31f of placement, which no given log shows: placement's log tells why.",
    );
    expect(story!.grep.map((g) => g.logs)).toEqual([['the placement log']]);
    const cinder = JSON.parse(ostrace(['explain', '--format', 'json', nova500]).stdout) as {
      explanations: Array<{ loggedCall: { service: string | null }; grep: Array<{ logs: string[] }> }>;
    };
    expect(cinder.explanations[0]!.loggedCall.service).toBeNull();
    expect(cinder.explanations[0]!.grep.map((g) => g.logs)).toContainEqual(['the log of the service it called']);
  });

  it("lint tells minicloud 04's failed attachment update at cinder-api, not again at nova-compute's record of it", () => {
    const r = ostrace([
      'lint',
      'samples/minicloud/04-attach-driver-error/nova-compute.log',
      'samples/minicloud/04-attach-driver-error/cinder-api.log',
    ]);
    const http = r.stdout.split('\n').filter((l) => l.includes('http/server-error'));
    expect(http).toHaveLength(1);
    expect(http[0]).toMatch(/^samples\/minicloud\/04-attach-driver-error\/cinder-api\.log:94 /);
  });

  it("the text report's chain and the OTLP trace tell the call as the calling service's", () => {
    const text = ostrace(['analyze', nova500]).stdout;
    expect(text).toContain("└─ request-id: nova-compute's call ? ? → 500  req-54e14a81-475d-4f74-bdf4-bd3ec3210955");
    const dir = 'samples/minicloud/21-extend-attached-ok/';
    const otlp = JSON.parse(
      ostrace(['analyze', '--format', 'otlp', `${dir}cinder-volume.log`, `${dir}nova-api.log`]).stdout,
    ) as {
      resourceSpans: Array<{
        resource: { attributes: Array<{ key: string; value: { stringValue?: string } }> };
        scopeSpans: Array<{ spans: Array<{ name: string; kind: number }> }>;
      }>;
    };
    const clientSpans = otlp.resourceSpans.flatMap((rs) =>
      rs.scopeSpans.flatMap((ss) =>
        ss.spans
          .filter((sp) => sp.kind === 3)
          .map((sp) => [rs.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue, sp.name]),
      ),
    );
    expect(clientSpans).toEqual([['cinder-volume', 'POST /v2.1/os-server-external-events']]);
  });
});
