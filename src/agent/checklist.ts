/** The verifier's verdict: approval and a checklist of concrete discrepancies, scoped to one factor. */
import { z } from "zod";

export const ChecklistItem = z.object({
  object: z.string(),
  problem: z.string(),
  fix: z.string(),
});
export type ChecklistItem = z.infer<typeof ChecklistItem>;

export const Verdict = z.object({
  approved: z.boolean(),
  checklist: z.array(ChecklistItem).default([]),
  /** Objects the verifier wants to see on their own next time. */
  isolate: z.array(z.string()).default([]),
});
export type Verdict = z.infer<typeof Verdict>;

export function checklistText(checklist: readonly ChecklistItem[]): string {
  return `\`\`\`json\n${JSON.stringify(checklist, null, 2)}\n\`\`\``;
}
