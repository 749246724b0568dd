/**
 * The benchmark's tables: which numbers a row holds, how they are summarised (mean and
 * median over the scenes that have the number), and how a table is written as CSV,
 * Markdown and JSON. A missing number is `null` and is written as blank / "–", never 0.
 */
export interface MetricColumn {
  key: string;
  label: string;
  better: "higher" | "lower";
  digits: number;
}

/** Image metrics first (every scene), then 3D errors (ground-truth scenes), then cost. */
export const COLUMNS: readonly MetricColumn[] = [
  { key: "psnr", label: "PSNR", better: "higher", digits: 2 },
  { key: "ssim", label: "SSIM", better: "higher", digits: 4 },
  { key: "lpips", label: "LPIPS", better: "lower", digits: 4 },
  { key: "clip", label: "CLIP", better: "higher", digits: 4 },
  { key: "dino", label: "DINO", better: "higher", digits: 4 },
  { key: "countAcc", label: "count acc", better: "higher", digits: 2 },
  { key: "recall", label: "recall", better: "higher", digits: 2 },
  { key: "positionErr", label: "pos err", better: "lower", digits: 3 },
  { key: "imageErr", label: "img err", better: "lower", digits: 3 },
  { key: "sizeErr", label: "size err", better: "lower", digits: 3 },
  { key: "colorDE", label: "colour ΔE00", better: "lower", digits: 2 },
  { key: "materialAcc", label: "material acc", better: "higher", digits: 2 },
  { key: "shapeAcc", label: "shape acc", better: "higher", digits: 2 },
  { key: "silIoU", label: "sil IoU", better: "higher", digits: 3 },
  { key: "fgIoU", label: "fg IoU", better: "higher", digits: 3 },
  { key: "renders", label: "renders", better: "lower", digits: 0 },
  { key: "seconds", label: "seconds", better: "lower", digits: 1 },
];

export type RowValues = Record<string, number | null>;

export interface TableRow {
  scene: string;
  values: RowValues;
  /** One line when the scene failed; its numbers are then null. */
  error?: string;
}

export interface ColumnSummary {
  key: string;
  n: number;
  mean: number | null;
  median: number | null;
}

export function mean(values: readonly number[]): number | null {
  return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function columnValues(rows: readonly TableRow[], key: string): number[] {
  return rows.map((r) => r.values[key]).filter((v): v is number => typeof v === "number" && !Number.isNaN(v));
}

export function summarise(rows: readonly TableRow[], columns = COLUMNS): ColumnSummary[] {
  return columns.map((c) => {
    const values = columnValues(rows, c.key);
    return { key: c.key, n: values.length, mean: mean(values), median: median(values) };
  });
}

/** Columns that at least one row has a number for: 3D columns vanish for plain image folders. */
export function presentColumns(rows: readonly TableRow[], columns = COLUMNS): MetricColumn[] {
  return columns.filter((c) => columnValues(rows, c.key).length > 0);
}

export function formatValue(value: number | null | undefined, digits: number): string {
  if (value === null || value === undefined || Number.isNaN(value)) return "–";
  if (!Number.isFinite(value)) return value > 0 ? "∞" : "-∞";
  return value.toFixed(digits);
}

function csvCell(text: string): string {
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Full-precision CSV: one row per scene, then `mean` and `median` rows. */
export function tableCsv(rows: readonly TableRow[], columns = presentColumns(rows)): string {
  const raw = (v: number | null | undefined) => (v === null || v === undefined ? "" : String(v));
  const lines = [["scene", ...columns.map((c) => c.key), "error"].join(",")];
  for (const r of rows)
    lines.push([r.scene, ...columns.map((c) => raw(r.values[c.key])), r.error ?? ""].map(csvCell).join(","));
  const summary = summarise(rows, columns);
  lines.push(["mean", ...summary.map((s) => raw(s.mean)), ""].join(","));
  lines.push(["median", ...summary.map((s) => raw(s.median)), ""].join(","));
  return `${lines.join("\n")}\n`;
}

function arrow(c: MetricColumn): string {
  return c.better === "higher" ? "↑" : "↓";
}

export function markdownTable(header: readonly string[], body: readonly (readonly string[])[]): string {
  const cell = (t: string) => t.replaceAll("|", "\\|");
  const lines = [
    `| ${header.map(cell).join(" | ")} |`,
    `|${header.map((_, i) => (i === 0 ? "---" : "---:")).join("|")}|`,
    ...body.map((row) => `| ${row.map(cell).join(" | ")} |`),
  ];
  return `${lines.join("\n")}\n`;
}

/** Per-scene rows, then mean and median rows, rounded for reading. */
export function tableMarkdown(rows: readonly TableRow[], columns = presentColumns(rows)): string {
  const header = ["scene", ...columns.map((c) => `${c.label} ${arrow(c)}`)];
  const body = rows.map((r) => [
    r.error ? `${r.scene} (failed: ${r.error})` : r.scene,
    ...columns.map((c) => formatValue(r.values[c.key], c.digits)),
  ]);
  const summary = summarise(rows, columns);
  body.push(["**mean**", ...summary.map((s, i) => formatValue(s.mean, columns[i]!.digits))]);
  body.push(["**median**", ...summary.map((s, i) => formatValue(s.median, columns[i]!.digits))]);
  return markdownTable(header, body);
}
