/**
 * The stage timeline: for each stage, its best program rendered at the photo's resolution, PSNR,
 * SSIM and LPIPS against the photo at that one resolution, the verifier's checklist (model runs),
 * and the program's diff against the previous stage. The server renders a stage on first request
 * (then keeps it in the run folder), so the cards are filled one after another, not all at once.
 */
import { api, type RunDetail, type StageDetail } from "./api.ts";
import { fmt, h } from "./dom.ts";

function diffView(diff: string): HTMLElement {
  const lines = diff
    .split("\n")
    .slice(2) // the two file-name lines
    .map((l) =>
      h(
        "span",
        { class: l.startsWith("+") ? "add" : l.startsWith("-") ? "del" : l.startsWith("@@") ? "hunk" : "" },
        `${l}\n`,
      ),
    );
  const changed = lines.filter((l) => l.className === "add" || l.className === "del").length;
  return h(
    "details",
    { class: "diff" },
    h("summary", {}, `program diff (${changed} line${changed === 1 ? "" : "s"} changed)`),
    h("pre", {}, ...lines),
  );
}

function fill(card: HTMLElement, s: StageDetail): void {
  const m = s.metrics;
  const img = card.querySelector("img");
  if (img) img.src = s.image;
  else card.prepend(h("img", { src: s.image, alt: s.name }));
  card
    .querySelector(".stage-metrics")!
    .replaceChildren(
      `PSNR ${fmt(m.psnr)} · SSIM ${fmt(m.ssim, 3)} · LPIPS ${fmt(m.lpips, 3)}`,
      h("br"),
      h("span", { class: "muted" }, `at ${m.width}×${m.height} (the photo's size)`),
    );
  if (m.unavailable["lpips"])
    card
      .querySelector(".stage-metrics")!
      .append(h("div", { class: "muted" }, `LPIPS: ${m.unavailable["lpips"]}`));
  if (s.checklist) {
    const items = s.checklist.items.map((i) =>
      h("li", {}, h("strong", {}, i.object), `: ${i.problem} → ${i.fix}`),
    );
    card.append(
      h(
        "div",
        { class: "checklist" },
        s.checklist.approved ? "verifier: approved" : "verifier checklist:",
        items.length ? h("ul", {}, ...items) : null,
      ),
    );
  }
  if (s.diff) card.append(diffView(s.diff));
  card.dataset.ready = "1";
}

export function timelineView(run: RunDetail): HTMLElement {
  const cards = run.stages.map((s) =>
    h(
      "figure",
      { class: "stage-card", "data-stage": s.name },
      // The search's small render until the photo-sized one arrives.
      s.image ? h("img", { src: s.image, alt: s.name }) : h("div", { class: "thumb-missing" }),
      h(
        "figcaption",
        {},
        h("strong", {}, s.name),
        s.program ? h("a", { href: s.program }, " program") : null,
        h("div", { class: "stage-metrics muted" }, "rendering at the photo's size…"),
      ),
    ),
  );
  void (async () => {
    for (const [i, s] of run.stages.entries()) {
      const card = cards[i]!;
      try {
        fill(card, await api.stage(run.id, s.name));
      } catch (e) {
        card.querySelector(".stage-metrics")!.textContent = `not available: ${(e as Error).message}`;
      }
    }
  })();
  return h(
    "section",
    { class: "timeline", id: "timeline" },
    h("h3", {}, "Stages (each stage's best program, rendered and measured at the photo's size)"),
    h("div", { class: "cards" }, ...cards),
  );
}
