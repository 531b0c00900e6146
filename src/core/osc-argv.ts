// What an osc command line says without --debug: which command it ran and its positional
// arguments. Global options come before the command (cliff parses them first), so the command
// is the first place its words appear; after them, the options of its parser.

/**
 * The options after a command's words that take a value: osc's show/list formatters, and those of
 * `server add volume`, `volume create|set|list` (openstackclient/volume/v3/volume.py).
 */
const TAKES_VALUE: ReadonlySet<string> = new Set([
  '-f',
  '--format',
  '-c',
  '--column',
  '--prefix',
  '--max-width',
  '--sort-column',
  '--device',
  '--tag',
  '--name',
  '--status',
  '--project',
  '--project-domain',
  '--user',
  '--user-domain',
  '--limit',
  '--marker',
  '--size',
  '--type',
  '--image',
  '--snapshot',
  '--source',
  '--description',
  '--availability-zone',
  '--property',
  '--image-property',
  '--hint',
  '--consistency-group',
  '--backup',
  '--retype-policy',
  '--state',
  '--host',
  '--cluster',
]);

/** Where `words` (`['server', 'add', 'volume']`) begin in argv, or -1. */
export function commandStart(argv: readonly string[], words: readonly string[]): number {
  for (let i = 0; i + words.length <= argv.length; i++) {
    if (words.every((w, k) => argv[i + k] === w)) return i;
    // Only global options (and their values) come before the command's first word.
    if (!argv[i]!.startsWith('-') && (i === 0 || !argv[i - 1]!.startsWith('-'))) return -1;
  }
  return -1;
}

/** The positional arguments after the command's words (`server add volume vm1 vol1` → vm1, vol1); null: not that command. */
export function positionalsOf(argv: readonly string[], words: readonly string[]): string[] | null {
  const start = commandStart(argv, words);
  if (start < 0) return null;
  const out: string[] = [];
  for (let i = start + words.length; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      out.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('-') && a.length > 1) {
      if (!a.includes('=') && TAKES_VALUE.has(a)) i++;
      continue;
    }
    out.push(a);
  }
  return out;
}
