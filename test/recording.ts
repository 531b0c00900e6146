// A real recording of samples/minicloud as pipeline inputs, as written (DEBUG) or as a
// service logging at oslo.log's default level writes it (INFO: every DEBUG line of the
// service logs removed; the client's --debug output kept).
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export function recording(dir: string, level: 'DEBUG' | 'INFO' = 'DEBUG'): Array<{ name: string; text: string }> {
  const base = fileURLToPath(new URL(`../samples/minicloud/${dir}/`, import.meta.url));
  return readdirSync(base)
    .filter((n) => n.endsWith('.log'))
    .sort()
    .map((name) => {
      const text = readFileSync(`${base}${name}`, 'utf8');
      if (level === 'DEBUG' || name === 'client.log') return { name, text };
      return {
        name,
        text: text
          .split('\n')
          .filter((l) => !l.includes(' DEBUG '))
          .join('\n'),
      };
    });
}
