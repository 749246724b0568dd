/** The home page: drop or pick a photo to start a run, and the runs folder as a list. */

import type { SceneKindChoice } from "../../src/program/scene-kind.ts";
import { api, type BenchSummary, type RunSummary } from "./api.ts";
import { fmt, h } from "./dom.ts";

/** The choices of `--scene-kind`; typed against the server's enum (the bundle carries no zod). */
const SCENE_KIND_CHOICES: readonly SceneKindChoice[] = ["auto", "ground", "topdown", "object", "closeup"];

function newRunForm(): HTMLElement {
  const file = h("input", {
    type: "file",
    accept: "image/png,image/jpeg,image/webp,image/tiff,image/gif",
    name: "photo",
    id: "photo",
  });
  const status = h("p", { class: "status" });
  const option = (name: string, label: string, value: string) =>
    h("label", {}, label, h("input", { name, value, size: 8 }));
  const form = h(
    "form",
    { class: "new-run", id: "new-run" },
    h("div", { class: "drop", id: "drop" }, "Drop a photo here, or ", file),
    h(
      "div",
      { class: "options" },
      option("model", "Method (offline or provider:model)", "offline"),
      option("budget", "Renders", "120"),
      option("workingSide", "Search size", "64"),
      option("finalSide", "Final size", "320"),
      option("seed", "Seed", "0"),
      h(
        "label",
        {},
        "Scene kind",
        h(
          "select",
          { name: "sceneKind", id: "scene-kind" },
          ...SCENE_KIND_CHOICES.map((k) => h("option", { value: k }, k)),
        ),
      ),
    ),
    h("button", { type: "submit", id: "start" }, "Start run"),
    status,
  );
  const drop = form.querySelector<HTMLElement>("#drop")!;
  drop.addEventListener("dragover", (e) => {
    e.preventDefault();
    drop.classList.add("over");
  });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (e) => {
    e.preventDefault();
    drop.classList.remove("over");
    if (e.dataTransfer?.files.length) file.files = e.dataTransfer.files;
  });
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    if (!file.files?.length) {
      status.textContent = "Pick a photo first.";
      return;
    }
    status.textContent = "Uploading…";
    try {
      const { id } = await api.start(new FormData(form));
      location.hash = `#/run/${encodeURIComponent(id)}`;
    } catch (err) {
      status.textContent = `Refused: ${(err as Error).message}`;
    }
  });
  return form;
}

function runRow(r: RunSummary): HTMLElement {
  return h(
    "a",
    { class: "run-card", href: `#/run/${encodeURIComponent(r.id)}` },
    r.thumbnail ? h("img", { src: r.thumbnail, alt: "" }) : h("div", { class: "thumb-missing" }),
    h(
      "div",
      {},
      h("strong", {}, r.id),
      h("div", { class: `badge ${r.status}` }, r.status),
      h(
        "div",
        {},
        `${r.method ?? "?"} · PSNR ${fmt(r.psnr)} · SSIM ${fmt(r.ssim, 3)} · LPIPS ${fmt(r.lpips, 3)}`,
      ),
      h("div", { class: "muted" }, new Date(r.date).toLocaleString()),
    ),
  );
}

/** A benchmark results folder: its method, scene count and mean metrics; the link opens its page. */
function benchRow(b: BenchSummary): HTMLElement {
  const means = b.summary
    .filter((s) => s.mean !== null && ["psnr", "ssim", "lpips", "renders"].includes(s.key))
    .map((s) => `${s.label} ${fmt(s.mean, s.key === "psnr" ? 2 : s.key === "renders" ? 0 : 3)}`);
  return h(
    "a",
    { class: "bench-card", href: b.page, target: "_blank" },
    h("strong", {}, b.name),
    ` · ${b.method ?? "?"} · ${b.scenes ?? "?"} scenes${b.failed ? ` (${b.failed} failed)` : ""} · mean ${means.join(" · ")}`,
    h("div", { class: "muted" }, new Date(b.date).toLocaleString()),
  );
}

export async function runsPage(app: HTMLElement): Promise<null> {
  const list = h("div", { class: "runs", id: "runs" }, "Loading runs…");
  const bench = h("div", { class: "bench", id: "bench" });
  app.append(
    h("h2", {}, "New run"),
    newRunForm(),
    h("h2", {}, "Runs"),
    list,
    h("h2", {}, "Benchmarks"),
    bench,
  );
  const [runs, benches] = await Promise.all([api.runs(), api.bench().catch(() => [])]);
  list.replaceChildren(...(runs.length ? runs.map(runRow) : [h("p", { class: "muted" }, "No runs yet.")]));
  bench.replaceChildren(
    ...(benches.length
      ? benches.map(benchRow)
      : [
          h(
            "p",
            { class: "muted" },
            "No benchmark results in the bench folder (seig bench run … --out <runs>/bench/<name>).",
          ),
        ]),
  );
  return null;
}
