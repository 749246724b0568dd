/** One run: live progress while it runs, then the result — compare, metrics, stages, 3D, edits. */
import { api, type RunDetail } from "./api.ts";
import { compareView } from "./compare-view.ts";
import { h } from "./dom.ts";
import { metricsView } from "./metrics-view.ts";
import { paramsPanel } from "./params-panel.ts";
import { timelineView } from "./timeline-view.ts";
import { sceneViewer } from "./viewer.ts";

function downloads(run: RunDetail): HTMLElement {
  const links = run.files.map((f) =>
    h("a", { href: `${f.url}${f.url.includes("?") ? "&" : "?"}download`, download: f.name }, f.name),
  );
  links.push(h("a", { href: `/api/runs/${run.id}/scene.glb`, download: "scene.glb" }, "scene.glb"));
  if (!run.files.some((f) => f.name === "scene.blend"))
    links.push(h("a", { href: `/api/runs/${run.id}/scene.blend`, download: "scene.blend" }, "scene.blend"));
  links.push(
    h("a", { href: `/api/runs/${run.id}/download.zip`, download: `${run.id}.zip` }, "run folder (.zip)"),
  );
  return h("section", { class: "downloads", id: "downloads" }, h("h3", {}, "Downloads"), ...links);
}

/** Continues a stopped run from its checkpoint, then shows its progress page. */
function resumeButton(run: RunDetail): HTMLElement {
  const button = h("button", { id: "resume" }, "Resume");
  button.addEventListener("click", () => {
    button.setAttribute("disabled", "");
    void api
      .resume(run.id)
      .then(() => window.location.reload())
      .catch((e: Error) => {
        button.textContent = `Resume failed: ${e.message}`;
      });
  });
  return button;
}

async function resultView(app: HTMLElement, run: RunDetail): Promise<() => void> {
  app.append(h("h2", {}, run.id, " ", h("span", { class: `badge ${run.status}` }, run.status)));
  if (!run.final || !run.target) {
    const stopped = run.status === "interrupted" || run.status === "failed";
    app.append(
      h("p", { class: "muted" }, "This run has no final render (it was stopped or failed)."),
      ...(stopped ? [resumeButton(run)] : []),
      timelineView(run),
      downloads(run),
    );
    return () => {};
  }
  const params = await api.params(run.id).catch(() => []);
  const viewer = sceneViewer(run, params);
  app.append(
    h("div", { class: "grid" }, compareView(run.target, run.final), metricsView(run)),
    timelineView(run),
    h("div", { class: "grid" }, viewer.el, paramsPanel(run, params)),
    downloads(run),
  );
  return viewer.dispose;
}

export async function runPage(app: HTMLElement, id: string): Promise<() => void> {
  const run = await api.run(id);
  if (run.status !== "running") return resultView(app, run);
  let dispose = () => {};
  const progress = (await import("./progress-view.ts")).progressView(id, async () => {
    progress.close();
    const done = await api.run(id);
    app.replaceChildren();
    dispose = await resultView(app, done);
  });
  app.append(h("h2", {}, id), progress.el);
  return () => {
    progress.close();
    dispose();
  };
}
