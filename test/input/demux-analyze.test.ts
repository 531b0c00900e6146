// A stream of many sources read as the separate files it came from: GNU grep runs here
// over the real minicloud recording (samples/multi-service/minicloud-attach), and the
// grep'd service logs, with client.log given alone, must give the chains and flows the
// separate files give.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyzeText, SOURCE_SEPARATOR } from '../../src/analyze.js';
import { runPipelineOnText } from '../../src/pipeline.js';

const recording = fileURLToPath(new URL('../../samples/multi-service/minicloud-attach/', import.meta.url));
const grepSample = fileURLToPath(new URL('../../samples/field/grep-attach/grep-attach.log', import.meta.url));
/** The recording's service logs, in the order its expectation gives them (client.log stays apart). */
const SERVICE_LOGS = (
  JSON.parse(readFileSync(`${recording}minicloud-attach.expect.json`, 'utf8')) as { inputs: string[] }
).inputs.filter((name) => name !== 'client.log');
const read = (name: string) => ({ name, text: readFileSync(`${recording}${name}`, 'utf8') });

/** Without line numbers (a stream numbers its own lines) and with each source by its own name. */
function normalized(value: unknown, physical: string): unknown {
  const json = JSON.stringify(value, (key, v: unknown) =>
    /^(line|lines|firstLine|lastLine|previousLine|startLine|endLine)$/.test(key) ? undefined : v,
  );
  // Line nodes of chains are named `line:SOURCE:N`.
  return JSON.parse(
    json.replaceAll(`${physical}${SOURCE_SEPARATOR}`, '').replace(/"line:([^"]+):\d+"/g, '"line:$1:#"'),
  ) as unknown;
}

describe('a grep of the service logs, analyzed', () => {
  const separate = runPipelineOnText([read('client.log'), ...SERVICE_LOGS.map(read)]).result;
  const stream = execFileSync('grep', ['-n', '', ...SERVICE_LOGS], { cwd: recording, encoding: 'utf8' });
  const grepped = runPipelineOnText([read('client.log'), { name: 'grep.txt', text: stream }]).result;

  it('splits the stream into one input per file, labelled by its name, each line at its line in the stream', () => {
    expect(grepped.inputs.map((i) => [i.name, i.service])).toEqual(
      separate.inputs.map((i) => [
        i.name === 'client.log' ? i.name : `grep.txt${SOURCE_SEPARATOR}${i.name}`,
        i.service,
      ]),
    );
    expect(grepped.inputs.every((i) => i.unrecognizedLines === 0)).toBe(true);
    const lines = stream.split('\n');
    for (const x of grepped.exchanges.filter((e) => e.side === 'server'))
      expect(lines[x.line - 1], x.source).toContain(x.source.split(SOURCE_SEPARATOR)[1]!);
  });

  it('gives the server exchanges, chains and flows of the separate files', () => {
    const server = (r: typeof separate) => r.exchanges.filter((e) => e.side === 'server');
    expect(normalized(server(grepped), 'grep.txt')).toEqual(normalized(server(separate), 'grep.txt'));
    expect(grepped.chains.length).toBeGreaterThan(0);
    expect(normalized(grepped.chains, 'grep.txt')).toEqual(normalized(separate.chains, 'grep.txt'));
    expect(grepped.flows.length).toBeGreaterThan(0);
    expect(normalized(grepped.flows, 'grep.txt')).toEqual(normalized(separate.flows, 'grep.txt'));
  });
});

describe('the grep -rn -C2 sample (samples/field/grep-attach)', () => {
  it("gives each server exchange of the grep'd lines as the original files give it", () => {
    const original = runPipelineOnText(SERVICE_LOGS.map(read)).result.exchanges.filter((e) => e.side === 'server');
    const sample = runPipelineOnText([{ name: 'grep-attach.log', text: readFileSync(grepSample, 'utf8') }]).result;
    const server = sample.exchanges.filter((e) => e.side === 'server');
    expect(server.length).toBeGreaterThan(5);
    for (const x of server) {
      const o = original.find((e) => e.requestId === x.requestId)!;
      expect(o, x.requestId ?? '').toBeDefined();
      expect(x.source.endsWith(`/${o.source}`)).toBe(true);
      // A context line that ends a request whose start grep left out: what is there matches.
      const keys =
        x.method === null ? (['path', 'status'] as const) : (['method', 'path', 'status', 'serverTimeMs'] as const);
      for (const k of keys) expect(x[k], `${x.requestId} ${k}`).toEqual(o[k]);
    }
  });
});

describe('docker-compose 1.29 output recorded here (samples/field/compose-v1-*), analyzed', () => {
  // Four containers each printed one service log of the recording (the uwsgi logs and client.log
  // left out): nova_api_1 printed nova-api.log.
  const fileOf = (container: string) => container.replace(/^([a-z]+)_([a-z]+)_1$/, '$1-$2.log');
  const asFile = (value: unknown) =>
    JSON.parse(JSON.stringify(value).replace(/\b[a-z]+_[a-z]+_1\b/g, fileOf)) as unknown;

  for (const name of ['compose-v1-logs-attach', 'compose-v1-logs-timestamps-attach', 'compose-v1-up-attach']) {
    it(`${name}: one input per container, labelled from its name, with the exchanges, chains and flows of the files`, () => {
      const path = fileURLToPath(new URL(`../../samples/field/${name}/${name}.log`, import.meta.url));
      const physical = `${name}.log`;
      const { result } = runPipelineOnText([{ name: physical, text: readFileSync(path, 'utf8') }]);
      // compose's own lines (`Attaching to …`, progress, exits) are the stream's input, as separators.
      const own = result.inputs[0]!;
      expect([own.name, own.service, own.unrecognizedLines, own.lines]).toEqual([
        physical,
        null,
        0,
        own.kinds.separator,
      ]);
      expect(
        result.inputs
          .slice(1)
          .map((i) => [i.name, i.service, i.unrecognizedLines])
          .sort(),
      ).toEqual(
        [
          ['cinder_api_1', 'cinder-api'],
          ['cinder_volume_1', 'cinder-volume'],
          ['nova_api_1', 'nova-api'],
          ['nova_compute_1', 'nova-compute'],
        ].map(([c, s]) => [`${physical}${SOURCE_SEPARATOR}${c}`, s, 0]),
      );
      // The files given apart in the order the stream first names them (ids follow the inputs' order).
      const containers = result.inputs.slice(1).map((i) => i.name.split(SOURCE_SEPARATOR)[1]!);
      const separate = runPipelineOnText(containers.map((c) => read(fileOf(c)))).result;
      expect(result.exchanges.length).toBe(14);
      expect(asFile(normalized(result.exchanges, physical))).toEqual(normalized(separate.exchanges, physical));
      expect(asFile(normalized(result.chains, physical))).toEqual(normalized(separate.chains, physical));
      expect(result.flows.map((f) => [f.flow, f.verdict])).toEqual([['server/attach-volume', 'complete']]);
      expect(asFile(normalized(result.flows, physical))).toEqual(normalized(separate.flows, physical));
    });
  }
});

describe('sources named by kubectl, docker compose and --label', () => {
  const access = (id: string, time: string) =>
    `2024-03-01 10:00:00.000 1 INFO nova.api.openstack.requestlog [None ${id} - - - - - -] 10.0.0.1 "GET /v2.1/servers" status: 200 len: 10 microversion: 2.1 time: ${time}`;

  it('labels each pod or container from its name, and --label still matches the base name of a source', () => {
    const text = [
      `[pod/nova-api-0/nova-api-osapi] ${access('req-1', '0.01')}`,
      `nova_api-1  | ${access('req-2', '0.02')}`,
      `cinder_volume-1 | 2024-03-01 10:00:01.000 7 INFO cinder.volume.manager [-] Driver initialized`,
    ];
    const kube = analyzeText([{ name: 'k.txt', text: `${text[0]}\n` }]).result;
    expect(kube.inputs.map((i) => [i.name, i.service])).toEqual([
      [`k.txt${SOURCE_SEPARATOR}pod/nova-api-0/nova-api-osapi`, 'nova-api'],
    ]);
    expect(kube.exchanges.map((e) => [e.line, e.method, e.status, e.serverTimeMs])).toEqual([[1, 'GET', 200, 10]]);
    const compose = analyzeText([{ name: 'c.txt', text: `${text[1]}\n${text[2]}\n` }]).result;
    expect(compose.inputs.map((i) => [i.name, i.service, i.lines])).toEqual([
      [`c.txt${SOURCE_SEPARATOR}nova_api-1`, 'nova-api', 1],
      [`c.txt${SOURCE_SEPARATOR}cinder_volume-1`, 'cinder-volume', 1],
    ]);
    const labelled = analyzeText([{ name: 'g.txt', text: `/var/log/x/api.log:${access('req-3', '0.03')}\n` }], {
      labels: new Map([['api.log', 'nova-api']]),
    }).result;
    expect(labelled.inputs.map((i) => [i.name, i.service])).toEqual([
      [`g.txt${SOURCE_SEPARATOR}/var/log/x/api.log`, 'nova-api'],
    ]);
  });
});

describe('a command naming one log, then what it printed', () => {
  // GNU head over the recording's cinder-api uwsgi log: two `GET /v3/` lines that name no
  // logger and no API of their own; only the file the command read tells whose they are.
  const printed = execFileSync('head', ['-n', '2', 'cinder-api-uwsgi.log'], { cwd: recording, encoding: 'utf8' });

  it('reads the lines as that file, labelled by its name, at a prompt or without one', () => {
    for (const command of ['$ head -n 2 cinder-api-uwsgi.log', 'sudo head -n 2 cinder-api-uwsgi.log']) {
      const { result } = analyzeText([{ name: 'paste.txt', text: `${command}\n${printed}` }]);
      expect(result.inputs.map((i) => [i.name, i.service, i.lines, i.unrecognizedLines])).toEqual([
        ['paste.txt', null, 1, 0],
        [`paste.txt${SOURCE_SEPARATOR}cinder-api-uwsgi.log`, 'cinder-api', 2, 0],
      ]);
    }
    // Alone, the same lines name no service.
    expect(analyzeText([{ name: 'paste.txt', text: printed }]).result.inputs[0]!.service).toBeNull();
  });

  it("ends the named log's block at the next command", () => {
    const text = `$ head -n 2 cinder-api-uwsgi.log\n${printed}$ openstack volume list\n${printed}`;
    const { result } = analyzeText([{ name: 'paste.txt', text }]);
    expect(result.inputs.map((i) => [i.name, i.lines])).toEqual([
      ['paste.txt', 4],
      [`paste.txt${SOURCE_SEPARATOR}cinder-api-uwsgi.log`, 2],
    ]);
  });
});
