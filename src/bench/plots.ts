/**
 * Small SVG charts for benchmark reports (per-scene bars, metric per stage, metric against
 * renders), and their rasterisation to PNG through sharp's librsvg. Plain SVG keeps the
 * reports dependency-free and diffable.
 */
import { writeFile } from "node:fs/promises";
import sharp from "sharp";

export interface Bar {
  label: string;
  value: number;
}

export interface Series {
  name: string;
  points: [number, number][];
}

const WIDTH = 640;
const HEIGHT = 360;
const MARGIN = { left: 60, right: 40, top: 36, bottom: 70 };
/** Legends name only the first series; more would not fit under a 640-px chart. */
const LEGEND_ENTRIES = 4;
const PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"];

function escapeXml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;");
}

/** Round tick values covering [lo, hi]. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw)!;
  const ticks: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step)
    ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

function range(values: number[], includeZero: boolean): [number, number] {
  const finite = values.filter(Number.isFinite);
  let lo = Math.min(...finite, ...(includeZero ? [0] : []));
  let hi = Math.max(...finite, ...(includeZero ? [0] : []));
  if (finite.length === 0) return [0, 1];
  if (lo === hi) {
    lo -= Math.abs(lo) * 0.1 || 1;
    hi += Math.abs(hi) * 0.1 || 1;
  }
  return [lo, hi];
}

function frame(
  title: string,
  yLabel: string,
  yTicks: number[],
  y: (v: number) => number,
  extra: string,
): string {
  const plotRight = WIDTH - MARGIN.right;
  const grid = yTicks
    .map(
      (t) =>
        `<line x1="${MARGIN.left}" x2="${plotRight}" y1="${y(t)}" y2="${y(t)}" stroke="#ddd"/>` +
        `<text x="${MARGIN.left - 6}" y="${y(t) + 4}" text-anchor="end">${t}</text>`,
    )
    .join("");
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="DejaVu Sans, sans-serif" font-size="11">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="white"/>`,
    `<text x="${WIDTH / 2}" y="20" text-anchor="middle" font-size="14">${escapeXml(title)}</text>`,
    `<text transform="translate(14 ${(MARGIN.top + HEIGHT - MARGIN.bottom) / 2}) rotate(-90)" text-anchor="middle">${escapeXml(yLabel)}</text>`,
    grid,
    `<line x1="${MARGIN.left}" x2="${MARGIN.left}" y1="${MARGIN.top}" y2="${HEIGHT - MARGIN.bottom}" stroke="#333"/>`,
    `<line x1="${MARGIN.left}" x2="${plotRight}" y1="${HEIGHT - MARGIN.bottom}" y2="${HEIGHT - MARGIN.bottom}" stroke="#333"/>`,
    extra,
    "</svg>",
  ].join("\n");
}

function yScale(lo: number, hi: number): (v: number) => number {
  const top = MARGIN.top;
  const bottom = HEIGHT - MARGIN.bottom;
  return (v) => Number((bottom - ((v - lo) / (hi - lo)) * (bottom - top)).toFixed(2));
}

export function barChart(title: string, yLabel: string, bars: readonly Bar[]): string {
  const ticks = niceTicks(
    ...range(
      bars.map((b) => b.value),
      true,
    ),
  );
  const [lo, hi] = range([...ticks, ...bars.map((b) => b.value)], true);
  const y = yScale(lo, hi);
  const slot = (WIDTH - MARGIN.left - MARGIN.right) / Math.max(1, bars.length);
  const body = bars
    .map((b, i) => {
      const x = MARGIN.left + i * slot;
      const top = Math.min(y(b.value), y(0));
      const height = Math.abs(y(b.value) - y(0));
      const cx = x + slot / 2;
      return (
        `<rect x="${(x + slot * 0.15).toFixed(2)}" y="${top}" width="${(slot * 0.7).toFixed(2)}" height="${height.toFixed(2)}" fill="${PALETTE[0]}"><title>${escapeXml(`${b.label}: ${b.value}`)}</title></rect>` +
        `<text transform="translate(${cx.toFixed(2)} ${HEIGHT - MARGIN.bottom + 10}) rotate(45)" font-size="9">${escapeXml(b.label)}</text>`
      );
    })
    .join("\n");
  return frame(title, yLabel, ticks, y, body);
}

/** Lines over numeric x; `xTickLabels` names integer x positions (stage names). */
export function lineChart(
  title: string,
  axis: { x: string; y: string },
  series: readonly Series[],
  xTickLabels?: readonly string[],
): string {
  const xs = series.flatMap((s) => s.points.map((p) => p[0]));
  const ys = series.flatMap((s) => s.points.map((p) => p[1]));
  const yTicks = niceTicks(...range(ys, false));
  const [ylo, yhi] = range([...ys, ...yTicks], false);
  const [xlo, xhi] = xTickLabels ? [0, Math.max(1, xTickLabels.length - 1)] : range(xs, false);
  const y = yScale(ylo, yhi);
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const x = (v: number) => Number((MARGIN.left + ((v - xlo) / (xhi - xlo)) * plotWidth).toFixed(2));
  const xTicks = xTickLabels
    ? xTickLabels.map((label, i) => ({ at: i, label }))
    : niceTicks(xlo, xhi).map((t) => ({ at: t, label: String(t) }));
  const axisText =
    xTicks
      .map(
        (t) =>
          `<text x="${x(t.at)}" y="${HEIGHT - MARGIN.bottom + 16}" text-anchor="middle">${escapeXml(t.label)}</text>`,
      )
      .join("") +
    `<text x="${MARGIN.left + plotWidth / 2}" y="${HEIGHT - MARGIN.bottom + 34}" text-anchor="middle">${escapeXml(axis.x)}</text>`;
  const lines = series
    .map((s, i) => {
      const color = PALETTE[i % PALETTE.length];
      const pts = s.points.filter((p) => Number.isFinite(p[1]));
      const path = pts.map((p) => `${x(p[0])},${y(p[1])}`).join(" ");
      const dots = pts
        .map((p) => `<circle cx="${x(p[0])}" cy="${y(p[1])}" r="2.5" fill="${color}"/>`)
        .join("");
      return `<polyline points="${path}" fill="none" stroke="${color}" stroke-width="1.5"><title>${escapeXml(s.name)}</title></polyline>${dots}`;
    })
    .join("\n");
  const legend = series
    .slice(0, LEGEND_ENTRIES)
    .map(
      (s, i) =>
        `<rect x="${MARGIN.left + i * 140}" y="${HEIGHT - 22}" width="10" height="10" fill="${PALETTE[i]}"/>` +
        `<text x="${MARGIN.left + i * 140 + 14}" y="${HEIGHT - 13}">${escapeXml(s.name.slice(0, 18))}</text>`,
    )
    .join("");
  return frame(title, axis.y, yTicks, y, `${axisText}\n${lines}\n${legend}`);
}

/** Writes `<base>.svg` and `<base>.png` (rasterised by librsvg inside sharp). */
export async function writeChart(svg: string, base: string): Promise<void> {
  await writeFile(`${base}.svg`, svg);
  await sharp(Buffer.from(svg)).png().toFile(`${base}.png`);
}
