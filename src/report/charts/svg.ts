// Small helpers shared by the inline SVG charts of the HTML report. Every string that
// reaches SVG goes through escapeXml: the text comes from logs.

/** The characters that would become markup in HTML or XML text, and their entities. */
export const HTML_SPECIALS: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
};

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => HTML_SPECIALS[c] ?? '&#39;');
}

/** Colour-blind-friendly palette (Okabe–Ito, darkened for white backgrounds). */
const PALETTE = [
  '#0072b2',
  '#e69f00',
  '#009e73',
  '#cc79a7',
  '#56b4e9',
  '#d55e00',
  '#7f7f00',
  '#6a3d9a',
  '#8c564b',
  '#17becf',
];
export const ERROR_COLOR = '#c62828';

/** A stable colour per service: by its rank among the sorted service names. */
export function colourMap(services: Iterable<string>): (service: string) => string {
  const sorted = [...new Set(services)].sort();
  const index = new Map(sorted.map((s, i) => [s, i] as const));
  return (service) => PALETTE[(index.get(service) ?? 0) % PALETTE.length]!;
}

/** Milliseconds for labels: whole ms from 100 on, one decimal below, seconds from 10 s. */
export function formatMs(ms: number): string {
  if (ms >= 10_000) return `${trim(ms / 1000, 1)} s`;
  if (ms >= 100) return `${Math.round(ms)} ms`;
  return `${trim(ms, 1)} ms`;
}

function trim(n: number, digits: number): string {
  const s = n.toFixed(digits);
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

/** Cut a label to a width in characters, with an ellipsis. */
export function clip(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** Coordinates rounded to 0.1 px: smaller, stable output. */
export function px(n: number): string {
  return String(Math.round(n * 10) / 10);
}
