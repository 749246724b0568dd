import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EditResult, type EditRuntime, editProgram } from "../src/apps/edit.ts";
import { diffFingerprints } from "../src/blender/fingerprint-diff.ts";
import { BlenderPool } from "../src/blender/pool.ts";
import { programBody } from "../src/program/assemble.ts";
import { parseProgram } from "../src/program/parse.ts";
import { readTrace } from "../src/vlm/trace.ts";
import { createEditOracle, type EditOracleOptions, MOVE_MARK } from "./support/edit-oracle.ts";
import { type FakeProviders, startFakeProviders } from "./support/fake-providers.ts";
import { runSeig } from "./support/run-cli.ts";

const example = fileURLToPath(new URL("../examples/tabletop/program.py", import.meta.url));
const TINY = { width: 64, height: 48, samples: 4 };

let root: string;
let pool: BlenderPool;
let input: string;
let source: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "seig-edit-"));
  input = path.join(root, "program.py");
  await copyFile(example, input);
  source = await readFile(input, "utf8");
  pool = await BlenderPool.start({ size: 2 });
}, 60_000);

afterAll(async () => {
  await pool?.close();
  await rm(root, { recursive: true, force: true });
});

function envFor(fake: FakeProviders): Record<string, string> {
  return { OPENAI_API_KEY: "test", OPENAI_BASE_URL: fake.baseURLs.openai };
}

async function withEditOracle<T>(
  options: EditOracleOptions,
  run: (runtime: EditRuntime, fake: FakeProviders, oracle: ReturnType<typeof createEditOracle>) => Promise<T>,
): Promise<T> {
  const oracle = createEditOracle(options);
  const fake = await startFakeProviders(oracle.handler);
  try {
    const result = await run({ pool, env: envFor(fake) }, fake, oracle);
    expect(oracle.problems).toEqual([]);
    return result;
  } finally {
    await fake.close();
  }
}

async function fingerprintOf(program: string) {
  const reply = await pool.run({ body: programBody(program) });
  expect(reply.ok).toBe(true);
  return reply.fingerprint!;
}

describe("seig edit against the edit oracle", () => {
  let blue: EditResult;
  const out = () => path.join(root, "blue", "program.edited.py");

  it("makes the red box blue as a material edit that changes only materials", async () => {
    await mkdir(path.join(root, "blue"));
    blue = await withEditOracle({}, (runtime) =>
      editProgram(
        source,
        out(),
        { instruction: "make the red box blue", model: "openai:gpt-4o", ...TINY },
        runtime,
      ),
    );
    expect(blue.stage).toBe("material");
    expect(blue.attempts.map((a) => a.outcome)).toEqual(["carried-out"]);
    expect(blue.changes.length).toBeGreaterThan(0);
    expect(new Set(blue.changes.map((c) => c.factor))).toEqual(new Set(["material"]));

    const written = await readFile(out(), "utf8");
    expect(written).toBe(blue.source);
    expect(parseProgram(written).params["red_box.color"]).toEqual([0.05, 0.15, 0.85]);
    expect(parseProgram(written).params["steel_ball.color"]).toEqual(
      parseProgram(source).params["steel_ball.color"],
    );
    // Checked again from scratch: built input and output differ in materials only.
    const changed = diffFingerprints(await fingerprintOf(source), await fingerprintOf(written));
    expect(changed.map((c) => c.factor)).toEqual(changed.map(() => "material"));
    expect(changed.length).toBeGreaterThan(0);

    for (const file of [blue.outputs.before, blue.outputs.after, blue.outputs.comparison])
      expect((await stat(file)).size).toBeGreaterThan(100);
    expect(path.basename(blue.outputs.comparison)).toBe("program.edited.comparison.png");
    const trace = (await readFile(blue.outputs.trace, "utf8")).trim().split("\n");
    expect(trace.map((l) => JSON.parse(l).purpose)).toEqual([
      "edit-classify",
      "edit:material",
      "edit-verify:material",
    ]);
    expect(trace.length).toBe(blue.usage.total.calls);
    const images = trace.flatMap((l) =>
      JSON.parse(l)
        .request.parts.filter((p: { image?: string }) => p.image)
        .map((p: { image: string }) => p.image),
    );
    expect(images.length).toBeGreaterThanOrEqual(5);
    for (const image of images)
      expect((await stat(path.join(root, "blue", "trace-images", image))).size).toBeGreaterThan(100);
    expect(await readFile(input, "utf8")).toBe(source);
  }, 60_000);

  it("replays the recorded edit without a model to the same program", async () => {
    const again = await editProgram(
      source,
      path.join(root, "blue", "replayed.py"),
      { instruction: "make the red box blue", model: `replay:${blue.outputs.trace}`, ...TINY },
      { pool },
    );
    expect(again.source).toBe(blue.source);
    expect(again.usage.total.costUsd).toBe(0);
    // The replayed calls went through the same middleware as the recorded ones: same conversation.
    const conversation = async (trace: string) =>
      (await readTrace(trace)).map((e) => [e.seq, e.purpose, e.model, e.request.textSha256, e.response]);
    expect(await conversation(again.outputs.trace)).toEqual(await conversation(blue.outputs.trace));
  }, 60_000);

  it("rejects a candidate that also moves the box and repairs it", async () => {
    const result = await withEditOracle({ movesObjectOnce: true }, async (runtime, _fake, oracle) => {
      await mkdir(path.join(root, "moved"));
      const r = await editProgram(
        source,
        path.join(root, "moved", "program.edited.py"),
        { instruction: "make the red box blue", model: "openai:gpt-4o", ...TINY },
        runtime,
      );
      const repair = oracle.prompts.get("edit-repair:material");
      expect(repair).toHaveLength(1);
      expect(repair![0]).toMatch(
        /your material code writes the location of red_box, which the composition stage owns/,
      );
      return r;
    });
    const steps = result.attempts[0]!.steps;
    expect(steps.map((s) => [s.call, s.outcome])).toEqual([
      ["stage", "out-of-scope"],
      ["repair", "ok"],
    ]);
    expect(steps[0]!.message).toMatch(/location of red_box, which the composition stage owns/);
    expect(result.source).not.toContain(MOVE_MARK);
    expect(new Set(result.changes.map((c) => c.factor))).toEqual(new Set(["material"]));
  }, 60_000);
});

describe("seig edit on the command line", () => {
  it("writes nothing and exits 1 with one line when the verifier never sees the change", async () => {
    const dir = path.join(root, "refused");
    await mkdir(dir);
    await copyFile(example, path.join(dir, "program.py"));
    const oracle = createEditOracle({ refuses: true });
    const fake = await startFakeProviders(oracle.handler);
    try {
      const args = [
        "edit",
        path.join(dir, "program.py"),
        "make the red box blue",
        "--model",
        "openai:gpt-4o",
      ];
      const result = await runSeig(
        [...args, "--res", "64x48", "--samples", "4", "--attempts", "2", "--quiet", "--concurrency", "1"],
        envFor(fake),
      );
      expect(result.code).toBe(1);
      expect(result.stderr.trim().split("\n")).toHaveLength(1);
      expect(result.stderr).toMatch(
        /material edit was not carried out after 2 attempts \(last: the box still looks red\); nothing was written/,
      );
      expect(await readdir(dir)).toEqual(["program.py"]);
      expect(oracle.prompts.get("edit-verify:material")).toHaveLength(2);
      // The second attempt is told why the first was turned down.
      expect(oracle.prompts.get("edit:material")![1]).toContain("the box still looks red");
      expect(oracle.problems).toEqual([]);

      const overwrite = await runSeig([...args, "-o", path.join(dir, "program.py")], envFor(fake));
      expect(overwrite.code).toBe(2);
      expect(overwrite.stderr).toMatch(/never overwrites its input/);
    } finally {
      await fake.close();
    }
  }, 60_000);
});
