import { describe, expect, it } from "vitest";
import { z } from "zod";
import { describeAllowed, parseInput } from "../src/input-message.ts";
import { paramSchema } from "../src/program/param-ranges.ts";

function messageOf(run: () => unknown): string {
  try {
    run();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error("expected a refusal");
}

describe("zod issues as one line for a user", () => {
  it("describes what a schema allows from its own checks", () => {
    expect(describeAllowed(z.number().int().min(1).max(64))).toBe("a whole number from 1 to 64");
    expect(describeAllowed(z.number().positive())).toBe("a number > 0");
    expect(describeAllowed(z.number().min(0).lt(5))).toBe("a number ≥ 0 and < 5");
    expect(describeAllowed(z.coerce.number().int().min(24).default(80))).toBe("a whole number ≥ 24");
    expect(describeAllowed(z.enum(["noon", "night"]).optional())).toBe("one of noon, night");
    expect(describeAllowed(z.tuple([z.number(), z.number()]))).toBe("2 values, each a number");
    expect(describeAllowed(z.array(z.number().min(0).max(1)).length(3))).toBe(
      "3 values, each a number from 0 to 1",
    );
  });

  it("names the option, the whole range and the value as given", () => {
    const Options = z.object({ res: z.coerce.number().int().min(24).max(1024), out: z.string() });
    const flag = (key: PropertyKey | undefined) => `--${String(key)}`;
    expect(messageOf(() => parseInput(Options, { res: "5", out: "x" }, flag))).toBe(
      '--res must be a whole number from 24 to 1024, got "5"',
    );
    expect(messageOf(() => parseInput(Options, { res: "abc", out: "x" }, flag))).toBe(
      '--res must be a whole number from 24 to 1024, got "abc"',
    );
    expect(messageOf(() => parseInput(Options, { res: "30" }, flag))).toBe("--out is required");
  });

  it("keeps a message the schema words on purpose, and never zod's", () => {
    const Both = z
      .object({ a: z.boolean().optional(), b: z.boolean().optional() })
      .refine((o) => !(o.a && o.b), {
        message: "choose one of --a and --b",
      });
    expect(messageOf(() => parseInput(Both, { a: true, b: true }, () => ""))).toBe(
      "choose one of --a and --b",
    );
    const message = messageOf(() => parseInput(z.string().regex(/^x/), "y", "--name"));
    expect(message).toBe('--name must be a text, got "y"');
  });

  it("points into vectors: which component of which PARAMS key", () => {
    expect(messageOf(() => parseInput(paramSchema("mug.color")!, [0.5, 2, 0], "mug.color"))).toBe(
      "mug.color[1] must be a number from 0 to 1, got 2",
    );
    expect(paramSchema("mug.location")).toBeNull();
    expect(paramSchema("sun.elevation_deg")).not.toBeNull();
  });
});
