/** How one worker process is started: argv (sandboxed or not), environment, uid and seccomp file. */
import os from "node:os";
import { type SandboxPlan, SCRIPTS_MOUNT, sandboxedArgv, unsandboxedArgv } from "./sandbox.ts";
import { blenderWorkerArgs, type WorkerLaunch } from "./worker.ts";

export interface LaunchPlan {
  sandbox: SandboxPlan;
  blenderPath: string;
  scriptsDir: string;
  workDir: string;
  memoryLimitBytes: number;
  seccompFile: string | null;
}

/** Environment for Blender: nothing from ours (no API keys), just what it needs to run. */
function workerEnv(sandboxed: boolean, jobDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    HOME: sandboxed ? "/tmp" : os.tmpdir(),
    PATH: "/usr/bin:/bin",
    LANG: "C.UTF-8",
    PYTHONNOUSERSITE: "1",
    PYTHONDONTWRITEBYTECODE: "1",
    SEIG_JOB_DIR: jobDir,
    SEIG_SANDBOXED: sandboxed ? "1" : "0",
  };
  if (process.env["TZ"]) env["TZ"] = process.env["TZ"];
  return env;
}

export async function workerLaunch(plan: LaunchPlan, jobDir: string): Promise<WorkerLaunch> {
  const options = {
    blenderPath: plan.blenderPath,
    scriptsDir: plan.scriptsDir,
    memoryLimitBytes: plan.memoryLimitBytes,
  };
  const sandboxed = plan.sandbox.sandboxed;
  const argv = sandboxed
    ? await sandboxedArgv(options, blenderWorkerArgs(SCRIPTS_MOUNT))
    : unsandboxedArgv(options, blenderWorkerArgs(plan.scriptsDir.replace(/\/$/, "")));
  return {
    argv,
    env: workerEnv(sandboxed, jobDir),
    runAs: plan.sandbox.runAs,
    seccompFile: sandboxed ? plan.seccompFile : null,
  };
}
