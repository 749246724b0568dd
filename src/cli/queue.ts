/** `seig queue status | retry <url>`: look at and repair the job queue. */
import { Command } from "commander";
import { formatStatus, queueStatus, retryFailed } from "../queue/status.ts";
import { openSubmitQueue } from "./queue-options.ts";

function statusCommand(): Command {
  return new Command("status")
    .description(
      "waiting/active/completed/failed jobs, workers alive, and the newest failures with their errors",
    )
    .argument("<url>", "redis://host:port[/db] (rediss:// for TLS)")
    .option("--json", "print the status as JSON")
    .action(async (url: string, o: { json?: boolean }) => {
      const client = await openSubmitQueue(url);
      try {
        const status = await queueStatus(client);
        process.stdout.write(
          o.json ? `${JSON.stringify(status, null, 2)}\n` : formatStatus(client.url.shown, status),
        );
      } finally {
        await client.close();
      }
    });
}

function retryCommand(): Command {
  return new Command("retry")
    .description("move failed jobs back to waiting (all of them, or one with --job)")
    .argument("<url>", "redis://host:port[/db] (rediss:// for TLS)")
    .option("--job <id>", "the id of one failed job (see seig queue status)")
    .action(async (url: string, o: { job?: string }) => {
      const client = await openSubmitQueue(url);
      try {
        const n = await retryFailed(client, o.job);
        process.stdout.write(`${n} failed job(s) moved back to waiting\n`);
      } finally {
        await client.close();
      }
    });
}

export function registerQueue(cli: Command): void {
  cli.addCommand(
    new Command("queue")
      .description("the distributed job queue (BullMQ on Redis): status and retries")
      .addCommand(statusCommand())
      .addCommand(retryCommand()),
  );
}
