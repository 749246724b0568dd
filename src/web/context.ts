/** What every route group shares: where runs live, the one Blender pool, the live runs. */
import type { SharedPool } from "../api/pool-source.ts";
import type { MetricModels } from "../metrics/metric-models.ts";
import type { Env } from "../vlm/providers.ts";
import type { LiveRuns } from "./live-runs.ts";

export interface WebContext {
  runsDir: string;
  pool: SharedPool;
  live: LiveRuns;
  /** LPIPS (and friends), loaded once on first use, for the stage timeline's metrics. */
  metricModels: MetricModels;
  /** Benchmark result folders (`seig bench run --out` targets) listed from the runs page. */
  benchDir: string;
  /** The model spec `edit` uses; without one the instruction box says why it is unavailable. */
  editModel?: string | null;
  /** Where model keys and base URLs are read from (default process.env). */
  env?: Env;
  /** Offline search budget ceiling for runs started from the page (tests keep it tiny). */
  maxBudget?: number;
}
