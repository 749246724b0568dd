/** The page's router: `#/` is the runs list with the new-run form, `#/run/<id>` one run. */
import "./style.css";
import { runPage } from "./run-page.ts";
import { runsPage } from "./runs-page.ts";

const app = document.getElementById("app")!;
let cleanup: (() => void) | null = null;

async function route(): Promise<void> {
  cleanup?.();
  cleanup = null;
  app.replaceChildren();
  const match = location.hash.match(/^#\/run\/([^/]+)$/);
  try {
    cleanup = match ? await runPage(app, decodeURIComponent(match[1]!)) : await runsPage(app);
  } catch (e) {
    app.replaceChildren(
      Object.assign(document.createElement("p"), { className: "error", textContent: String(e) }),
    );
  }
}

window.addEventListener("hashchange", () => void route());
void route();
