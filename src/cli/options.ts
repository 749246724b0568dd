/**
 * Option parsers shared by commands: each turns text into a typed value or a one-line
 * InputError. The rules are zod schemas and the messages come from src/input-message.ts, so
 * every option states its allowed range the same way.
 */
import { type Command, Option } from "commander";
import { z } from "zod";
import { InputError } from "../errors.ts";
import { parseInput } from "../input-message.ts";
import { MAX_RESOLUTION_SIDE as MAX_SIDE } from "../program/param-ranges.ts";
import type { Resolution } from "../program/resolution.ts";
import { isStage, STAGES, type Stage } from "../stages/index.ts";

export type { Resolution };

export function parseResolution(text: string): Resolution {
  const match = /^(\d+)[x×](\d+)$/.exec(text.trim());
  const width = Number(match?.[1]);
  const height = Number(match?.[2]);
  if (!match || width < 1 || height < 1 || width > MAX_SIDE || height > MAX_SIDE) {
    throw new InputError(`--res must look like 640x480 (each side 1–${MAX_SIDE}), got "${text}"`);
  }
  return { width, height };
}

/** Command-line text as a number; blank text is not 0 (as Number("") would make it). */
function numberFromText(text: string): number {
  return text.trim() === "" ? Number.NaN : Number(text);
}

/** A commander argParser for a numeric option checked by `schema` (bounds, whole numbers). */
export function numericOption(flag: string, schema: z.ZodNumber): (text: string) => number {
  return (text) => {
    const value = numberFromText(text);
    if (schema.safeParse(value).success) return value;
    // The text itself fails the schema too; its message shows the value as the user typed it.
    return parseInput(schema, text, flag);
  };
}

export function intOption(flag: string, min: number, max: number): (text: string) => number {
  return numericOption(flag, z.number().int().min(min).max(max));
}

export function numberOption(flag: string): (text: string) => number {
  return numericOption(flag, z.number());
}

/** The flag a user types for an options-object key: `-o <dir>` when required, else `--out`. */
function flagFor(command: Command | undefined, key: PropertyKey | undefined, required: boolean): string {
  // A check across options (no key) names its options in its own message.
  if (key === undefined) return "";
  const name = String(key);
  const option = command?.options.find((o) => o.attributeName() === name);
  if (!option) return `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
  const placeholder = /[<[][^>\]]*[>\]]/.exec(option.flags)?.[0];
  const flag = (required && option.short) || option.long || option.short || name;
  return required && placeholder ? `${flag} ${placeholder}` : flag;
}

/**
 * Parses commander's options object with a zod schema; an issue becomes one line naming the
 * flag and what it allows (`--res must be a whole number from 24 to 1024, got "5"`,
 * `-o <dir> is required`).
 */
export function parseOptions<S extends z.ZodType>(schema: S, raw: unknown, command?: Command): z.output<S> {
  const missing = (key: PropertyKey | undefined) =>
    (raw as Record<PropertyKey, unknown> | null)?.[key ?? ""] === undefined;
  return parseInput(schema, raw, (key) => flagFor(command, key, missing(key)));
}

/** Options every command that runs generated programs shares. */
export function addRuntimeOptions(command: Command): Command {
  return command
    .addOption(
      new Option("--concurrency <n>", "Blender workers in the pool (default: cores)").argParser(
        intOption("--concurrency", 1, 64),
      ),
    )
    .addOption(
      new Option(
        "--unsafe-no-sandbox",
        "run generated programs without bubblewrap (only for trusted programs)",
      ),
    );
}

export interface RuntimeOptions {
  concurrency?: number;
  unsafeNoSandbox?: boolean;
}

/** `--stages geometry,material`: a subset of the stages, returned in pipeline order. */
export function parseStageList(text: string): Stage[] {
  const names = text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = names.find((n) => !isStage(n));
  if (bad || names.length === 0) {
    throw new InputError(`--stages takes a comma-separated subset of ${STAGES.join(",")}, got "${text}"`);
  }
  return STAGES.filter((s) => names.includes(s));
}
