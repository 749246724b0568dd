/**
 * Edit by hand: every PARAMS value as a slider with a number field, or a colour picker, grouped
 * by the stage that owns it; each change re-renders through the server's pool (debounced), a sky
 * preset relights, and the edit can be saved as a new program.
 */
import { api, type ParamRow, type RunDetail } from "./api.ts";
import { h } from "./dom.ts";
import { editBox } from "./edit-box.ts";

const STAGE_ORDER = ["geometry", "material", "composition", "lighting", "unused"];

/** PARAMS colours are linear RGB; the picker shows sRGB. */
function linearToHex(rgb: number[]): string {
  const s = (c: number) => {
    const v = c <= 0.0031308 ? 12.92 * c : 1.055 * c ** (1 / 2.4) - 0.055;
    return Math.round(Math.max(0, Math.min(1, v)) * 255)
      .toString(16)
      .padStart(2, "0");
  };
  return `#${rgb.slice(0, 3).map(s).join("")}`;
}

function range(key: string, v: number): { min: number; max: number; step: number } {
  if (/_deg$/.test(key)) return { min: -180, max: 180, step: 1 };
  const span = Math.max(1, Math.abs(v) * 2);
  return {
    min: v >= 0 && !/location|position|offset|\.x$|\.y$/.test(key) ? 0 : -span,
    max: span,
    step: span / 200,
  };
}

function isColour(row: ParamRow): row is ParamRow & { value: number[] } {
  return (
    Array.isArray(row.value) && row.value.length >= 3 && row.value.length <= 4 && /colou?r/.test(row.key)
  );
}

function control(row: ParamRow, set: (v: unknown) => void): HTMLElement | null {
  const id = `param-${row.key.replace(/[^\w-]/g, "_")}`;
  if (isColour(row)) {
    const input = h("input", { type: "color", id, value: linearToHex(row.value), "data-key": row.key });
    input.addEventListener("input", () => set(input.value));
    return h("label", { class: "param" }, h("span", {}, row.key), input);
  }
  if (typeof row.value === "number") {
    const r = range(row.key, row.value);
    const slider = h("input", {
      type: "range",
      id,
      min: r.min,
      max: r.max,
      step: r.step,
      value: row.value,
      "data-key": row.key,
    });
    const num = h("input", { type: "number", step: r.step, value: row.value });
    slider.addEventListener("input", () => {
      num.value = slider.value;
      set(Number(slider.value));
    });
    num.addEventListener("change", () => {
      slider.value = num.value;
      set(Number(num.value));
    });
    return h("label", { class: "param" }, h("span", {}, row.key), slider, num);
  }
  if (Array.isArray(row.value) && row.value.every((v) => typeof v === "number")) {
    const values = [...(row.value as number[])];
    const fields = values.map((v, i) => {
      const num = h("input", {
        type: "number",
        step: 0.05,
        value: Number(v.toFixed(4)),
        "aria-label": `${row.key}[${i}]`,
      });
      num.addEventListener("change", () => {
        values[i] = Number(num.value);
        set([...values]);
      });
      return num;
    });
    return h("label", { class: "param" }, h("span", {}, row.key), h("span", { class: "vector" }, ...fields));
  }
  return h("div", { class: "param muted" }, `${row.key} = ${JSON.stringify(row.value)}`);
}

export function paramsPanel(run: RunDetail, params: ParamRow[]): HTMLElement {
  const changed: Record<string, unknown> = {};
  const target = (run.run?.["target"] ?? {}) as { width?: number; height?: number };
  const aspect = target.width && target.height ? target.width / target.height : 4 / 3;
  const image = h("img", { id: "edited", src: run.final ?? "", alt: "edited render" });
  const status = h("p", { class: "muted", id: "edit-status" }, "Change a value to re-render at 320 px wide.");
  let timer = 0;
  let seq = 0;
  const show = async (reply: Promise<{ image: string; seconds: number }>, n: number) => {
    try {
      const r = await reply;
      if (n !== seq) return; // a newer edit is on its way
      image.src = r.image;
      status.textContent = `re-rendered in ${r.seconds.toFixed(2)} s`;
      status.dataset.renders = String(n);
    } catch (e) {
      status.textContent = `Render failed: ${(e as Error).message}`;
    }
  };
  const set = (key: string) => (v: unknown) => {
    changed[key] = v;
    clearTimeout(timer);
    status.textContent = "…";
    timer = window.setTimeout(() => void show(api.render(run.id, changed, aspect), ++seq), 250);
  };
  const groups = new Map<string, HTMLElement[]>();
  for (const row of params) {
    const stage = row.owners[0] ?? "unused";
    const c = control(row, set(row.key));
    if (c) groups.set(stage, [...(groups.get(stage) ?? []), c]);
  }
  const sky = h(
    "select",
    { id: "sky" },
    h("option", { value: "" }, "sky preset…"),
    ...["noon", "sunset", "overcast", "night"].map((s) => h("option", { value: s }, s)),
  );
  sky.addEventListener("change", () => {
    if (!sky.value) return;
    status.textContent = "relighting…";
    void show(api.relight(run.id, changed, sky.value), ++seq);
  });
  const saved = h("span", { id: "saved" });
  const save = h("button", { id: "save" }, "Save as new program");
  save.addEventListener("click", async () => {
    const { program } = await api.save(run.id, changed);
    saved.replaceChildren(h("a", { href: program, download: "program.py" }, "saved program"));
  });
  const sections = STAGE_ORDER.filter((s) => groups.has(s)).map((s) =>
    h(
      "details",
      { open: s !== "unused" },
      h("summary", {}, s),
      ...(groups.get(s) ?? []),
      s === "lighting" ? h("label", { class: "param" }, h("span", {}, "sky"), sky) : null,
    ),
  );
  return h(
    "section",
    { class: "params", id: "params" },
    h("h3", {}, "Edit by hand"),
    image,
    status,
    save,
    saved,
    editBox(run, () => ({ ...changed })),
    ...sections,
  );
}
