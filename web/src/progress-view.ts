/** A run under way: every progress event from the server's SSE stream, the best render so far, cancel. */
import { api, type StreamMessage } from "./api.ts";
import { fmt, h, seconds } from "./dom.ts";

type Ev = { type: string; [k: string]: unknown };

export function progressView(
  id: string,
  onEnd: (status: string) => void,
): { el: HTMLElement; close: () => void } {
  const stage = h("div", { class: "stage", id: "stage" }, "starting…");
  const bar = h("progress", { max: 1, value: 0 });
  const stats = h("div", { class: "stats", id: "stats" });
  const best = h("img", { class: "best", id: "best", alt: "best render so far" });
  const bestCaption = h("div", { class: "muted", id: "best-caption" }, "best so far");
  const log = h("ol", { class: "log" });
  const cancel = h("button", { id: "cancel" }, "Cancel");
  cancel.addEventListener("click", () => void api.cancel(id).catch(() => {}));
  const el = h(
    "section",
    { class: "progress", id: "progress" },
    h("h2", {}, "Progress"),
    stage,
    bar,
    stats,
    cancel,
    h("figure", {}, best, bestCaption),
    log,
  );
  const show = (e: Ev) => {
    if (e.type === "stage-start") stage.textContent = `stage ${Number(e.index) + 1}/${e.total}: ${e.stage}`;
    if (e.type === "iteration") {
      bar.value = Number(e.fraction);
      stats.textContent = [
        `${e.stage} round ${e.iteration}`,
        `candidates rendered ${e.renders}`,
        `best loss ${fmt(e.bestLoss, 4)}`,
        `elapsed ${seconds(e.elapsedSeconds)}`,
        `ETA ${seconds(e.etaSeconds)}`,
        // Model runs carry their use so far.
        typeof e.tokens === "number" ? `tokens ${e.tokens}` : null,
        typeof e.costUsd === "number"
          ? `cost $${e.costUsd.toFixed(4)}`
          : e.tokens !== undefined
            ? "cost unknown"
            : null,
      ]
        .filter(Boolean)
        .join(" · ");
    }
    if (e.type === "stage-end")
      log.append(
        h("li", {}, `${e.stage}: loss ${fmt(e.bestLoss, 4)}, ${e.renders} renders, ${seconds(e.seconds)}`),
      );
    if (e.type === "note") log.append(h("li", { class: "muted" }, String(e.text)));
    if (e.type === "run-failed" || e.type === "run-interrupted")
      log.append(h("li", { class: "error" }, String(e.message)));
  };
  const source = api.events(id, (m: StreamMessage) => {
    if (m.kind === "event") show(m.event as Ev);
    else if (m.kind === "best") {
      best.src = m.image;
      best.dataset.updates = String(Number(best.dataset.updates ?? 0) + 1);
      // A stage's best.png comes without a loss: the caption must not keep an older one.
      bestCaption.textContent =
        m.loss !== undefined
          ? `best so far (${m.stage}, loss ${fmt(m.loss, 4)})`
          : "best so far (last finished stage)";
    } else if (m.kind === "end") {
      stage.textContent = m.status;
      el.dataset.status = m.status;
      onEnd(m.status);
    }
  });
  return { el, close: () => source.close() };
}
