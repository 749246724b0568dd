/** `seig worker --queue redis://…`: take reconstruction jobs from Redis until stopped. */
import path from "node:path";
import { type Command, Option } from "commander";
import { InputError } from "../errors.ts";
import { parseQueueUrl } from "../queue/redis-url.ts";
import {
  DEFAULT_LOCK_MS,
  DEFAULT_STALLED_MS,
  defaultWorkDir,
  defaultWorkerName,
  startWorker,
} from "../queue/worker.ts";
import { intOption } from "./options.ts";

interface WorkerCliOptions {
  queue: string;
  concurrency: number;
  pool: number;
  name?: string;
  workDir?: string;
  lockMs: number;
  stalledMs: number;
  unsafeNoSandbox?: boolean;
}

/** First SIGTERM/SIGINT: finish the jobs in hand, then exit. Second: exit now; the job goes to another worker. */
function onStopSignals(stop: () => Promise<void>, log: (l: string) => void): Promise<void> {
  return new Promise((resolve) => {
    let stopping = false;
    const handler = (signal: string) => {
      if (stopping) {
        log(
          `${signal} again: exiting now; the job in hand is retried by another worker once its lock expires`,
        );
        process.exit(1);
      }
      stopping = true;
      log(`${signal}: finishing the job(s) in hand, taking no new ones (send it again to exit at once)`);
      stop().then(resolve, resolve);
    };
    process.on("SIGTERM", () => handler("SIGTERM"));
    process.on("SIGINT", () => handler("SIGINT"));
  });
}

export function registerWorker(cli: Command): void {
  cli
    .command("worker")
    .description(
      "take reconstruction jobs from a Redis queue (BullMQ) with a warm Blender pool, until stopped",
    )
    .requiredOption("--queue <url>", "redis://[:password@]host:port[/db], or rediss:// for TLS")
    .addOption(
      new Option("--concurrency <n>", "jobs at once").argParser(intOption("--concurrency", 1, 64)).default(1),
    )
    .addOption(
      new Option("--pool <n>", "Blender processes in the warm pool")
        .argParser(intOption("--pool", 1, 64))
        .default(2),
    )
    .option("--name <name>", "worker name shown by seig queue status (default: host-pid)")
    .option(
      "--work-dir <dir>",
      "where job folders are kept; workers sharing it resume each other's interrupted jobs (default: one folder per machine and user under the system temp)",
    )
    .addOption(
      new Option("--lock-ms <ms>", "a job not heard from for this long is stalled and retried elsewhere")
        .argParser(intOption("--lock-ms", 500, 3_600_000))
        .default(DEFAULT_LOCK_MS),
    )
    .addOption(
      new Option("--stalled-ms <ms>", "how often to look for stalled jobs")
        .argParser(intOption("--stalled-ms", 200, 3_600_000))
        .default(DEFAULT_STALLED_MS),
    )
    .option("--unsafe-no-sandbox", "run generated programs without bubblewrap (only for trusted programs)")
    .addHelpText(
      "after",
      "\nModel keys are read from this machine's environment; they never travel through Redis.\nSIGTERM finishes the job in hand; a second SIGTERM exits at once and the job is retried elsewhere.",
    )
    .action(async (o: WorkerCliOptions) => {
      const queue = parseQueueUrl(o.queue);
      const name = o.name ?? defaultWorkerName();
      if (!/^[\w.-]+$/.test(name)) throw new InputError(`--name ${name}: use letters, digits, . _ -`);
      const log = (line: string) => process.stderr.write(`seig worker ${name}: ${line}\n`);
      const worker = await startWorker({
        queue,
        name,
        concurrency: o.concurrency,
        poolSize: o.pool,
        workDir: path.resolve(o.workDir ?? defaultWorkDir()),
        sandbox: o.unsafeNoSandbox ? "none" : "auto",
        lockMs: o.lockMs,
        stalledMs: o.stalledMs,
        log,
      });
      await onStopSignals(() => worker.close(), log);
      log("stopped");
      // Without Redis, BullMQ's reconnecting clients would keep the process alive after close.
      setTimeout(() => process.exit(0), 2000).unref();
    });
}
