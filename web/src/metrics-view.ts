/** The run's numbers: final metrics beside the flat-image baseline when the run recorded one. */
import type { RunDetail } from "./api.ts";
import { fmt, h, seconds } from "./dom.ts";

const KEYS = ["psnr", "ssim", "lpips", "clip", "dino"];

function numbers(o: unknown): Record<string, unknown> {
  return o && typeof o === "object" ? (o as Record<string, unknown>) : {};
}

/**
 * The flat mean-colour image's metrics: metrics.json's `flat` is the comparison (src/run/flat-baseline.ts),
 * whose own `flat` holds the image's PSNR/SSIM/LPIPS against the photo.
 */
function baseline(metrics: Record<string, unknown>): Record<string, unknown> | null {
  const comparison = numbers(metrics["flat"]);
  const flat = comparison["flat"];
  return flat && typeof flat === "object" ? numbers(flat) : null;
}

export function metricsView(run: RunDetail): HTMLElement {
  const m = numbers(run.metrics);
  const final = numbers(m["final"]);
  const flat = baseline(m);
  const rows = KEYS.filter((k) => k in final).map((k) =>
    h(
      "tr",
      {},
      h("th", {}, k.toUpperCase()),
      h("td", {}, fmt(final[k], 4)),
      flat ? h("td", {}, fmt(flat[k], 4)) : null,
    ),
  );
  const r = numbers(run.run);
  return h(
    "section",
    { class: "metrics", id: "metrics" },
    h("h3", {}, "Metrics (at the photo's resolution)"),
    h(
      "table",
      {},
      h("tr", {}, h("th", {}), h("th", {}, "render"), flat ? h("th", {}, "flat image") : null),
      ...rows,
    ),
    flat ? null : h("p", { class: "muted" }, "No flat-image baseline recorded in this run."),
    h(
      "p",
      { class: "muted" },
      `${r["method"] ?? run.method} · ${r["renders"] ?? "?"} renders · ${seconds(r["seconds"])}`,
    ),
  );
}
