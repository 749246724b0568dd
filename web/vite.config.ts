/** Builds the seig web front end (web/src) into web/dist, which `seig serve` serves as is. */
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  base: "/",
  logLevel: "warn",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // three.js is most of the bundle; one chunk of ~0.6 MB is fine for a local app.
    chunkSizeWarningLimit: 900,
  },
});
