/** What every step of an agent run needs: the models, the Blender pool, the target and the limits. */
import type { BlenderPool } from "../blender/pool.ts";
import type { RgbImage } from "../image/types.ts";
import type { ProgressSink } from "../run/progress.ts";
import type { VlmClient } from "../vlm/client.ts";
import type { SceneGraph } from "./scene-graph.ts";
import type { MaxTokens } from "./token-budgets.ts";

export interface RenderSpec {
  width: number;
  height: number;
  samples: number;
  seed: number;
}

export interface AgentContext {
  generator: VlmClient;
  verifier: VlmClient;
  pool: BlenderPool;
  /** The target as models see it (PNG at the final resolution). */
  targetPng: string;
  /** The target at the working resolution, for metrics. */
  working: RgbImage;
  render: RenderSpec;
  blenderVersion: string;
  /** Repair calls per candidate (execution errors, out-of-scope edits); they do not use up rounds. */
  repairLimit: number;
  /** Re-asks per call when a reply cannot be parsed. */
  reaskLimit: number;
  /** Output-token budget by call role. */
  maxTokens: MaxTokens;
  /** The run folder; renders go below it. */
  runDir: string;
  progress: ProgressSink;
  /** Renders made so far in this run (a counter the steps share, for progress and run.json). */
  renders: { count: number };
}

export interface StagedContext extends AgentContext {
  sceneGraph: SceneGraph;
}
