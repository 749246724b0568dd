#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx, so there is no build step to forget.
import { register } from "tsx/esm/api";

// `seig … | head` closes the pipe early; that is the reader's choice, not a failure.
process.stdout.on("error", (e) => {
  if (e.code === "EPIPE") process.exit(0);
  throw e;
});
register();
const { main } = await import("../src/cli/main.ts");
process.exitCode = await main(process.argv);
