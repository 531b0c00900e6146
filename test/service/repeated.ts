// A service log read many times over, as a long day of the same calls.

/** The log `copies` times, each copy's request ids its own (`req-` + 3 hex digits + the copy's number). */
export function repeated(text: string, copies: number): string {
  const out: string[] = [];
  for (let i = 0; i < copies; i++)
    out.push(
      text.replace(/req-([0-9a-f]{8})/g, (_, head: string) => `req-${head.slice(0, 3)}${String(i).padStart(5, '0')}`),
    );
  return out.join('');
}
