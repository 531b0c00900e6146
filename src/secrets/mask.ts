// Masking of secrets in text that ostrace prints. Every reporter goes through
// these helpers, so a secret reaches output only with --show-secrets.
import { findSecrets, MASK, redactLine, SECRET_OPTIONS, secretValueFollows } from '../redact/spans.js';

const SECRET_OPTION_SET = new Set(SECRET_OPTIONS);

export { MASK };

/**
 * argv with the values of secret options masked (`--os-password X`, `--os-password=X`), and
 * whatever else the line scan calls a secret: a START line that runs on past its end (a log
 * whose lines end in CR alone is one line) holds the log's bodies and headers as words.
 */
export function maskArgv(argv: readonly string[]): string[] {
  return maskWords(maskOptions(argv));
}

/** `words` with the part of each that a secret found in them (joined by spaces) covers masked. */
function maskWords(words: string[]): string[] {
  const spans = findSecrets(words.join(' '));
  if (spans.length === 0) return words;
  let next = 0;
  return words.map((w) => {
    const from = next;
    const to = from + w.length;
    next = to + 1;
    let masked = '';
    let at = from;
    for (const sp of spans) {
      if (sp.end <= at || sp.start >= to) continue;
      masked += w.slice(at - from, Math.max(sp.start, at) - from) + MASK;
      at = Math.min(sp.end, to);
    }
    return at === from ? w : masked + w.slice(at - from);
  });
}

function maskOptions(argv: readonly string[]): string[] {
  const out: string[] = [];
  // A flag's meaning can hang on the command before it (`share security service unset --password svc`).
  let line: string | null = null;
  let at = 0;
  for (let i = 0; i < argv.length; at += argv[i]!.length + 1, i++) {
    const a = argv[i]!;
    const eq = a.indexOf('=');
    if (eq > 0 && SECRET_OPTION_SET.has(a.slice(0, eq).toLowerCase())) {
      out.push(`${a.slice(0, eq)}=${MASK}`);
      continue;
    }
    out.push(a);
    if (
      SECRET_OPTION_SET.has(a.toLowerCase()) &&
      i + 1 < argv.length &&
      secretValueFollows(a, (line ??= argv.join(' ')), at)
    ) {
      out.push(MASK);
      at += argv[i + 1]!.length + 1;
      i++;
    }
  }
  return out;
}

/**
 * Mask secrets inside free text. The same scan as `ostrace redact` and the secret/* rules
 * (src/redact/spans.ts), so what the rules call a secret is what every report masks.
 */
export function maskText(text: string): string {
  return redactLine(text);
}
