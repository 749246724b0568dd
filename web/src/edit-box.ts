/**
 * Edit by instruction: with a model configured on the server, a text box runs `seig edit` on the
 * run's program (hand edits included) and shows the before/after renders, the stage it changed,
 * the verifier's verdict and the model use. Without a model it says why it is unavailable.
 */
import { api, type RunDetail } from "./api.ts";
import { h, seconds } from "./dom.ts";

export function editBox(run: RunDetail, handEdits: () => Record<string, unknown>): HTMLElement {
  const box = h("section", { class: "edit-box", id: "edit-box" }, h("h3", {}, "Edit by instruction"));
  const status = h("p", { class: "muted", id: "edit-instruction-status" }, "Checking for a model…");
  box.append(status);
  void api
    .config()
    .then((config) => {
      if (!config.editModel) {
        status.textContent = `Unavailable: ${config.editUnavailable}`;
        status.dataset.unavailable = "1";
        return;
      }
      const text = h("textarea", {
        id: "instruction",
        placeholder: "e.g. make the red box blue",
        "aria-label": "instruction",
      });
      const go = h("button", { id: "run-edit" }, `Edit with ${config.editModel}`);
      const result = h("div", { id: "edit-result" });
      status.textContent = "Describe a change; the model edits only the stage it belongs to.";
      go.addEventListener("click", async () => {
        if (!text.value.trim()) return;
        go.setAttribute("disabled", "");
        status.textContent = "Editing (model calls and renders)…";
        try {
          const r = await api.edit(run.id, text.value, handEdits());
          status.textContent = `${r.stage} edit carried out in ${seconds(r.seconds)} — ${r.usage}`;
          result.replaceChildren(
            h(
              "div",
              { class: "pair" },
              h("img", { src: r.before, alt: "before" }),
              h("img", { src: r.after, alt: "after" }),
            ),
            h("p", {}, `Verifier: ${r.verdict}`),
            h("a", { href: r.program, download: "program.py" }, "edited program"),
          );
        } catch (e) {
          status.textContent = `Edit failed: ${(e as Error).message}`;
        } finally {
          go.removeAttribute("disabled");
        }
      });
      box.append(text, go, result);
    })
    .catch((e: Error) => {
      status.textContent = `Unavailable: ${e.message}`;
    });
  return box;
}
