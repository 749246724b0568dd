/**
 * The static pre-flight of a program's Blender API use against the running Blender (rna-dump.ts):
 * operators and their keyword arguments, node types, socket names, property names and enum values.
 * It reads the code as text, never runs it, and reports every problem at once, so one repair call
 * fixes what Python would reveal one error at a time. Principled BSDF inputs renamed between 3.x
 * and 4.x are fixed in place, since that mapping is certain.
 */
import type { BlenderApi } from "../blender/rna-dump.ts";

/** Principled BSDF inputs: Blender 3.x name ↔ 4.x name (the renames with the same meaning). */
export const PRINCIPLED_RENAMES: ReadonlyArray<readonly [string, string]> = [
  ["Specular", "Specular IOR Level"],
  ["Subsurface", "Subsurface Weight"],
  ["Emission", "Emission Color"],
  ["Transmission", "Transmission Weight"],
  ["Sheen", "Sheen Weight"],
  ["Clearcoat", "Coat Weight"],
  ["Clearcoat Roughness", "Coat Roughness"],
  ["Clearcoat Normal", "Coat Normal"],
];
const PRINCIPLED = "ShaderNodeBsdfPrincipled";

/** Default node names and type enums that tell what a variable holds. */
const NODE_HINTS: ReadonlyArray<readonly [RegExp, string]> = [
  [/Principled BSDF|BSDF_PRINCIPLED|BsdfPrincipled/, PRINCIPLED],
  [/Material Output|OUTPUT_MATERIAL/, "ShaderNodeOutputMaterial"],
  [/["']Background["']|BACKGROUND/, "ShaderNodeBackground"],
  [/["']Emission["']|["']EMISSION["']/, "ShaderNodeEmission"],
];

export interface ApiCheck {
  source: string;
  /** Renames applied, e.g. `line 40: "Specular IOR Level" → "Specular"`. */
  fixes: string[];
  problems: string[];
}

/** The line with its comment removed (strings kept: socket and node names live in them). */
function code(line: string): string {
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "#") return line.slice(0, i);
  }
  return line;
}

/** The text between the parenthesis at `open` and its match (same line or later ones). */
function callArgs(text: string, open: number): string {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === "(") depth++;
    else if (text[i] === ")" && --depth === 0) return text.slice(open + 1, i);
  }
  return text.slice(open + 1);
}

function keywordArgs(args: string): string[] {
  const names: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i <= args.length; i++) {
    const c = args[i];
    if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") depth--;
    else if ((c === "," && depth === 0) || i === args.length) {
      const m = /^\s*(\w+)\s*=(?!=)/.exec(args.slice(start, i));
      if (m) names.push(m[1]!);
      start = i + 1;
    }
  }
  return names;
}

function closest(name: string, options: Iterable<string>): string | null {
  let best: string | null = null;
  let score = Number.POSITIVE_INFINITY;
  for (const o of options) {
    const d = distance(name, o);
    if (d < score) [best, score] = [o, d];
  }
  return score <= Math.max(2, Math.floor(name.length / 4)) ? best : null;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const next = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = row[j]!;
      row[j] = next;
    }
  }
  return row[b.length]!;
}

const didYouMean = (s: string | null) => (s ? ` (did you mean "${s}"?)` : "");

class Checker {
  readonly problems: string[] = [];
  readonly fixes: string[] = [];
  private readonly vars = new Map<string, string>();
  private readonly props: Set<string>;
  private readonly allInputs: Set<string>;
  private readonly allOutputs: Set<string>;

  constructor(private readonly api: BlenderApi) {
    this.props = new Set(api.properties);
    const nodes = Object.values(api.shaderNodes);
    this.allInputs = new Set(nodes.flatMap((n) => n.inputs));
    this.allOutputs = new Set(nodes.flatMap((n) => n.outputs));
  }

  line(text: string, n: number, whole: string, offset: number): string {
    const line = code(text);
    this.track(line);
    this.operators(line, n, whole, offset);
    this.nodeTypes(line, n);
    this.attributes(line, n);
    return this.sockets(text, line, n);
  }

  /** `x = ...nodes.new("T")` or a node found by its default name: x holds a T. */
  private track(line: string): void {
    const m = /^\s*(\w+)\s*=(?!=)\s*(.*)$/.exec(line);
    if (!m) return;
    const created = /nodes\.new\(\s*(?:type\s*=\s*)?["'](\w+)["']/.exec(m[2]!);
    const hinted = NODE_HINTS.find(([re]) => re.test(m[2]!))?.[1];
    if (created ?? hinted) this.vars.set(m[1]!, created?.[1] ?? hinted!);
    else this.vars.delete(m[1]!);
  }

  private operators(line: string, n: number, whole: string, offset: number): void {
    for (const m of line.matchAll(/bpy\.ops\.(\w+)\.(\w+)\s*\(/g)) {
      const id = `${m[1]}.${m[2]}`;
      const args = this.api.operators[id];
      if (!args) {
        const same = Object.keys(this.api.operators).filter((k) => k.startsWith(`${m[1]}.`));
        this.problems.push(
          `line ${n}: bpy.ops.${id} does not exist in this Blender${didYouMean(closest(id, same))}`,
        );
        continue;
      }
      const open = offset + m.index! + m[0].length - 1;
      for (const kw of keywordArgs(callArgs(whole, open)).filter((k) => !args.includes(k))) {
        this.problems.push(
          `line ${n}: bpy.ops.${id} has no argument "${kw}" (it takes ${args.join(", ") || "none"})`,
        );
      }
    }
  }

  private nodeTypes(line: string, n: number): void {
    for (const m of line.matchAll(/nodes\.new\(\s*(?:type\s*=\s*)?["'](\w+)["']/g)) {
      if (!this.api.types.includes(m[1]!)) {
        const nodes = this.api.types.filter((t) => t.includes("Node"));
        this.problems.push(
          `line ${n}: there is no node type "${m[1]}" in this Blender${didYouMean(closest(m[1]!, nodes))}`,
        );
      }
    }
  }

  private attributes(line: string, n: number): void {
    const bare = line.replace(/(["'])(?:\\.|(?!\1).)*\1/g, '""');
    for (const m of bare.matchAll(/\.([A-Za-z_]\w*)\s*(?:[-+*/]?=)(?!=)/g)) {
      if (!this.props.has(m[1]!)) {
        this.problems.push(
          `line ${n}: no Blender type has a property "${m[1]}"${didYouMean(closest(m[1]!, this.props))}`,
        );
      }
    }
    for (const m of line.matchAll(/\.(\w+)\s*=(?!=)\s*["']([\w ]+)["']/g)) {
      const items = this.api.enums[m[1]!];
      if (items && !items.includes(m[2]!)) {
        const valid =
          items.length <= 12 ? ` (valid: ${items.join(", ")})` : didYouMean(closest(m[2]!, items));
        this.problems.push(`line ${n}: "${m[2]}" is not a value of ${m[1]} in this Blender${valid}`);
      }
    }
  }

  /** Checks socket names; returns the line with certain Principled renames applied. */
  private sockets(original: string, line: string, n: number): string {
    let fixed = original;
    for (const m of line.matchAll(/(\w+)\.(inputs|outputs)\[\s*["']([^"'\]]+)["']\s*\]/g)) {
      const [, variable, side, name] = m as unknown as [string, string, "inputs" | "outputs", string];
      const type = this.vars.get(variable);
      const node = type ? this.api.shaderNodes[type] : undefined;
      const valid = node ? new Set(node[side]) : side === "inputs" ? this.allInputs : this.allOutputs;
      if (valid.has(name)) continue;
      const renamed = side === "inputs" && (!type || type === PRINCIPLED) ? this.rename(name) : null;
      if (renamed) {
        fixed = fixed.replace(new RegExp(`(["'])${escapeRegExp(name)}\\1`), `"${renamed}"`);
        this.fixes.push(`line ${n}: "${name}" → "${renamed}"`);
        continue;
      }
      const where = type
        ? `${type} has no ${side.slice(0, -1)} "${name}"`
        : `no node has an ${side.slice(0, -1)} "${name}"`;
      this.problems.push(`line ${n}: ${where}${didYouMean(closest(name, valid))}`);
    }
    return fixed;
  }

  private rename(name: string): string | null {
    const principled = new Set(this.api.shaderNodes[PRINCIPLED]?.inputs ?? []);
    for (const [three, four] of PRINCIPLED_RENAMES) {
      if (name === four && principled.has(three)) return three;
      if (name === three && principled.has(four)) return four;
    }
    return null;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Checks a program body (text before the end marker); `source` keeps the rest as it is. */
export function checkApiUse(body: string, api: BlenderApi): ApiCheck {
  const checker = new Checker(api);
  const lines = body.split("\n");
  let offset = 0;
  const out = lines.map((text, i) => {
    const fixed = checker.line(text, i + 1, body, offset);
    offset += text.length + 1;
    return fixed;
  });
  return { source: out.join("\n"), fixes: checker.fixes, problems: checker.problems };
}
