/**
 * The report's rounds section for VLM runs: per stage, each round's render, the outcome and why,
 * the generator's steps (repairs, rejections), the checklist that followed and the section diff.
 */
import { readFile } from "node:fs/promises";
import type { ChecklistItem } from "./checklist.ts";
import type { RoundRecord, StageSummary } from "./state.ts";
import { type UsageTotals, usageLine } from "./usage.ts";

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);
}

async function image(file: string | null): Promise<string> {
  if (!file) return "<span class=none>no render</span>";
  const data = await readFile(file).catch(() => null);
  return data
    ? `<img src="data:image/png;base64,${data.toString("base64")}" alt="render">`
    : "<span class=none>render missing</span>";
}

function checklistHtml(items: readonly ChecklistItem[], approved: boolean): string {
  if (approved) return "<p>verifier: <b>approved</b></p>";
  if (!items.length) return "<p>verifier: no checklist</p>";
  return `<ul>${items.map((i) => `<li><b>${escapeHtml(i.object)}</b>: ${escapeHtml(i.problem)} → ${escapeHtml(i.fix)}</li>`).join("")}</ul>`;
}

async function roundHtml(r: RoundRecord): Promise<string> {
  const steps = r.steps.map((s) => `<li>${s.call}: ${s.outcome} — ${escapeHtml(s.message)}</li>`).join("");
  return `<div class="round ${r.outcome}"><h4>round ${r.round}: ${r.outcome}${r.psnr === null ? "" : ` · PSNR ${r.psnr.toFixed(2)} dB`}</h4>
${await image(r.render)}<p>${escapeHtml(r.reason)}</p><ol>${steps}</ol>${checklistHtml(r.checklist, r.approved)}
${r.diff ? `<details><summary>section diff</summary><pre>${escapeHtml(r.diff)}</pre></details>` : ""}</div>`;
}

export async function renderRoundsSection(
  rounds: readonly RoundRecord[],
  stages: Readonly<Record<string, StageSummary>>,
  usage: UsageTotals,
): Promise<string> {
  const order = [...new Set(rounds.map((r) => r.stage))];
  const parts = await Promise.all(
    order.map(async (stage) => {
      const s = stages[stage];
      const tuned = s?.tuned
        ? ` · --tune: PSNR ${s.tuned.psnrBefore.toFixed(2)} → ${s.tuned.psnrAfter.toFixed(2)} dB (${s.tuned.renders} renders)`
        : "";
      const head = s
        ? `${s.rounds} rounds, ${s.approved ? "approved" : "not approved"}, PSNR ${s.psnr.toFixed(2)} dB${tuned}`
        : "";
      const body = await Promise.all(rounds.filter((r) => r.stage === stage).map(roundHtml));
      return `<h3>${escapeHtml(stage)}</h3><p>${head}</p>${body.join("\n")}`;
    }),
  );
  const table = Object.entries(usage.byPurpose)
    .map(([k, t]) => `<tr><td>${escapeHtml(k)}</td><td>${escapeHtml(usageLine(t))}</td></tr>`)
    .join("");
  return `<style>.round{border-left:4px solid #ccc;padding-left:8px;margin:8px 0}.round.accepted{border-color:#2a2}.round.reverted{border-color:#c80}.round.rejected{border-color:#c22}.round img{width:240px;image-rendering:pixelated}.none{color:#888}</style>
<h2>Rounds</h2>${parts.join("\n")}
<h2>Model usage</h2><p>${escapeHtml(usageLine(usage.total))}</p><table>${table}</table>`;
}
