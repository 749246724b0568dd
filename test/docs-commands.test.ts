/**
 * Every command the README and docs/ show exists: `seig …` lines are parsed by the real
 * command tree (commands, arguments, options and their value parsers; actions stubbed out),
 * `npm run …` names a package.json script, `bash scripts/…` a file on disk. Usage lines in
 * inline code name real commands and options. The cheap ones run for real.
 */
import { execFile } from "node:child_process";
import { access, constants, copyFile, mkdtemp, readdir, readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type Command, CommanderError } from "commander";
import { describe, expect, it } from "vitest";
import { buildCli, forEachCommand } from "../src/cli/main.ts";
import { oneLine } from "../src/errors.ts";
import { loadImage } from "../src/image/load.ts";
import { mse } from "../src/metrics/psnr.ts";
import { type DocCommand, fencedCommands, inlineSeigSpans } from "./support/doc-commands.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const bin = path.join(root, "bin/seig.js");
/**
 * Programs the docs show that are not seig's (model servers, Redis, MCP clients): only their
 * names are checked, and the command they are given after `--` (`claude mcp add seig -- node …`).
 */
const EXTERNAL = new Set(["ollama", "vllm", "llama-server", "redis-server", "claude"]);

async function docFiles(): Promise<{ file: string; text: string }[]> {
  const docs = (await readdir(path.join(root, "docs")))
    .filter((f) => f.endsWith(".md"))
    .map((f) => `docs/${f}`);
  const files = ["README.md", "examples/README.md", ...docs];
  return Promise.all(
    files.map(async (file) => ({ file, text: await readFile(path.join(root, file), "utf8") })),
  );
}

async function allCommands(): Promise<DocCommand[]> {
  return (await docFiles()).flatMap(({ file, text }) => fencedCommands(file, text));
}

/** The command tree with every action replaced by nothing and all output swallowed. */
function dryCli(): Command {
  const cli = buildCli();
  forEachCommand(cli, (command) => {
    command.configureOutput({ writeOut: () => {}, writeErr: () => {}, outputError: () => {} });
    if (command !== cli && command.commands.length === 0) command.action(() => {});
  });
  return cli;
}

/** Why commander (or an option's parser) refuses these arguments, or null when it accepts them. */
async function seigProblem(args: string[]): Promise<string | null> {
  try {
    await dryCli().parseAsync(args, { from: "user" });
    return null;
  } catch (e) {
    if (e instanceof CommanderError && e.exitCode === 0) return null;
    return oneLine(e);
  }
}

/** seig's arguments when the words run seig (`seig`, `node <checkout>/bin/seig.js`, `npx seig`). */
function seigArgs(words: string[]): string[] | null {
  if (words[0] === "seig") return words.slice(1);
  const viaNode = words[0] === "node" && /(^|\/)bin\/seig\.js$/.test(words[1] ?? "");
  if (viaNode || (words[0] === "npx" && words[1] === "seig")) return words.slice(2);
  return null;
}

async function isFile(file: string, mode = constants.R_OK): Promise<boolean> {
  return access(path.join(root, file), mode).then(
    () => true,
    () => false,
  );
}

/** Why a documented command would not run, or null. */
async function problemOf(command: DocCommand, scripts: Record<string, string>): Promise<string | null> {
  // `sudo` only changes who runs the command.
  const words = command.words[0] === "sudo" ? command.words.slice(1) : command.words;
  const [program, ...rest] = words;
  const args = seigArgs(words);
  if (args) return seigProblem(args);
  if (program === "npm") {
    const script = rest[0] === "run" ? rest[1]! : rest[0]!;
    if (["install", "ci"].includes(script)) return null;
    return script in scripts ? null : `package.json has no script "${script}"`;
  }
  if (program === "bash" || (program === "npx" && rest[0] === "tsx"))
    return (await isFile(rest.at(program === "npx" ? 1 : 0)!)) ? null : `${rest.join(" ")} does not exist`;
  if (program!.startsWith("scripts/"))
    return (await isFile(program!, constants.X_OK)) ? null : `${program} is not an executable file`;
  if (!EXTERNAL.has(program!)) return `"${program}" is neither seig's nor a known external program`;
  const handed = rest.indexOf("--");
  return handed < 0 ? null : problemOf({ ...command, words: rest.slice(handed + 1) }, scripts);
}

/** Why a usage line names a command or an option seig does not have, or null. */
function synopsisProblem(text: string, cli: Command): string | null {
  const tokens = text.split(/\s+/).slice(1);
  let commands = [cli];
  for (const token of tokens) {
    const names = token.split("|");
    const found = names.map((n) =>
      commands[0]!.commands.find((c) => c.name() === n || c.aliases().includes(n)),
    );
    if (commands.length > 1 || found.some((c) => !c)) break;
    commands = found as Command[];
  }
  if (commands[0] === cli) return `"${tokens[0]}" is not a seig command`;
  const flags = tokens
    .flatMap((t) => t.replace(/[[\]]/g, "").split("|"))
    .filter((t) => /^--?[a-z]/.test(t))
    .map((t) => t.replace(/=.*$/, ""));
  for (const flag of flags) {
    const known = commands.some((c) => c.options.some((o) => o.long === flag || o.short === flag));
    if (!known) return `seig ${commands.map((c) => c.name()).join("|")} has no option ${flag}`;
  }
  return null;
}

describe("documented commands", () => {
  it("finds the commands of README.md and docs/ (the extraction itself works)", async () => {
    const commands = await allCommands();
    const texts = commands.map((c) => c.text);
    expect(texts).toContain("bash scripts/quickstart.sh");
    expect(texts).toContain("npm test");
    expect(commands.filter((c) => seigArgs(c.words)).length).toBeGreaterThan(10);
  });

  it("every fenced command is a real command, script or file", async () => {
    const { scripts } = JSON.parse(await readFile(path.join(root, "package.json"), "utf8"));
    const problems: string[] = [];
    for (const command of await allCommands()) {
      const problem = await problemOf(command, scripts);
      if (problem) problems.push(`${command.where}: ${command.text} — ${problem}`);
    }
    expect(problems).toEqual([]);
  });

  it("every package.json script runs a command or file that exists", async () => {
    const { scripts } = JSON.parse(await readFile(path.join(root, "package.json"), "utf8"));
    const problems: string[] = [];
    for (const [name, line] of Object.entries(scripts as Record<string, string>)) {
      for (const part of line.split("&&")) {
        const command = fencedCommands("package.json", `\`\`\`sh\n${part.trim()}\n\`\`\``)[0]!;
        const args = seigArgs(command.words);
        const problem = args
          ? await seigProblem(args)
          : command.words[0] === "tsx" && !(await isFile(command.words[1]!))
            ? `${command.words[1]} does not exist`
            : null;
        if (problem) problems.push(`npm run ${name}: ${problem}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("every usage line in inline code names real commands and options", async () => {
    const cli = dryCli();
    const problems: string[] = [];
    for (const { file, text } of await docFiles()) {
      for (const span of inlineSeigSpans(file, text)) {
        const problem = synopsisProblem(span.text, cli);
        if (problem) problems.push(`${span.where}: ${span.text} — ${problem}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("the checks catch a command, an option and a script that do not exist", async () => {
    expect(await seigProblem(["run", "photo.jpg"])).toMatch(/unknown command 'run'/);
    expect(await seigProblem(["render", "p.py", "--resolution", "64x48"])).toMatch(/unknown option/);
    expect(await seigProblem(["render", "p.py", "--res", "big"])).toMatch(/--res must look like/);
    expect(await seigProblem(["reconstruct", "p.jpg", "-o", "run"])).toBeNull();
    expect(synopsisProblem("seig run photo.jpg", dryCli())).toMatch(/not a seig command/);
    expect(synopsisProblem("seig views <program> [--gifs]", dryCli())).toMatch(/no option --gifs/);
    const example = fencedCommands("x.md", "```sh\nnpm run example\n```")[0]!;
    expect(await problemOf(example, {})).toMatch(/no script "example"/);
    const handed = fencedCommands("x.md", "```sh\nclaude mcp add seig -- node /x/bin/seig.js mcpp\n```")[0]!;
    expect(await problemOf(handed, {})).toMatch(/unknown command 'mcpp'/);
  });
});

function runIn(cwd: string, args: string[], env: NodeJS.ProcessEnv) {
  return new Promise<{ code: number; out: string }>((resolve) => {
    execFile("node", [bin, ...args], { cwd, env }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code) : 0, out: stdout + stderr }),
    );
  });
}

describe("documented commands, run", () => {
  it("prints the output the docs show under a $ command", { timeout: 60_000 }, async () => {
    const shown = (await allCommands()).filter((c) => c.output.length && seigArgs(c.words));
    expect(shown.length).toBeGreaterThan(0);
    const cwd = await mkdtemp(path.join(os.tmpdir(), "seig-docs-"));
    // The docs' examples name photo.jpg; sharp reads the bundled PNG whatever its name.
    await copyFile(path.join(root, "examples/photos/clevr.png"), path.join(cwd, "photo.jpg"));
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/_API_KEY$/.test(k)));
    for (const command of shown) {
      const { out } = await runIn(cwd, seigArgs(command.words)!, env);
      const printed = out.replace(/^seig: /gm, "");
      for (const line of command.output) expect(printed, command.where).toContain(line);
    }
  });

  it("the example suite command renders exactly the bundled example photo", {
    timeout: 120_000,
  }, async () => {
    const command = (await allCommands()).find(
      (c) => c.where.startsWith("examples/README.md") && /^\w+_000$/.test(c.comment),
    )!;
    const args = seigArgs(command.words)!;
    expect(args.slice(0, 2)).toEqual(["bench", "generate"]);
    const out = await mkdtemp(path.join(os.tmpdir(), "seig-docs-suite-"));
    args[args.indexOf("-o") + 1] = out;
    expect((await runIn(root, args, process.env)).code).toBe(0);
    const suite = args[args.indexOf("--suite") + 1]!;
    const [made, bundled] = await Promise.all([
      loadImage(path.join(out, command.comment, "target.png"), { maxSide: 0 }),
      loadImage(path.join(root, "examples/photos", `${suite}.png`), { maxSide: 0 }),
    ]);
    expect(mse(made, bundled)).toBe(0);
  });
});
