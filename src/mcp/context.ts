/**
 * What every tool of one `seig mcp` process shares: the workspace root, a Blender pool kept warm
 * between calls, the metric models (LPIPS loads once), the reconstructions under way and the
 * assistant-driven sessions. Nothing here is global: tests start as many servers as they like.
 */
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { SharedPool } from "../api/pool-source.ts";
import type { ReconstructHandle } from "../api/reconstruct.ts";
import type { SandboxMode } from "../blender/sandbox.ts";
import { createMetricModels, type MetricModels } from "../metrics/metric-models.ts";
import { Workspace } from "./paths.ts";
import type { StagedSession } from "./session.ts";

export interface ServerOptions {
  root: string;
  /** Blender workers kept warm (default 2). */
  concurrency?: number;
  sandbox?: SandboxMode;
  /** Compute CLIP/DINO in compare_images (may download models once). */
  semantic?: boolean;
}

export interface ServerContext {
  workspace: Workspace;
  pool: SharedPool;
  /** Workers of the pool; reconstructions get this many too. */
  concurrency: number;
  sandbox: SandboxMode;
  models: MetricModels;
  runs: Map<string, ReconstructHandle>;
  sessions: Map<string, StagedSession>;
  /** Where tools write when not told: `<root>/seig-mcp/<kind>/<id>`. */
  outputDir(kind: "renders" | "runs" | "sessions" | "programs" | "inputs", id: string): Promise<string>;
  nextId(prefix: string): string;
  close(): Promise<void>;
}

export async function createContext(options: ServerOptions): Promise<ServerContext> {
  const workspace = await Workspace.open(options.root);
  const concurrency = options.concurrency ?? 2;
  const sandbox = options.sandbox ?? "auto";
  const pool = new SharedPool({ size: concurrency, sandbox });
  const models = createMetricModels({ semantic: options.semantic ?? false });
  const runs = new Map<string, ReconstructHandle>();
  const sessions = new Map<string, StagedSession>();
  let counter = 0;
  const stamp = new Date().toISOString().replace(/[-:]/g, "").replace(/\..*/, "").replace("T", "-");
  return {
    workspace,
    pool,
    concurrency,
    sandbox,
    models,
    runs,
    sessions,
    async outputDir(kind, id) {
      const dir = path.join(workspace.root, "seig-mcp", kind, id);
      await mkdir(dir, { recursive: true });
      return dir;
    },
    nextId: (prefix) => `${prefix}-${stamp}-${++counter}`,
    async close() {
      for (const run of runs.values()) run.abort();
      await Promise.allSettled([...runs.values()].map((r) => r.result));
      await models.close();
      await pool.close();
    },
  };
}
