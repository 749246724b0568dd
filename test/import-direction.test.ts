import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { importViolations } from "../scripts/check-imports.ts";

const src = path.join(import.meta.dirname, "..", "src");

async function tree(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "seig-imports-"));
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), text);
  }
  return dir;
}

describe("import direction", () => {
  it("src/ imports only downwards in the data-flow order", () => {
    expect(importViolations(src)).toEqual([]);
  });

  it("catches an upward import, a sibling import and an unlisted folder", async () => {
    const dir = await tree({
      "program/emit.ts": 'import { x } from "../agent/run.ts";\nexport const y = x;\n',
      "agent/run.ts": 'import { e } from "../program/emit.ts";\nexport const x = e;\n',
      "mcp/a.ts": 'export { w } from "../web/b.ts";\n',
      "web/b.ts": "export const w = 1;\n",
      "extra/c.ts": 'const m = await import("../image/load.ts");\n',
      "index.ts": 'export * from "../src/cli/main.ts";\n',
    });
    try {
      const found = importViolations(dir)
        .map((v) => `${v.file}: ${v.reason}`)
        .sort();
      expect(found).toEqual([
        "extra/c.ts: folder src/extra is not in the layer list of scripts/check-imports.ts",
        "mcp/a.ts: src/mcp and src/web are siblings and must not import each other",
        "program/emit.ts: src/program must not import from src/agent, which sits above it",
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
