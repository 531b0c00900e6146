// The pipeline: lines → records (lex/parse) → exchanges and commands (assembler)
// → a RunResult. Each input has its own assembler; ids are global and follow the
// order in which inputs are given.
import { Assembler, type AssemblerSink, type ExchangeDetail } from './chain/assembler.js';
import { SCHEMA_VERSION, type Command, type Exchange, type Input, type RunResult } from './model/schema.js';
import { parseLine } from './parse/index.js';
import type { LineSource } from './input/read.js';
import { maskText } from './secrets/mask.js';
import { TOOL_VERSION } from './version.js';

export interface AnalyzeOptions {
  /** Keep headers and bodies of each exchange (HTML details); off by default to save memory. */
  keepDetails?: boolean;
  /** How many unrecognized lines to keep per input (all are counted). */
  keepUnrecognized?: number;
  /** Called with (bytes read, total size) as input is consumed. */
  onProgress?: (source: LineSource) => void;
}

export interface Analysis {
  result: RunResult;
  details: Map<number, ExchangeDetail>;
}

const MAX_KEPT_TEXT = 300;

/** Streams lines through the pipeline; usable line by line (tests) or from LineSources. */
export class Analyzer implements AssemblerSink {
  private readonly exchanges: Exchange[] = [];
  private readonly commands: Command[] = [];
  private readonly inputs: Input[] = [];
  readonly details = new Map<number, ExchangeDetail>();
  private exchangeId = 0;
  private commandId = 0;
  private assembler: Assembler | null = null;
  private input: Input | null = null;
  private lineNo = 0;
  private readonly ids = {
    nextExchangeId: () => ++this.exchangeId,
    nextCommandId: () => ++this.commandId,
  };

  constructor(private readonly options: AnalyzeOptions = {}) {}

  beginInput(name: string): void {
    this.endInput();
    this.input = { name, lines: 0, bytes: 0, unrecognizedLines: 0, unrecognized: [], kinds: {} };
    this.assembler = new Assembler(name, this.ids, this);
    this.lineNo = 0;
  }

  pushLine(text: string): void {
    if (!this.input || !this.assembler) this.beginInput('<input>');
    const input = this.input!;
    const line = ++this.lineNo;
    input.lines++;
    input.bytes += Buffer.byteLength(text) + 1;
    const record = parseLine(text);
    const recognized = this.assembler!.push(record, line);
    const kind = recognized ? record.kind : 'unrecognized';
    input.kinds[kind] = (input.kinds[kind] ?? 0) + 1;
    if (!recognized) {
      input.unrecognizedLines++;
      if (input.unrecognized.length < (this.options.keepUnrecognized ?? 100)) {
        const t = maskText(text);
        input.unrecognized.push({ line, text: t.length > MAX_KEPT_TEXT ? `${t.slice(0, MAX_KEPT_TEXT)}…` : t });
      }
    }
  }

  endInput(bytes?: number): void {
    if (!this.input || !this.assembler) return;
    this.assembler.end(this.lineNo);
    if (bytes !== undefined) this.input.bytes = bytes;
    this.inputs.push(this.input);
    this.input = null;
    this.assembler = null;
  }

  exchange(exchange: Exchange, detail: ExchangeDetail): void {
    this.exchanges.push(exchange);
    if (this.options.keepDetails) this.details.set(exchange.id, detail);
  }

  command(command: Command): void {
    this.commands.push(command);
  }

  finish(): Analysis {
    this.endInput();
    const byId = (a: { id: number }, b: { id: number }) => a.id - b.id;
    return {
      result: {
        schemaVersion: SCHEMA_VERSION,
        tool: { name: 'ostrace', version: TOOL_VERSION },
        inputs: this.inputs,
        commands: this.commands.sort(byId),
        exchanges: this.exchanges.sort(byId),
        findings: [],
        chains: [],
        flows: [],
        stats: null,
      },
      details: this.details,
    };
  }
}

/** Analyze whole sources, reading them as streams. */
export async function analyzeSources(sources: LineSource[], options: AnalyzeOptions = {}): Promise<Analysis> {
  const analyzer = new Analyzer(options);
  for (const source of sources) {
    analyzer.beginInput(source.name);
    let n = 0;
    for await (const line of source.lines()) {
      analyzer.pushLine(line);
      if (options.onProgress && (++n & 0x3fff) === 0) options.onProgress(source);
    }
    analyzer.endInput(source.bytesRead());
  }
  return analyzer.finish();
}

/** Analyze in-memory text (tests, programmatic use). */
export function analyzeText(inputs: Array<{ name: string; text: string }>, options: AnalyzeOptions = {}): Analysis {
  const analyzer = new Analyzer(options);
  for (const { name, text } of inputs) {
    analyzer.beginInput(name);
    const lines = text.split(/\r?\n/);
    if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    for (const line of lines) analyzer.pushLine(line);
    analyzer.endInput(Buffer.byteLength(text));
  }
  return analyzer.finish();
}
