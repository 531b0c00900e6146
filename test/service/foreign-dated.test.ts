// Another program's dated line after a record (samples/field/launchpad-qp-swap-volume-journal:
// Launchpad's mail of nova bug 1929710 quotes nova-compute's journal, then libvirtd's log): it
// opens with a timestamp of its own, so it ends the record before it — a service record's
// continuation, a client traceback — and is counted unrecognized with the lines under it.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Tracebacks } from '../../src/chain/assemble/traceback.js';
import { opensWithTimestamp } from '../../src/lex/prefixes.js';
import { parseLine } from '../../src/parse/index.js';
import { runPipelineOnText } from '../../src/pipeline.js';
import { routeRecord } from '../../src/service/route.js';

const mail = readFileSync(
  new URL('../../samples/field/launchpad-qp-swap-volume-journal/launchpad-qp-swap-volume-journal.log', import.meta.url),
  'utf8',
);
const lines = mail.split('\n');
/** Line 178 of the mail, as it is (Launchpad indents the description). */
const LIBVIRTD = '  2021-05-26 09:49:40.189+0000: 79419: info : qemuMonitorSend:993 :';

describe("another program's dated line", () => {
  it('is told by a timestamp of its own at its start', () => {
    expect(lines[177]).toBe(LIBVIRTD);
    expect(opensWithTimestamp(LIBVIRTD)).toBe(true);
    expect(opensWithTimestamp('May 26 09:49:47.314813 ubuntu-focal-vexxhost-ca-ymq-1-0024823853 nova-com')).toBe(true);
    expect(opensWithTimestamp(lines[178]!)).toBe(false); // `  QEMU_MONITOR_SEND_MSG: mon=3D0x7fc4bc07e7d0 …`
    expect(opensWithTimestamp('  2021-05-26 is the day')).toBe(false);
    expect(opensWithTimestamp('  May 2021')).toBe(false);
  });

  it('is a line of its own, indented or not: never the continuation of the service record before it', () => {
    const record = parseLine(LIBVIRTD);
    expect(record.kind).toBe('unrecognized');
    expect(routeRecord(record, { last: 'service', lastWasAccess: false })).toBe('client');
    // indented text without a timestamp still continues the record
    expect(routeRecord(parseLine(lines[178]!), { last: 'service', lastWasAccess: false })).toBe('service-continuation');
  });

  it("ends a record read from entries at a blank line: the libvirtd log's URL under the journal is not its text", () => {
    // lines 172-173: the journal's last entry; 174 blank; 175-176: the URL, broken by the encoding
    const entry = parseLine(`${lines[171]!.slice(0, -1)}${lines[172]!}`);
    expect(entry.prefix?.unit).toBe('nova-compute');
    const url = parseLine('  https://zuul.opendev.org/t/openstack/build/e915ed4aeb9346bba83910bd79e9502b/log/x');
    expect(url.kind).toBe('indented');
    const afterEntry = { last: 'service', lastWasAccess: false, entries: true } as const;
    expect(routeRecord({ kind: 'blank' }, afterEntry)).toBe('client');
    expect(routeRecord(url, { ...afterEntry, ended: true })).toBe('client');
    // right after the entry (a paste's wrapped half) and after an oslo record, text still continues it
    expect(routeRecord(url, afterEntry)).toBe('service-continuation');
    expect(routeRecord({ kind: 'blank' }, { last: 'service', lastWasAccess: false })).toBe('service-continuation');
  });

  it('ends a traceback without being its error line', () => {
    const tb = new Tracebacks();
    tb.start(1);
    expect(
      tb.take(parseLine('    File "/opt/stack/nova/nova/virt/libvirt/driver.py", line 2107, in _swap_volume'), 2),
    ).toBe('taken');
    expect(tb.take(parseLine(LIBVIRTD), 3)).toBe('other');
    expect(tb.take(parseLine("libvirt.libvirtError: invalid argument: disk 'vdb' not found in domain"), 3)).toBe(
      'ended',
    );
  });

  it("ends nova-compute's ERROR record the mail quotes: libvirtd's lines are unrecognized, not its text", () => {
    const { result } = runPipelineOnText([{ name: 'mail.eml', text: mail }], { year: 2021 });
    // the record ends with the journal's last entry (line 172, wrapped on 173)
    expect((result.serviceErrors ?? []).map((e) => [e.line, e.endLine])).toEqual([[109, 172]]);
    const journal = result.inputs.find((i) => i.service === 'nova-compute')!;
    const unrecognized = journal.unrecognized.map((u) => u.line);
    // each libvirtd line (178, 185, …, 231) with the lines under it up to the blank line (after
    // the URL of libvirtd's log, 175, text of no record either)
    expect(unrecognized.filter((l) => l > 176 && l < 192)).toEqual([178, 179, 180, 181, 182, 185, 186, 187, 188, 189]);
    expect(unrecognized.filter((l) => l > 229)).toEqual([231, 232, 233, 234, 236]);
    expect(journal.unrecognized.find((u) => u.line === 178)!.text).toBe(LIBVIRTD);
    // the mail itself runs no OpenStack client at its prompts: no service, not "client"
    expect(result.inputs.find((i) => i.name === 'mail.eml')!.service).toBeNull();
  });
});
