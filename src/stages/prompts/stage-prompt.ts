/** What the VLM is told about one stage: its goal, what it may edit, and what its verifier checks. */
import type { Stage } from "../../program/sections.ts";

export interface StagePrompt {
  stage: Stage;
  /** One sentence: what this stage gets right. */
  goal: string;
  /** What the generator may change (and, by omission, may not). */
  edits: string;
  /** The verifier's checklist focus: the only discrepancies it reports. */
  checks: readonly string[];
  /** Things that belong to other stages, which the verifier must ignore. */
  ignore: string;
}
