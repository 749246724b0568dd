import { describe, expect, it } from "vitest";
import type { SandboxReport } from "../src/blender/protocol.ts";
import { assessSandbox, weaknesses } from "../src/blender/sandbox-strength.ts";
import { runSeig } from "./support/run-cli.ts";

const strong: SandboxReport = {
  uid: 65534,
  capEff: "0000000000000000",
  capBnd: "0000000000000000",
  seccomp: 2,
  noNewPrivs: true,
  pid: 2,
  mounts: [
    { path: "/", readOnly: true, type: "tmpfs" },
    { path: "/usr/lib", readOnly: true, type: "ext4" },
    { path: "/usr/bin/blender", readOnly: true, type: "ext4" },
    { path: "/seig", readOnly: true, type: "ext4" },
    { path: "/job", readOnly: false, type: "tmpfs" },
    { path: "/tmp", readOnly: false, type: "tmpfs" },
  ],
  interfaces: ["lo"],
};
const blender = ["/usr/bin/blender", "/usr/share/blender"];

describe("sandbox strength", () => {
  it("passes a worker that reports the designed confinement", () => {
    expect(weaknesses(assessSandbox(strong, blender))).toBeNull();
  });

  it.each([
    ["capabilities dropped", { capEff: "000001fffeffffff" }],
    ["unprivileged uid", { uid: 0 }],
    ["seccomp filter", { seccomp: 0 }],
    ["own PID namespace", { pid: 4711 }],
    ["no network", { interfaces: ["lo", "eth0"] }],
    ["minimal mounts", { mounts: [...strong.mounts, { path: "/home", readOnly: true, type: "ext4" }] }],
    ["minimal mounts", { mounts: [{ path: "/usr/lib", readOnly: false, type: "ext4" }] }],
  ] as [string, Partial<SandboxReport>][])("flags a worker without %s", (name, change) => {
    const checks = assessSandbox({ ...strong, ...change }, blender);
    expect(checks.filter((c) => !c.ok).map((c) => c.name)).toEqual([name]);
  });

  it("seig doctor verifies the sandbox from inside a real worker", async () => {
    const result = await runSeig(["doctor", "--json"]);
    const sandbox = (JSON.parse(result.stdout) as { name: string; ok: boolean; detail: string }[]).find(
      (c) => c.name === "sandbox",
    );
    expect(sandbox?.ok).toBe(true);
    expect(sandbox?.detail).toMatch(/capabilities dropped, seccomp filter.*minimal mounts/);
  });
});
