// When a finished command is handed on: at END, unless it ran with --timing (its
// table comes after END, on stdout) — then at the first line that is not the table,
// so the command's exchanges carry the table's durations when flows and rules see them.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Analyzer } from '../../src/analyze.js';
import type { Command, Exchange } from '../../src/model/schema.js';

const sample = (p: string) => readFileSync(new URL(`../../samples/${p}`, import.meta.url), 'utf8').split('\n');

function feed(lines: string[]) {
  const seen: Array<{ atLine: number; command: Command; exchanges: readonly Exchange[] }> = [];
  let current = 0;
  const analyzer = new Analyzer({
    onCommand: (command, exchanges) => seen.push({ atLine: current, command, exchanges }),
  });
  analyzer.beginInput('client.log');
  for (const l of lines) {
    current++;
    analyzer.pushLine(l);
  }
  analyzer.endInput();
  return seen;
}

describe('a finished command is handed on', () => {
  it('at its END line when it ran without --timing', () => {
    const lines = sample('real-osc/server-add-volume-500.log');
    const end = lines.findIndex((l) => l.startsWith('END return value')) + 1;
    const seen = feed([...lines.slice(0, end), 'START with options: server list']);
    expect(seen[0]!.atLine).toBe(end);
    expect(seen[0]!.command.exitCode).toBe(1);
  });

  for (const file of ['formats/osc-timing-table.log', 'formats/osc-timing-csv.log']) {
    it(`after its --timing table, with the table's durations (${file})`, () => {
      const lines = sample(file);
      const end = lines.findIndex((l) => l.startsWith('END return value')) + 1;
      const seen = feed(lines);
      expect(seen).toHaveLength(1);
      expect(seen[0]!.atLine).toBeGreaterThan(end);
      const timed = seen[0]!.exchanges.filter((e) => e.timing === 'timing-table');
      expect(timed.length).toBeGreaterThanOrEqual(5);
      expect(timed.every((e) => e.durationMs !== null && e.durationMs > 0)).toBe(true);
    });
  }
});
