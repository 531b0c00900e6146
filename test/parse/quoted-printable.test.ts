// A mail saved whole whose body is quoted-printable (samples/field/launchpad-qp-swap-volume-journal,
// Launchpad's mail of nova bug 1929710): told by its header, its body decoded (soft line breaks
// joined, `=XX` decoded) so the journal it quotes reads as records; without the header, nothing
// is decoded.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runPipelineOnText } from '../../src/pipeline.js';
import { decodeEscapes, QuotedPrintable } from '../../src/parse/quoted-printable.js';

const mail = readFileSync(
  new URL('../../samples/field/launchpad-qp-swap-volume-journal/launchpad-qp-swap-volume-journal.log', import.meta.url),
  'utf8',
);
const lines = mail.split('\n');

describe('quoted-printable mails', () => {
  it('decodes `=XX` runs as UTF-8 and leaves other `=` alone', () => {
    expect(decodeEscapes('status =3D self.get_job_info()')).toBe('status = self.get_job_info()');
    expect(decodeEscapes('=C2=A0=C2=A0100% master')).toBe('\u00a0\u00a0100% master');
    expect(decodeEscapes('BAYES_00=-1.9, flags=0')).toBe('BAYES_00=-1.9, flags=0');
  });

  it("joins the body's soft-broken lines from the blank line after the header on, and only there", () => {
    const qp = new QuotedPrintable();
    const out = lines.slice(0, 113).map((l) => qp.take(l));
    // The headers are read as they are, `=` and all (line 1 names a bounce address with one).
    expect(out.slice(0, 77)).toEqual(Array<undefined>(77).fill(undefined));
    expect(out[77]).toEqual({ text: '** No longer affects: qemu', lines: 1, bytes: 27 });
    expect(qp.decoding).toBe(true);
    // Lines 109-112 end in a soft break: held, then joined with line 113, the record as written.
    expect(out.slice(108, 112)).toEqual([null, null, null, null]);
    expect(out[112]?.lines).toBe(5);
    expect(out[112]?.text).toBe(
      "  May 26 09:49:47.314813 ubuntu-focal-vexxhost-ca-ymq-1-0024823853 nova-compute[114649]: ERROR nova.virt.libvirt.driver [None req-7cfcd661-29d4-4cc3-bc54-db0e7fed1a6e tempest-TestVolumeSwap-1841575704 tempest-TestVolumeSwap-1841575704-project-admin] Failure rebasing volume /dev/sdb on vdb.: libvirt.libvirtError: invalid argument: disk 'vdb' not found in domain",
    );
    // Without the header the same lines are left alone.
    const plain = new QuotedPrintable();
    expect(lines.slice(100, 113).map((l) => plain.take(l))).toEqual(Array<undefined>(13).fill(undefined));
  });

  it("reads the journal the mail quotes: nova-compute's ERROR record and its traceback", () => {
    const { result } = runPipelineOnText([{ name: 'mail.eml', text: mail }], { year: 2021 });
    expect(
      (result.serviceErrors ?? []).map((e) => [e.line, e.service, e.level, e.logger, e.requestId, e.exception]),
    ).toEqual([
      [
        109,
        'nova-compute',
        'ERROR',
        'nova.virt.libvirt.driver',
        'req-7cfcd661-29d4-4cc3-bc54-db0e7fed1a6e',
        "libvirt.libvirtError: invalid argument: disk 'vdb' not found in domain",
      ],
    ]);
    // Every physical line is counted once: joined ones as wrapped.
    const counted = result.inputs.reduce((n, i) => n + i.lines, 0);
    expect(counted).toBe(lines.length - 1);
  });
});
