// docker's json-file log driver (/var/lib/docker/containers/<id>/<id>-json.log; kubelet's
// /var/log/containers/*.log under dockershim): one JSON object a line, the service's line in its
// `log` string with its newline (`\n`); a line over 16 KiB cut into entries, each but the last
// without that newline (moby/moby#34855). analyze reads the string decoded as the line itself, an
// entry without its newline joined with the stream's next entries, like a CRI pod log's P/F parts
// (cri-partial.test.ts). The lines here are samples/field/docker-json-file-attach-driver-error's
// (the real minicloud nova-compute and cinder-api logs in docker's envelope).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Demultiplexer } from '../../src/input/demux.js';
import { runPipelineOnText } from '../../src/pipeline.js';
import { MAX_LINE_CHARS } from '../../src/input/read.js';

const dir = fileURLToPath(new URL('../../samples/field/docker-json-file-attach-driver-error/', import.meta.url));
const wrapped = readFileSync(`${dir}cinder-api-json.log`, 'utf8').trimEnd().split('\n');
const plain = readFileSync(
  fileURLToPath(new URL('../../samples/minicloud/04-attach-driver-error/cinder-api.log', import.meta.url)),
  'utf8',
);
const plainLines = plain.trimEnd().split('\n');
/** The PUT /attachments/{id} answered 500: its record (line 94) opens the exchange whose traceback follows. */
const PUT = 93;

interface Analysis {
  inputs: Array<{ lines: number; unrecognizedLines: number; kinds: Record<string, number> }>;
  exchanges: Array<{
    line: number;
    endLine: number;
    method: string | null;
    status: number | null;
    requestId: string | null;
  }>;
  serviceEvents: unknown[];
  findings: unknown[];
}

function analyze(text: string, name = 'cinder-api.log'): Analysis {
  return JSON.parse(JSON.stringify(runPipelineOnText([{ name, text }]).result)) as Analysis;
}

/** An entry as the daemon writes it, for a stream and the log string's text. */
const entry = (text: string, stream = 'stderr') =>
  `{"log":${JSON.stringify(text)},"stream":"${stream}","time":"2026-12-04T23:21:05.242000000Z"}`;

describe('docker json-file lines', () => {
  it('the log string is the line: decoded, its newline dropped, the stream and cut told', () => {
    const demux = new Demultiplexer();
    const line = String.raw`{"log":"a \"quoted\" path C:\\x\ttab \u00e9\u2028 end\n","stream":"stdout","time":"2026-12-04T23:21:05.242000000Z"}`;
    expect(demux.split(line)).toMatchObject({
      text: 'a "quoted" path C:\\x\ttab é\u2028 end',
      source: null,
      cri: { stream: 'stdout', partial: false, dockerJson: true },
    });
    // A string ended by a backslash and an `n`, not by its newline: a part the daemon cut.
    expect(demux.split(String.raw`{"log":"C:\\n","stream":"stderr","time":"t"}`)).toMatchObject({
      text: 'C:\\n',
      cri: { stream: 'stderr', partial: true, dockerJson: true },
    });
    // moby's --log-opt labels: an `attrs` object before the time.
    expect(demux.split(String.raw`{"log":"x\n","stream":"stderr","attrs":{"tag":"nova"},"time":"t"}`).text).toBe('x');
  });

  it('any other JSON line stays as it is (a client’s body line, a JSON log record)', () => {
    const demux = new Demultiplexer();
    for (const line of [
      '{"log":"x\\n"}',
      '{"log": "x\\n", "stream": "stderr", "time": "t"}',
      '{"log":"x\\n","stream":"stderr"}',
      '{"log":"x\\q","stream":"stderr","time":"t"}',
      '{"servers": [{"id": "1"}]}',
    ]) {
      const split = demux.split(line);
      expect(split).toMatchObject({ text: line, source: null });
      expect(split.cri).toBeUndefined();
    }
  });

  it('the sample reads as the unwrapped log: same lines, exchanges, events, findings', () => {
    const fromDocker = analyze(`${wrapped.join('\n')}\n`);
    const fromLog = analyze(plain);
    expect(fromDocker.inputs[0]).toMatchObject({ lines: 255, unrecognizedLines: 0 });
    expect(fromDocker.inputs[0]!.kinds).toEqual(fromLog.inputs[0]!.kinds);
    expect(fromDocker.exchanges.find((e) => e.status === 500)).toMatchObject({
      line: 94,
      endLine: 214,
      method: 'PUT',
      requestId: 'req-f27771dc-2fb8-48c8-b447-c070283aa664',
    });
    expect({ ...fromDocker, inputs: null }).toEqual({ ...fromLog, inputs: null });
  });

  for (const [form, file] of [
    ['the container’s file', ''],
    ['grep -r over /var/lib/docker/containers', '/var/lib/docker/containers/c0ffee/c0ffee-json.log:'],
  ] as const) {
    it(`a line the daemon cut into entries is one line, a stdout entry between them (${form})`, () => {
      const record = plainLines[PUT]!;
      for (const at of [1, 40, record.length - 1]) {
        const cut = [
          ...wrapped.slice(0, PUT),
          entry(record.slice(0, at)),
          entry('', 'stdout'),
          entry(`${record.slice(at)}\n`),
          ...wrapped.slice(PUT + 1),
        ].map((line) => file + line);
        const result = analyze(`${cut.join('\n')}\n`);
        expect(result.inputs[0], `cut at ${at}`).toMatchObject({ lines: 257, unrecognizedLines: 0 });
        expect(result.inputs[0]!.kinds.wrapped, `cut at ${at}`).toBe(1);
        // Physical numbers: the cut record is line 94, the lines after it one further for each entry more.
        expect(
          result.exchanges.find((e) => e.status === 500),
          `cut at ${at}`,
        ).toMatchObject({
          line: 94,
          endLine: 216,
          method: 'PUT',
        });
      }
    });
  }

  it('a CRI part’s rest is a CRI line: a json-file entry of the same stream after it is a line of its own', () => {
    const record = plainLines[PUT]!;
    const text = `2026-12-04T23:21:05.242000000Z stderr P ${record.slice(0, 40)}\n${entry(`${record.slice(40)}\n`)}\n`;
    expect(analyze(text).inputs[0]!.kinds.wrapped).toBeUndefined();
    expect(analyze(text.replace(' P ', ' F ')).inputs[0]!.lines).toBe(2);
  });

  it('a stream that never ends its line: its text kept up to MAX_LINE_CHARS, its length counted', () => {
    const piece = 'x'.repeat(16_384);
    const count = Math.ceil(MAX_LINE_CHARS / piece.length) + 8;
    const text = `${Array.from({ length: count }, () => entry(piece)).join('\n')}\n`;
    const input = runPipelineOnText([{ name: 'c-json.log', text }]).result.inputs[0]!;
    expect(input.lines).toBe(count);
    expect(input.kinds.wrapped).toBe(count - 1);
    expect(input.cutLines).toEqual({ count: 1, first: [{ line: 1, length: count * piece.length }] });
  });
});
