// Masking of secrets in text that ostrace prints. Every reporter goes through
// these helpers, so a secret reaches output only with --show-secrets.
import { MASK, redactLine } from '../redact/spans.js';

const SECRET_OPTIONS = new Set([
  '--os-password',
  '--password',
  '--os-token',
  '--token',
  '--os-auth-token',
  '--os-application-credential-secret',
  '--application-credential-secret',
  '--os-client-secret',
  '--client-secret',
  '--admin-pass',
  '--root-password',
  '--os-totp',
  '--passcode',
]);

export { MASK };

/** argv with the values of secret options masked (`--os-password X`, `--os-password=X`). */
export function maskArgv(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const eq = a.indexOf('=');
    if (eq > 0 && SECRET_OPTIONS.has(a.slice(0, eq).toLowerCase())) {
      out.push(`${a.slice(0, eq)}=${MASK}`);
      continue;
    }
    out.push(a);
    if (SECRET_OPTIONS.has(a.toLowerCase()) && i + 1 < argv.length) {
      out.push(MASK);
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
