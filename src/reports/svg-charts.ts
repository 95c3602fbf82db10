// Small charts as inline SVG: they render in any mail client or browser without JavaScript, and
// each carries a <title> and text labels so the numbers stay readable without the picture.
import { escapeHtml } from './escape-html.ts';

interface Point {
  label: string;
  value: number | null;
}

const WIDTH = 640;
const HEIGHT = 220;
const MARGIN = { top: 40, right: 12, bottom: 40, left: 44 };
const plotW = WIDTH - MARGIN.left - MARGIN.right;
const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;

function frame(title: string, body: string[], max: number, unit: string, description?: string): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="11">`,
    `<title>${escapeHtml(title)}</title>`,
    ...(description === undefined ? [] : [`<desc>${escapeHtml(description)}</desc>`]),
    `<text x="${MARGIN.left}" y="16" font-size="13" font-weight="bold">${escapeHtml(title)}</text>`,
    `<line x1="${MARGIN.left}" y1="${MARGIN.top + plotH}" x2="${MARGIN.left + plotW}" y2="${MARGIN.top + plotH}" stroke="#555"/>`,
    `<text x="${MARGIN.left - 4}" y="${MARGIN.top + 4}" text-anchor="end">${escapeHtml(`${max}${unit}`)}</text>`,
    `<text x="${MARGIN.left - 4}" y="${MARGIN.top + plotH}" text-anchor="end">0</text>`,
    ...body,
    '</svg>',
  ].join('\n');
}

export interface BarChartOptions {
  unit?: string;
  /** The top of the scale (100 for percentages); default: the largest value. */
  max?: number;
  /** The text alternative (<desc>); default: every label with its value. */
  description?: string;
}

/** One bar per point, the value written above each bar. */
export function barChart(title: string, points: Point[], { unit = '', max: top, description }: BarChartOptions = {}): string {
  const max = top ?? Math.max(1, ...points.map((p) => p.value ?? 0));
  const slot = plotW / Math.max(1, points.length);
  const body = points.flatMap((p, i) => {
    const h = ((p.value ?? 0) / max) * plotH;
    const x = MARGIN.left + i * slot + slot * 0.15;
    const y = MARGIN.top + plotH - h;
    const cx = x + slot * 0.35;
    return [
      `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${(slot * 0.7).toFixed(1)}" height="${h.toFixed(1)}" fill="#3b6ea8"><title>${escapeHtml(`${p.label}: ${p.value ?? '–'}${unit}`)}</title></rect>`,
      `<text x="${cx.toFixed(1)}" y="${(y - 3).toFixed(1)}" text-anchor="middle">${escapeHtml(`${p.value ?? '–'}`)}</text>`,
      `<text x="${cx.toFixed(1)}" y="${MARGIN.top + plotH + 14}" text-anchor="middle">${escapeHtml(p.label)}</text>`,
    ];
  });
  return frame(title, body, max, unit, description ?? points.map((p) => `${p.label}: ${p.value ?? '–'}${unit}`).join('; '));
}

/** A line through the points that have a value (gaps stay gaps), 0–100 on the vertical axis. */
export function percentLineChart(title: string, points: Point[]): string {
  // Each point in the middle of its slot, so the first and last labels stay inside the picture.
  const slot = plotW / Math.max(1, points.length);
  const xy = (i: number, v: number) => [MARGIN.left + (i + 0.5) * slot, MARGIN.top + plotH - (v / 100) * plotH] as const;
  const known = points.map((p, i) => ({ ...p, i })).filter((p): p is Point & { i: number; value: number } => p.value !== null);
  const body = [
    `<polyline fill="none" stroke="#3b6ea8" stroke-width="2" points="${known.map((p) => xy(p.i, p.value).map((n) => n.toFixed(1)).join(',')).join(' ')}"/>`,
    ...known.flatMap((p) => {
      const [x, y] = xy(p.i, p.value);
      return [
        `<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="3" fill="#3b6ea8"><title>${escapeHtml(`${p.label}: ${p.value.toFixed(1)} %`)}</title></circle>`,
        `<text x="${x.toFixed(1)}" y="${(y - 6).toFixed(1)}" text-anchor="middle">${p.value.toFixed(0)}</text>`,
      ];
    }),
    ...points.map((p, i) => `<text x="${xy(i, 0)[0].toFixed(1)}" y="${MARGIN.top + plotH + 14}" text-anchor="middle" font-size="9">${escapeHtml(p.label)}</text>`),
  ];
  return frame(title, body, 100, ' %');
}
