/** Option parsers shared by commands: each turns text into a typed value or a one-line InputError. */
import { type Command, Option } from "commander";
import { InputError } from "../errors.ts";
import { isStage, STAGES, type Stage } from "../program/sections.ts";

export interface Resolution {
  width: number;
  height: number;
}

export function parseResolution(text: string): Resolution {
  const match = /^(\d+)[x×](\d+)$/.exec(text.trim());
  const width = Number(match?.[1]);
  const height = Number(match?.[2]);
  if (!match || width < 1 || height < 1 || width > 8192 || height > 8192) {
    throw new InputError(`--res must look like 640x480 (each side 1–8192), got "${text}"`);
  }
  return { width, height };
}

export function intOption(name: string, min: number, max: number): (text: string) => number {
  return (text) => {
    const value = Number(text);
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new InputError(`${name} must be a whole number from ${min} to ${max}, got "${text}"`);
    }
    return value;
  };
}

export function numberOption(name: string): (text: string) => number {
  return (text) => {
    const value = Number(text);
    if (!Number.isFinite(value)) throw new InputError(`${name} must be a number, got "${text}"`);
    return value;
  };
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
