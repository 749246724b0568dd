/** What every route group shares: where runs live, the one Blender pool, the live runs. */
import type { SharedPool } from "../api/pool-source.ts";
import type { LiveRuns } from "./live-runs.ts";

export interface WebContext {
  runsDir: string;
  pool: SharedPool;
  live: LiveRuns;
  /** Offline search budget ceiling for runs started from the page (tests keep it tiny). */
  maxBudget?: number;
}
