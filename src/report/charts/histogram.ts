// Latency histogram of one service's timed exchanges (d3-array bin).
import { bin, max } from 'd3-array';
import { escapeXml, formatMs, px } from './svg.js';

const W = 300;
const H = 130;
const PAD_L = 30;
const PAD_B = 24;
const PAD_T = 10;

export function histogramSvg(title: string, durations: number[], colour: string): string {
  const bins = bin().thresholds(Math.min(12, Math.max(3, Math.ceil(Math.sqrt(durations.length)))))(durations);
  const top = max(bins, (b) => b.length) ?? 1;
  const lo = bins[0]?.x0 ?? 0;
  const hi = bins[bins.length - 1]?.x1 ?? lo + 1;
  const span = Math.max(hi - lo, 1e-9);
  const x = (v: number) => PAD_L + ((v - lo) / span) * (W - PAD_L - 8);
  const y = (n: number) => H - PAD_B - (n / top) * (H - PAD_B - PAD_T);
  const out: string[] = [];
  out.push(
    `<svg class="histogram" xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H + 18}" viewBox="0 0 ${W} ${H + 18}" role="img" aria-label="latency histogram">`,
  );
  out.push(`<text x="${PAD_L}" y="${H + 14}" class="htitle">${escapeXml(title)}</text>`);
  out.push(`<line x1="${PAD_L}" y1="${H - PAD_B}" x2="${W - 8}" y2="${H - PAD_B}" stroke="#90a4ae"/>`);
  out.push(`<text x="${PAD_L - 4}" y="${px(y(top) + 4)}" text-anchor="end" class="tick">${top}</text>`);
  out.push(`<text x="${PAD_L - 4}" y="${H - PAD_B}" text-anchor="end" class="tick">0</text>`);
  for (const b of bins) {
    if (b.x0 === undefined || b.x1 === undefined) continue;
    const x0 = x(b.x0);
    const w = Math.max(1, x(b.x1) - x0 - 1);
    if (b.length > 0) {
      out.push(
        `<rect x="${px(x0)}" y="${px(y(b.length))}" width="${px(w)}" height="${px(H - PAD_B - y(b.length))}" fill="${colour}"><title>${escapeXml(`${formatMs(b.x0)}–${formatMs(b.x1)}: ${b.length}`)}</title></rect>`,
      );
    }
  }
  out.push(`<text x="${PAD_L}" y="${H - PAD_B + 14}" class="tick">${escapeXml(formatMs(lo))}</text>`);
  out.push(`<text x="${W - 8}" y="${H - PAD_B + 14}" text-anchor="end" class="tick">${escapeXml(formatMs(hi))}</text>`);
  out.push('</svg>');
  return out.join('');
}
