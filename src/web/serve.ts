/**
 * Starting and stopping the web app: one shared Blender pool for every run and edit, bound to
 * 127.0.0.1 unless told otherwise (then with a token), stopped cleanly with its live runs.
 */
import { mkdir } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { serve } from "@hono/node-server";
import { SharedPool } from "../api/pool-source.ts";
import type { PoolOptions } from "../blender/pool.ts";
import { createMetricModels } from "../metrics/metric-models.ts";
import type { Env } from "../vlm/providers.ts";
import { createApp } from "./app.ts";
import { isLoopback, newToken } from "./auth.ts";
import { LiveRuns } from "./live-runs.ts";

export interface ServeOptions {
  port: number;
  host: string;
  runsDir: string;
  /** Benchmark result folders to list (default <runsDir>/bench). */
  benchDir?: string;
  /** Model spec for edit-by-instruction; none: the page says why the box is unavailable. */
  editModel?: string | null;
  /** Where model keys and base URLs come from (default process.env; tests point at a double). */
  env?: Env;
  pool?: PoolOptions;
  maxBudget?: number;
  clientDist?: string;
  /** Start the Blender workers now rather than on the first run, so its progress starts sooner. */
  warmPool?: boolean;
}

export interface RunningServer {
  url: string;
  token: string | null;
  pool: SharedPool;
  close(): Promise<void>;
}

export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const runsDir = path.resolve(options.runsDir);
  await mkdir(runsDir, { recursive: true });
  const token = isLoopback(options.host) ? null : newToken();
  const pool = new SharedPool(options.pool);
  const live = new LiveRuns();
  const metricModels = createMetricModels({ semantic: false });
  const app = createApp({
    runsDir,
    benchDir: path.resolve(options.benchDir ?? path.join(runsDir, "bench")),
    pool,
    live,
    metricModels,
    editModel: options.editModel ?? null,
    ...(options.env ? { env: options.env } : {}),
    maxBudget: options.maxBudget,
    clientDist: options.clientDist,
    ...(token ? { token } : {}),
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: options.port, hostname: options.host }, () => resolve(s));
    s.once("error", reject);
  });
  // A failed start is reported by the first run that needs the pool (SharedPool retries it).
  if (options.warmPool) pool.get().catch(() => {});
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(":") ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}/${token ? `?token=${token}` : ""}`,
    token,
    pool,
    async close() {
      await live.abortAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await pool.close();
      await metricModels.close();
    },
  };
}
