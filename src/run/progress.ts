/**
 * Progress of a reconstruction as a stream of typed events, and the renderers that show
 * it: a live bar (cli-progress) for people, one JSON object per line for machines, or
 * nothing. The offline method and the VLM agent emit the same events.
 */
import cliProgress from "cli-progress";
import type { ProgressEvent } from "./events.ts";
import { flatSummary } from "./flat-baseline.ts";

export type { ProgressEvent };

export type ProgressSink = (event: ProgressEvent) => void;

export const quietProgress: ProgressSink = () => {};

/** `--quiet` on the command line: no progress, but a run's closing warning still reaches the user. */
export function warningsOnlyProgress(stream: NodeJS.WritableStream = process.stderr): ProgressSink {
  return (event) => {
    if (event.type === "run-end" && event.flat?.warning) stream.write(`${event.flat.warning}\n`);
  };
}

export function jsonProgress(write: (line: string) => void = (l) => process.stdout.write(l)): ProgressSink {
  return (event) => write(`${JSON.stringify(event)}\n`);
}

function formatSeconds(s: number | null): string {
  if (s === null || !Number.isFinite(s)) return "?";
  return s >= 60
    ? `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, "0")}s`
    : `${Math.round(s)}s`;
}

/** A progress bar on stderr (stdout stays free for results), one line per finished stage. */
export function barProgress(stream: NodeJS.WriteStream = process.stderr): ProgressSink {
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format:
        "{stage} |{bar}| {percentage}% · iter {iteration} · best loss {loss} · {renders} renders · {elapsed} elapsed · ETA {eta}",
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let active = false;
  const log = (text: string) => {
    if (active) bar.stop();
    active = false;
    stream.write(`${text}\n`);
  };
  return (event) => {
    switch (event.type) {
      case "run-start":
        log(`seig reconstruct (${event.method}) ${event.image} → ${event.outDir}`);
        break;
      case "stage-start":
        log(`stage ${event.index + 1}/${event.total}: ${event.stage}`);
        break;
      case "iteration": {
        const payload = {
          stage: event.stage,
          iteration: event.iteration,
          loss: event.bestLoss.toFixed(5),
          renders: event.renders,
          elapsed: formatSeconds(event.elapsedSeconds),
          eta: formatSeconds(event.etaSeconds),
        };
        if (!active) bar.start(100, 0, payload);
        active = true;
        bar.update(Math.round(Math.min(1, event.fraction) * 100), payload);
        break;
      }
      case "stage-end":
        log(
          `  ${event.stage}: best loss ${event.bestLoss.toFixed(5)} after ${event.renders} renders (${formatSeconds(event.seconds)})`,
        );
        break;
      case "note":
        log(`  ${event.text}`);
        break;
      case "run-end":
        log(
          `done in ${formatSeconds(event.seconds)}, ${event.renders} renders${event.psnr === null ? "" : `, PSNR ${event.psnr.toFixed(2)} dB`} → ${event.outDir}`,
        );
        if (event.flat) log(`  ${flatSummary(event.flat)}`);
        if (event.flat?.warning) log(event.flat.warning);
        break;
    }
  };
}
