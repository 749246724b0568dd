/**
 * `seig doctor`: what this machine can do — Blender, sandbox, a real test render, metric
 * models, provider keys. It exits 1 when a reconstruction would not start.
 */
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { Command } from "commander";
import { ffmpegAvailable } from "../apps/turntable.ts";
import { findBlender } from "../blender/find.ts";
import { probeRender } from "../blender/health-check.ts";
import { probeBubblewrap } from "../blender/sandbox.ts";
import { oneLine } from "../errors.ts";
import { defaultLpipsModelPath, defaultModelCacheDir, defaultModelsDir } from "../metrics/model-paths.ts";
import { CLIP_MODEL, DINO_MODEL } from "../metrics/semantic-models.ts";
import { pathExists } from "../path-exists.ts";
import { keyStatus } from "../vlm/providers.ts";
import { sandboxStrength } from "./sandbox-check.ts";

const _run = promisify(execFile);

interface Check {
  name: string;
  ok: boolean;
  detail: string;
  /** A failed required check means a reconstruction will not start: FAIL and exit 1. */
  required?: boolean;
}

async function blenderCheck(): Promise<Check> {
  try {
    const found = await findBlender();
    return { name: "blender", ok: true, required: true, detail: `${found.version} at ${found.path}` };
  } catch (e) {
    return { name: "blender", ok: false, required: true, detail: oneLine(e) };
  }
}

/** A worker started through the pool and a tiny render: "ok" means a reconstruction starts. */
async function renderCheck(unsandboxed: boolean): Promise<Check> {
  const probe = await probeRender({ sandbox: unsandboxed ? "none" : "auto" });
  return probe.ok
    ? {
        name: "render",
        ok: true,
        required: true,
        detail: `a ${probe.sandboxed ? "sandboxed" : "UNSANDBOXED"} worker rendered a test scene in ${probe.seconds.toFixed(1)} s`,
      }
    : { name: "render", ok: false, required: true, detail: `${probe.cause}: ${probe.fix}` };
}

async function sandboxCheck(): Promise<Check> {
  const status = await probeBubblewrap();
  if (!status.available) {
    return {
      name: "sandbox",
      ok: false,
      detail: `UNSAFE: ${status.reason}; generated code will only run with --unsafe-no-sandbox`,
    };
  }
  return { name: "sandbox", ...(await sandboxStrength()) };
}

async function ffmpegCheck(): Promise<Check> {
  const found = await ffmpegAvailable();
  return {
    name: "ffmpeg",
    ok: found,
    detail: found
      ? "turntable GIF/MP4 available"
      : "missing: views are written as PNG frames (apt-get install -y ffmpeg)",
  };
}

async function modelChecks(): Promise<Check[]> {
  const lpips = defaultLpipsModelPath();
  const lpipsFound = await pathExists(lpips);
  const checks: Check[] = [
    {
      name: "lpips",
      ok: lpipsFound,
      detail: lpipsFound
        ? lpips
        : `model missing at ${lpips}: LPIPS will be reported unavailable (set SEIG_LPIPS_MODEL)`,
    },
  ];

  for (const model of [CLIP_MODEL, DINO_MODEL]) {
    const places = [defaultModelsDir(), defaultModelCacheDir()].map((dir) => path.join(dir, model.modelId));
    const found = (await Promise.all(places.map((p) => pathExists(path.join(p, "config.json"))))).indexOf(
      true,
    );
    checks.push({
      name: model.metric,
      ok: found >= 0,
      detail:
        found >= 0
          ? `${model.label} at ${places[found]}`
          : `${model.label} not in ${places.join(" or ")}: downloaded on first use if the hub is reachable, else reported unavailable`,
    });
  }
  return checks;
}

function keyChecks(): Check[] {
  return keyStatus().map((k) => ({
    name: `key:${k.provider}`,
    ok: k.set || !k.required,
    detail: k.envVar ? `${k.envVar} ${k.set ? "is set" : "is not set"}` : "no key needed",
  }));
}

export function registerDoctor(cli: Command): void {
  cli.addCommand(
    new Command("doctor")
      .description("check Blender, the sandbox, metric models and model-provider keys")
      .option("--json", "print one JSON object")
      .option(
        "--unsafe-no-sandbox",
        "test-render as `reconstruct --unsafe-no-sandbox` runs Blender (for machines without bubblewrap)",
      )
      .action(async (options: { json?: boolean; unsafeNoSandbox?: boolean }) => {
        const checks = [
          await blenderCheck(),
          await sandboxCheck(),
          await renderCheck(options.unsafeNoSandbox === true),
          await ffmpegCheck(),
          ...(await modelChecks()),
          ...keyChecks(),
        ];
        if (options.json) {
          console.log(JSON.stringify(checks, null, 2));
        } else {
          const width = Math.max(...checks.map((c) => c.name.length));
          for (const c of checks)
            console.log(
              `${c.ok ? "ok  " : c.required ? "FAIL" : "warn"}  ${c.name.padEnd(width)}  ${c.detail}`,
            );
        }
        const failed = checks.find((c) => c.required && !c.ok);
        if (failed) {
          console.error(`seig doctor: a reconstruction will not start: ${failed.detail}`);
          process.exitCode = 1;
        }
      }),
  );
}
