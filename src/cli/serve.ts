/** `seig serve`: the local web app (src/web) — prints its URL and runs until interrupted. */
import { Command, InvalidArgumentError } from "commander";
import { startServer } from "../web/serve.ts";
import { assertClientBuilt } from "../web/static.ts";

function port(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError("a port number 0–65535");
  return n;
}

interface ServeFlags {
  port: number;
  host: string;
  runs: string;
  workers: number;
  bench?: string;
  model?: string;
}

export function registerServe(cli: Command): void {
  cli.addCommand(
    new Command("serve")
      .description("start the local web app: upload a photo, watch the run, view and edit the scene")
      .option("--port <n>", "port (0 picks a free one)", port, 7860)
      .option(
        "--host <host>",
        "address to bind; anything but loopback requires the printed token",
        "127.0.0.1",
      )
      .option("--runs <dir>", "runs folder to list and write into", "runs")
      .option("--workers <n>", "Blender workers in the shared pool", (t) => port(t) || 1, 2)
      .option("--bench <dir>", "benchmark results folders to list (default <runs>/bench)")
      .option("--model <spec>", "model for edit-by-instruction (provider:model; key from the environment)")
      .action(async (o: ServeFlags) => {
        await assertClientBuilt();
        const server = await startServer({
          port: o.port,
          host: o.host,
          runsDir: o.runs,
          ...(o.bench ? { benchDir: o.bench } : {}),
          editModel: o.model ?? null,
          pool: { size: o.workers },
          warmPool: true,
        });
        console.log(`seig serve: ${server.url}`);
        if (server.token) console.log(`token (needed on ${o.host}): ${server.token}`);
        await new Promise<void>((resolve) => {
          const stop = () => resolve();
          process.once("SIGINT", stop);
          process.once("SIGTERM", stop);
        });
        console.log("seig serve: stopping (live runs are interrupted and keep their folders)");
        await server.close();
      }),
  );
}
