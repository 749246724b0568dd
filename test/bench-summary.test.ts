import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import type { RunColumn } from "../src/bench/compare.ts";
import {
  readRunOrScores,
  replaceSummary,
  SUMMARY_END,
  SUMMARY_START,
  summaryMarkdown,
} from "../src/bench/summary.ts";
import { main } from "../src/cli/main.ts";
import { InputError } from "../src/errors.ts";

const runs: RunColumn[] = [
  {
    label: "offline (clevr)",
    rows: [
      { scene: "a", values: { psnr: 20, recall: 1, positionErr: 0.1, imageErr: 0.02 } },
      { scene: "b", values: { psnr: 24, recall: 0.5, positionErr: null, imageErr: null } },
      { scene: "c", values: {}, error: "Blender crashed" },
    ],
  },
  { label: "offline (photos)", rows: [{ scene: "x", values: { psnr: 15 } }] },
];

describe("summaryMarkdown", () => {
  it("writes one row per run with the means over the scenes that have each number", () => {
    const lines = summaryMarkdown(runs).trim().split("\n");
    expect(lines[0]).toBe("| run | scenes | failed | PSNR ↑ | recall ↑ | pos err ↓ | img err ↓ |");
    expect(lines[2]).toBe("| offline (clevr) | 3 | 1 | 22.00 | 0.75 | 0.100 | 0.020 |");
    expect(lines[3]).toBe("| offline (photos) | 1 | 0 | 15.00 | – | – | – |");
  });
});

describe("replaceSummary", () => {
  it("replaces only the text between the markers", () => {
    const doc = `# Results\n\nintro\n${SUMMARY_START}\nold table\n${SUMMARY_END}\n\noutro\n`;
    const out = replaceSummary(doc, "| new |\n", "results.md");
    expect(out).toBe(`# Results\n\nintro\n${SUMMARY_START}\n| new |\n${SUMMARY_END}\n\noutro\n`);
    expect(replaceSummary(out, "| new |\n", "results.md")).toBe(out);
  });

  it("refuses a document without the markers", () => {
    expect(() => replaceSummary("# Results\n", "x", "results.md")).toThrow(InputError);
  });
});

describe("seig bench summary", () => {
  it("prints the table with the note and writes it into the document's block", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "seig-bench-summary-"));
    try {
      const folders = await Promise.all(
        runs.map(async (run, i) => {
          const folder = path.join(dir, `run${i}`);
          await mkdir(folder);
          await writeFile(
            path.join(folder, "results.json"),
            JSON.stringify({ method: "offline", rows: run.rows }),
          );
          return folder;
        }),
      );
      const doc = path.join(dir, "results.md");
      await writeFile(doc, `# R\n${SUMMARY_START}\n${SUMMARY_END}\nkept\n`);
      const out: string[] = [];
      const spy = vi.spyOn(process.stdout, "write").mockImplementation((t) => out.push(String(t)) > 0);
      const code = await main([
        "node",
        "seig",
        "bench",
        "summary",
        ...folders,
        "--note",
        "took 3 min",
        "--doc",
        doc,
      ]);
      spy.mockRestore();
      expect(code).toBe(0);
      expect(out.join("")).toContain("| offline (run0) | 3 | 1 | 22.00 |");
      const written = await readFile(doc, "utf8");
      expect(written).toContain("took 3 min");
      expect(written).toContain("| offline (run1) | 1 | 0 | 15.00 |");
      expect(written.endsWith(`${SUMMARY_END}\nkept\n`)).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("readRunOrScores", () => {
  it("summarises an unfinished run from the score files of its finished scenes", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "seig-bench-partial-"));
    try {
      for (const scene of ["s1", "s2", "s3"])
        await mkdir(path.join(dir, "scenes", scene), { recursive: true });
      const score = (scene: string, psnr: number) => ({
        scene,
        target: "t.png",
        render: "final.png",
        values: { psnr },
        metrics: null,
        errors3d: null,
        stages: [],
      });
      await writeFile(path.join(dir, "scenes", "s1", "score.json"), JSON.stringify(score("s1", 20)));
      await writeFile(path.join(dir, "scenes", "s3", "score.json"), JSON.stringify(score("s3", 30)));
      const run = await readRunOrScores(dir);
      expect(run.label).toBe(`unfinished (${path.basename(dir)}, 2 of 3 scenes)`);
      expect(run.rows.map((r) => [r.scene, r.values["psnr"]])).toEqual([
        ["s1", 20],
        ["s3", 30],
      ]);
      await expect(readRunOrScores(path.join(dir, "scenes", "s2"))).rejects.toThrow(InputError);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
