/**
 * npm run check:imports — the folders of src/ import only downwards, in the order the data
 * flows (docs/architecture.md): a folder may import from folders listed before it, never
 * after. This keeps the pipeline readable from the tree and rules out folder cycles.
 * Exit 1 with one line per offending import.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

/** Lowest first. "." is src/'s own files (errors, text cleaning, seeded random); index.ts is the top. */
export const LAYERS = [
  ".",
  "image",
  "metrics",
  "stages",
  "program",
  "blender",
  "vlm",
  "run",
  "offline",
  "agent",
  "bench",
  "apps",
  "api",
  "mcp",
  "web",
  "queue",
  "cli",
] as const;

/** Folders on one level: neither may import the other. */
const SIBLINGS = [["mcp", "web", "queue"]];

const IMPORT =
  /(?:import|export)\s[^;]*?from\s*["'](\.{1,2}\/[^"']+)["']|import\(\s*["'](\.{1,2}\/[^"']+)["']\s*\)/g;

export type Violation = { file: string; imports: string; reason: string };

function folderOf(srcDir: string, file: string): string {
  const parts = path.relative(srcDir, file).split(path.sep);
  return parts.length > 1 ? parts[0]! : ".";
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return p.endsWith(".ts") ? [p] : [];
  });
}

function rank(folder: string): number {
  return (LAYERS as readonly string[]).indexOf(folder);
}

function check(srcDir: string, file: string, spec: string): string | null {
  const from = folderOf(srcDir, file);
  const to = folderOf(srcDir, path.resolve(path.dirname(file), spec));
  if (from === to) return null;
  if (path.relative(srcDir, file) === "index.ts") return null;
  if (rank(from) < 0) return `folder src/${from} is not in the layer list of scripts/check-imports.ts`;
  if (rank(to) < 0) return `folder src/${to} is not in the layer list of scripts/check-imports.ts`;
  if (SIBLINGS.some((s) => s.includes(from) && s.includes(to))) {
    return `src/${from} and src/${to} are siblings and must not import each other`;
  }
  if (rank(to) > rank(from)) return `src/${from} must not import from src/${to}, which sits above it`;
  return null;
}

/** Every import in srcDir that goes up the layer order or sideways between siblings. */
export function importViolations(srcDir: string): Violation[] {
  const violations: Violation[] = [];
  for (const file of sourceFiles(srcDir)) {
    for (const m of readFileSync(file, "utf8").matchAll(IMPORT)) {
      const spec = (m[1] ?? m[2])!;
      const reason = check(srcDir, file, spec);
      if (reason) violations.push({ file: path.relative(srcDir, file), imports: spec, reason });
    }
  }
  return violations;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const srcDir = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..", "src");
  const violations = importViolations(srcDir);
  for (const v of violations) console.error(`src/${v.file} imports ${v.imports}: ${v.reason}`);
  if (violations.length > 0) process.exit(1);
  console.log(`check-imports: ${LAYERS.length} layers, no upward or sibling imports`);
}
