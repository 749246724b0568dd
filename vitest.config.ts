import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Blender workers are CPU-heavy; running test files one after another keeps timings honest on 2 cores.
    fileParallelism: false,
  },
});
