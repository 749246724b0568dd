/**
 * Typed errors shared across seig. Every error a user can cause or meet carries a one-line
 * message that says what went wrong and what to do; the CLI prints `message` and exits
 * with `exitCode` (2 = bad input, 1 = runtime failure, 130 = interrupted on purpose), never a
 * stack trace.
 */
import { cleanLine } from "./clean-text.ts";

export type ExitCode = 1 | 2 | 130;

export class SeigError extends Error {
  readonly exitCode: ExitCode;
  constructor(message: string, exitCode: ExitCode = 1, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.exitCode = exitCode;
  }
}

/** The user gave something we cannot use: a bad file, option or program. Exit code 2. */
export class InputError extends SeigError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, 2, options);
  }
}

/** An image could not be read or is unusable (corrupt, not an image, absurd size). */
export class ImageError extends InputError {}

/** A scene program does not have the shape of DESIGN.md §2. */
export class ProgramShapeError extends InputError {}

/** A run stopped because its AbortSignal fired; what it wrote so far stays in its run folder. */
export class RunInterrupted extends SeigError {}

/** Blender is missing, too old, or could not be started. */
export class BlenderNotFoundError extends SeigError {}

/** A model provider failed in a way the user must fix (key, model name, endpoint). */
export class ProviderError extends SeigError {}

export function isSeigError(e: unknown): e is SeigError {
  return e instanceof SeigError;
}

/** One line, whatever was thrown: for the CLI and for progress logs. */
export function oneLine(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return cleanLine(text.split("\n")[0]!).trim();
}
