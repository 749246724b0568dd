/**
 * What a run says about its model calls as they happen: each answer with its tokens and cost, each
 * retry, and a heartbeat while a call is waiting on the model (so a slow call is not taken for a hang).
 */

import type { ProgressSink } from "../run/progress.ts";
import type { VlmEvent } from "../vlm/client.ts";
import { tokensText } from "../vlm/cost.ts";
import { type CallUsage, type Tally, usageLine } from "./usage.ts";

export function callNotes(
  progress: ProgressSink,
  onUsage: (u: CallUsage) => void,
  total: () => Tally,
): (event: VlmEvent) => void {
  return (event) => {
    if (event.type === "response") {
      onUsage(event);
      const cost = event.costUsd === null ? "" : `, $${event.costUsd.toFixed(4)}`;
      progress({
        type: "note",
        text: `${event.purpose}: ${tokensText(event.usage)}${cost} · total ${usageLine(total())}`,
      });
    } else if (event.type === "retry") {
      progress({
        type: "note",
        text: `${event.purpose}: ${event.reason}, retry ${event.attempt}/${event.maxAttempts} in ${Math.round(event.delayMs / 1000)} s`,
      });
    } else if (event.type === "waiting") {
      progress({
        type: "note",
        text: `waiting for ${event.model} (call #${event.seq}, ${event.purpose}): ${Math.round(event.elapsedMs / 1000)} s`,
      });
    }
  };
}
