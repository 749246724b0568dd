/**
 * npx tsx scripts/code-stats.ts — the numbers the architecture issue asks for: total lines of
 * src/, the largest files, the longest functions (TypeScript compiler API), and folder cycles
 * (strongly connected folders in the import graph). `--top N` lists more.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";

const SRC = path.resolve(import.meta.dirname, "../src");
const top = Number(process.argv[process.argv.indexOf("--top") + 1]) || 8;

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return files(p);
    return /\.(ts|py)$/.test(e.name) ? [p] : [];
  });
}

type Fn = { name: string; file: string; lines: number };

function functionsOf(file: string, text: string): Fn[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const out: Fn[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && "body" in node && node.body) {
      const start = source.getLineAndCharacterOfPosition(node.getStart()).line;
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      const name = node.name?.getText(source) ?? "(anonymous)";
      out.push({ name, file: path.relative(SRC, file), lines: end - start + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

const IMPORT =
  /(?:import|export)\s[^;]*?from\s*["'](\.{1,2}\/[^"']+)["']|import\(\s*["'](\.{1,2}\/[^"']+)["']\s*\)/g;

function folderOf(file: string): string {
  const parts = path.relative(SRC, file).split(path.sep);
  return parts.length > 1 ? parts[0]! : ".";
}

/** Folders that sit on an import cycle with another folder (Tarjan's SCCs of size > 1). */
function folderCycles(all: string[]): string[][] {
  const edges = new Map<string, Set<string>>();
  for (const f of all.filter((f) => f.endsWith(".ts"))) {
    for (const m of readFileSync(f, "utf8").matchAll(IMPORT)) {
      const to = folderOf(path.resolve(path.dirname(f), (m[1] ?? m[2])!));
      const from = folderOf(f);
      if (from !== to && path.relative(SRC, f) !== "index.ts") {
        if (!edges.has(from)) edges.set(from, new Set());
        edges.get(from)!.add(to);
      }
    }
  }
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const sccs: string[][] = [];
  const strong = (v: string): void => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    for (const w of edges.get(v) ?? []) {
      if (!idx.has(w)) {
        strong(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (stack.includes(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1) sccs.push(scc.sort());
    }
  };
  for (const v of edges.keys()) if (!idx.has(v)) strong(v);
  return sccs;
}

const all = files(SRC);
const sizes = all.map((f) => ({
  file: path.relative(SRC, f),
  lines: readFileSync(f, "utf8").split("\n").length,
}));
const fns = all.filter((f) => f.endsWith(".ts")).flatMap((f) => functionsOf(f, readFileSync(f, "utf8")));
sizes.sort((a, b) => b.lines - a.lines);
fns.sort((a, b) => b.lines - a.lines);
console.log(`src: ${all.length} files, ${sizes.reduce((n, s) => n + s.lines, 0)} lines`);
console.log(
  `files over 300 lines: ${sizes.filter((s) => s.lines > 300).length}; functions over 60 lines: ${fns.filter((f) => f.lines > 60).length}`,
);
console.log("largest files:");
for (const s of sizes.slice(0, top)) console.log(`  ${s.lines}\t${s.file}`);
console.log("longest functions:");
for (const f of fns.slice(0, top)) console.log(`  ${f.lines}\t${f.name} (${f.file})`);
const cycles = folderCycles(all);
console.log(`folder cycles: ${cycles.length ? cycles.map((c) => c.join(" ↔ ")).join("; ") : "none"}`);
