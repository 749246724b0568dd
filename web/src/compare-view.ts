/** The photo and the render: a before/after slider, and a per-pixel difference heatmap. */
import { h } from "./dom.ts";

function load(src: string): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => resolve(img);
    img.onerror = () => reject(new Error(`cannot load ${src}`));
    img.src = src;
  });
}

/** |photo − render| per pixel, mean over RGB, on a black→red→yellow→white ramp. */
async function drawHeatmap(canvas: HTMLCanvasElement, target: string, render: string): Promise<void> {
  const [a, b] = await Promise.all([load(target), load(render)]);
  canvas.width = a.naturalWidth;
  canvas.height = a.naturalHeight;
  const ctx = canvas.getContext("2d", { willReadFrequently: true })!;
  ctx.drawImage(a, 0, 0);
  const pa = ctx.getImageData(0, 0, canvas.width, canvas.height);
  ctx.drawImage(b, 0, 0, canvas.width, canvas.height);
  const pb = ctx.getImageData(0, 0, canvas.width, canvas.height);
  const out = ctx.createImageData(canvas.width, canvas.height);
  for (let i = 0; i < out.data.length; i += 4) {
    const d =
      (Math.abs(pa.data[i]! - pb.data[i]!) +
        Math.abs(pa.data[i + 1]! - pb.data[i + 1]!) +
        Math.abs(pa.data[i + 2]! - pb.data[i + 2]!)) /
      (3 * 255);
    const t = Math.min(1, d * 3);
    out.data[i] = Math.min(255, t * 3 * 255);
    out.data[i + 1] = Math.max(0, Math.min(255, (t * 3 - 1) * 255));
    out.data[i + 2] = Math.max(0, Math.min(255, (t * 3 - 2) * 255));
    out.data[i + 3] = 255;
  }
  ctx.putImageData(out, 0, 0);
}

export function compareView(target: string, render: string): HTMLElement {
  const over = h("img", { src: render, class: "over", alt: "render" });
  const slider = h("input", {
    type: "range",
    min: 0,
    max: 100,
    value: 50,
    id: "compare-slider",
    "aria-label": "compare",
  });
  const setClip = () => {
    over.style.clipPath = `inset(0 0 0 ${slider.value}%)`;
  };
  slider.addEventListener("input", setClip);
  setClip();
  const heat = h("canvas", { class: "heatmap", id: "heatmap" });
  void drawHeatmap(heat, target, render).catch(() => {});
  return h(
    "section",
    { class: "compare", id: "compare" },
    h("h3", {}, "Photo | render"),
    h("div", { class: "stack" }, h("img", { src: target, alt: "photo" }), over),
    slider,
    h("h3", {}, "Difference (brighter = further apart)"),
    heat,
  );
}
