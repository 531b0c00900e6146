// A container runtime's log file cuts a long line into `P` parts and the `F` line that ends it
// (containerd's cri logger at max_container_log_line_size, 16 KiB by default; CRI-O's conmon at the
// end of each 8 KiB read). The parts are one logical line: numbered by its first physical line, the
// others counted wrapped. samples/field/crio-partial-osc-resp-body holds a real client run's lines
// in CRI-O's envelope (its expect file says what was built and by which rule); here its analysis
// must be that of the same lines unsplit. The other cases cut that sample's real line elsewhere.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runPipelineOnText } from '../../src/pipeline.js';
import { MAX_LINE_CHARS } from '../../src/input/read.js';

const dir = fileURLToPath(new URL('../../samples/field/crio-partial-osc-resp-body/', import.meta.url));
const split = readFileSync(`${dir}crio-partial-osc-resp-body.log`, 'utf8');
const grepped = readFileSync(`${dir}crio-partial-osc-resp-body-grep-r.log`, 'utf8');
const lines = split.trimEnd().split('\n');
/** The sample's one line the runtime cut: its `P` part (line 41) and its `F` part (line 42). */
const PART = 40;
const CRI_PREFIX_LENGTH = '2026-12-05T01:48:42.041123456+00:00 stderr P '.length;
/** The pod log as it would be had the runtime not cut the line: the `P` part's stamp, the whole text, `F`. */
const unsplit = [
  ...lines.slice(0, PART),
  `${lines[PART]!.slice(0, CRI_PREFIX_LENGTH).replace(' P ', ' F ')}${lines[PART]!.slice(CRI_PREFIX_LENGTH)}${lines[PART + 1]!.slice(CRI_PREFIX_LENGTH)}`,
  ...lines.slice(PART + 2),
];
const body = unsplit[PART]!.slice(CRI_PREFIX_LENGTH);

function analyze(text: string) {
  return JSON.parse(JSON.stringify(runPipelineOnText([{ name: '0.log', text }]).result)) as {
    inputs: Array<{ lines: number; bytes: number; unrecognizedLines: number; kinds: Record<string, number> }>;
    exchanges: Array<{ url: string; line: number; endLine: number; requestId: string | null }>;
    [key: string]: unknown;
  };
}

/**
 * The analysis with the physical lines after the cut line numbered as in the unsplit log (one
 * fewer before them), and without what counts the physical lines (their number, bytes, `wrapped`).
 */
function asUnsplit(value: unknown, after: number): unknown {
  if (Array.isArray(value)) return value.map((v) => asUnsplit(v, after));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (key === 'bytes' || key === 'lines' || key === 'wrapped') continue;
    out[key] =
      (key === 'line' || key === 'endLine') && typeof v === 'number' && v > after ? v - 1 : asUnsplit(v, after);
  }
  return out;
}

describe('a CRI log file’s parts of one line (the runtime cut it)', () => {
  it('the sample reads as the unsplit pod log: one logical line, its F part counted wrapped', () => {
    expect(lines[PART]).toContain(' stderr P RESP BODY: {"servers": [');
    expect(lines[PART]!.length - CRI_PREFIX_LENGTH).toBe(8192);
    const whole = analyze(`${unsplit.join('\n')}\n`);
    const parts = analyze(split);
    expect(whole.inputs[0]!.unrecognizedLines).toBe(0);
    expect(parts.inputs[0]).toMatchObject({ lines: 52, unrecognizedLines: 0 });
    expect(parts.inputs[0]!.kinds.wrapped).toBe(1);
    expect(parts.inputs[0]!.kinds['resp-body']).toBe(3);
    const servers = parts.exchanges.find((e) => e.url.endsWith('/servers/detail'))!;
    expect(servers).toMatchObject({ line: 37, endLine: 43, requestId: 'req-92a8db2a-d650-4b9a-a1a0-a750aa3fe7d4' });
    expect(asUnsplit(parts, PART + 1)).toEqual(asUnsplit(whole, Infinity));
  });

  it('through grep -r’s file prefix: the same, the file the source', () => {
    const parts = analyze(grepped);
    expect(parts.inputs).toHaveLength(1);
    expect(parts.inputs[0]).toMatchObject({ lines: 52, unrecognizedLines: 0 });
    expect(parts.inputs[0]!.kinds.wrapped).toBe(1);
    const plain = analyze(split);
    const withoutSource = (e: object) => ({ ...e, source: null });
    expect(parts.exchanges.map(withoutSource)).toEqual(plain.exchanges.map(withoutSource));
    expect(parts.exchanges).toHaveLength(4);
  });

  // conmon cuts where its read ends, wherever in the read the line began: here 8 bytes into the
  // line (`RESP BOD` then `Y: {…`), where no sign of a hard wrap tells the rest from a line of its own.
  for (const [form, file] of [
    ['the pod log', ''],
    ['grep -r over /var/log/pods', 'podlogs/var/log/pods/openstack_osc_0/openstackclient/0.log:'],
  ]) {
    it(`a cut anywhere in the line: the parts are still one RESP BODY (${form})`, () => {
      const prefix = (tag: string) => `${file}2026-12-05T01:48:42.041123456+00:00 stderr ${tag} `;
      const others = unsplit.map((line) => file + line);
      for (const at of [1, 8, 12, 4096]) {
        const cut = [
          ...others.slice(0, PART),
          prefix('P') + body.slice(0, at),
          prefix('F') + body.slice(at),
          ...others.slice(PART + 1),
        ];
        const parts = analyze(`${cut.join('\n')}\n`);
        expect(parts.inputs, `cut at ${at}`).toHaveLength(1);
        expect(parts.inputs[0], `cut at ${at}`).toMatchObject({ lines: 52, unrecognizedLines: 0 });
        expect(parts.inputs[0]!.kinds, `cut at ${at}`).toMatchObject({ 'resp-body': 3, wrapped: 1 });
      }
    });
  }

  it('many parts (containerd cuts at a smaller max_container_log_line_size): one line', () => {
    const prefix = (tag: string) => `2026-12-05T01:48:42.041123456Z stdout ${tag} `;
    const size = 512;
    const parts: string[] = [];
    for (let at = 0; at < body.length; at += size)
      parts.push(prefix(at + size < body.length ? 'P' : 'F') + body.slice(at, at + size));
    const result = analyze(`${[...unsplit.slice(0, PART), ...parts, ...unsplit.slice(PART + 1)].join('\n')}\n`);
    expect(result.inputs[0]).toMatchObject({ unrecognizedLines: 0 });
    expect(result.inputs[0]!.kinds.wrapped).toBe(parts.length - 1);
    const servers = result.exchanges.find((e) => e.url.endsWith('/servers/detail'))!;
    expect(servers.endLine).toBe(37 + 6 + parts.length - 2);
  });

  // containerd's cri logger writes each stream from its own goroutine, one write a part
  // (pkg/cri/io/logger.go redirectLogs): another stream's line can come between a part and its rest.
  // Read apart, the F part was text of its own (quoted in clear among the unrecognized lines: a
  // secret's tail with it).
  it('another stream’s line between the parts: the parts are still one line, the other line read after it', () => {
    const cut = [
      ...lines.slice(0, PART + 1),
      '2026-12-05T01:48:42.041523456+00:00 stdout F ',
      ...lines.slice(PART + 1),
    ];
    const result = analyze(`${cut.join('\n')}\n`);
    expect(result.inputs[0]).toMatchObject({ lines: 53, unrecognizedLines: 0 });
    expect(result.inputs[0]!.kinds.wrapped).toBe(1);
    expect(result.inputs[0]!.kinds.blank).toBe(2);
    const servers = result.exchanges.find((e) => e.url.endsWith('/servers/detail'))!;
    expect(servers).toMatchObject({ line: 37, endLine: 44, requestId: 'req-92a8db2a-d650-4b9a-a1a0-a750aa3fe7d4' });
  });

  // The real lines of samples/field/nova-operator-cri-grep-neutron (grep -r over a must-gather's
  // /var/log/pods), the first made a `P` part of its record's first 230 characters (inside its
  // message, after its context) and an `F` part of the rest, as if grep printed the part alone.
  describe('through grep, a part whose rest grep left out (it did not match)', () => {
    const grep = readFileSync(
      fileURLToPath(
        new URL(
          '../../samples/field/nova-operator-cri-grep-neutron/nova-operator-cri-grep-neutron.log',
          import.meta.url,
        ),
      ),
      'utf8',
    )
      .trimEnd()
      .split('\n');
    const AT = 230;
    const head = grep[0]!.indexOf(' stdout F ') + ' stdout F '.length;
    const file = grep[0]!.slice(0, grep[0]!.indexOf('.log:') + 5);
    const part = grep[0]!.slice(0, head).replace(' stdout F ', ' stdout P ') + grep[0]!.slice(head, head + AT);
    const rest = grep[0]!.slice(0, head) + grep[0]!.slice(head + AT);
    const numbered = (line: string, n: number) => `${file}${n}:${line.slice(file.length)}`;
    const whole = analyze(`${grep[0]}\n`).inputs[0]!;

    it('without -n: the next dated record is another line, not the rest', () => {
      const result = analyze(`${part}\n${grep[1]}\n`);
      expect(result.inputs[0]).toMatchObject({ lines: 2, unrecognizedLines: 0 });
      expect(result.inputs[0]!.kinds.wrapped).toBeUndefined();
      // … and the rest that follows it is the rest.
      expect(analyze(`${part}\n${rest}\n`).inputs[0]!.kinds).toEqual({ ...whole.kinds, wrapped: 1 });
    });

    it('with -n: a line whose number does not follow the part is another line; the next one is the rest', () => {
      const skipped = analyze(`${numbered(part, 41)}\n${numbered(rest, 43)}\n`).inputs[0]!;
      expect(skipped.kinds.wrapped).toBeUndefined();
      expect(skipped.kinds).toEqual({ ...whole.kinds, continuation: 1 });
      const next = analyze(`${numbered(part, 41)}\n${numbered(rest, 42)}\n`).inputs[0]!;
      expect(next).toMatchObject({ lines: 2, unrecognizedLines: 0 });
      expect(next.kinds).toEqual({ ...whole.kinds, wrapped: 1 });
    });
  });

  it('a runtime that never ends the line: its text kept up to MAX_LINE_CHARS, its length counted', () => {
    const piece = 'x'.repeat(16_384);
    const count = Math.ceil(MAX_LINE_CHARS / piece.length) + 8;
    const text = `${Array.from({ length: count }, (_, i) => `2026-12-05T01:48:42.${String(i).padStart(9, '0')}Z stdout P ${piece}`).join('\n')}\n`;
    const result = runPipelineOnText([{ name: '0.log', text }]).result;
    const input = result.inputs[0]!;
    expect(input.lines).toBe(count);
    expect(input.kinds.wrapped).toBe(count - 1);
    expect(input.cutLines).toEqual({ count: 1, first: [{ line: 1, length: count * piece.length }] });
  });
});
