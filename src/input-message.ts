/**
 * Zod issues → one line a user can act on: `<subject> must be <what is allowed>, got <value>`,
 * or `<subject> is required`. The allowed values are read from the schema itself (bounds,
 * whole numbers, enum options, lengths), so a message always states the whole range, never
 * zod's own wording ("Too small: expected number to be >=24"). Every CLI option parser and
 * every PARAMS range check goes through here.
 */
import type { z } from "zod";
import { InputError } from "./errors.ts";

type Schema = z.core.$ZodType;
type Issue = z.core.$ZodIssue;
type Path = readonly PropertyKey[];

/** Stands in for zod's message, so a message a schema sets on purpose can be told from zod's. */
const ZOD_DEFAULT = "\u0000zod";

interface Check {
  check: string;
  value?: number;
  inclusive?: boolean;
  format?: string;
  length?: number;
  minimum?: number;
}

function checksOf(schema: Schema): Check[] {
  const checks = (schema._zod.def as { checks?: z.core.$ZodCheck[] }).checks ?? [];
  return checks.map((c) => c._zod.def as unknown as Check);
}

/** The schema with optional/default/nullable/readonly wrappers removed. */
function unwrap(schema: Schema): Schema {
  let current = schema;
  for (;;) {
    const def = current._zod.def as { type: string; innerType?: Schema; in?: Schema };
    if (def.innerType && ["optional", "default", "nullable", "readonly", "prefault"].includes(def.type))
      current = def.innerType;
    else if (def.type === "pipe" && def.in) current = def.in;
    else return current;
  }
}

/** The schema that validates the value at `path` inside `root` (objects, arrays, tuples). */
export function schemaAt(root: Schema, path: Path): Schema | null {
  let current: Schema | null = unwrap(root);
  for (const key of path) {
    if (!current) return null;
    const def = current._zod.def as {
      type: string;
      shape?: Record<string, Schema>;
      element?: Schema;
      items?: Schema[];
      valueType?: Schema;
    };
    const next: Schema | undefined =
      def.type === "object"
        ? def.shape?.[String(key)]
        : def.type === "array"
          ? def.element
          : def.type === "tuple"
            ? def.items?.[Number(key)]
            : def.type === "record"
              ? def.valueType
              : undefined;
    current = next ? unwrap(next) : null;
  }
  return current;
}

function numberWords(schema: Schema): string {
  const checks = checksOf(schema);
  const whole = checks.some((c) => c.check === "number_format" && /int/.test(c.format ?? ""));
  const noun = whole ? "a whole number" : "a number";
  const low = checks.find((c) => c.check === "greater_than");
  const high = checks.find((c) => c.check === "less_than");
  if (low?.inclusive && high?.inclusive) return `${noun} from ${low.value} to ${high.value}`;
  const bounds = [
    low && `${low.inclusive ? "≥" : ">"} ${low.value}`,
    high && `${high.inclusive ? "≤" : "<"} ${high.value}`,
  ].filter(Boolean);
  return bounds.length ? `${noun} ${bounds.join(" and ")}` : noun;
}

function listWords(count: number | null, element: string | null): string {
  const items = count === null ? "a list of values" : `${count} value${count === 1 ? "" : "s"}`;
  return element ? `${items}, each ${element}` : items;
}

/** What `schema` accepts, in words ("a whole number from 1 to 64", "one of noon, sunset"), or null. */
export function describeAllowed(input: Schema): string | null {
  const schema = unwrap(input);
  const def = schema._zod.def as {
    type: string;
    entries?: Record<string, string>;
    items?: Schema[];
    element?: Schema;
  };
  switch (def.type) {
    case "number":
      return numberWords(schema);
    case "enum":
      return `one of ${Object.values(def.entries ?? {}).join(", ")}`;
    case "boolean":
      return "true or false";
    case "string":
      return checksOf(schema).some((c) => c.check === "min_length" && (c.minimum ?? 0) > 0)
        ? "a non-empty text"
        : "a text";
    case "tuple": {
      const items = def.items ?? [];
      const words = items.map((item) => describeAllowed(item));
      const same = words.every((w) => w === words[0]);
      return listWords(items.length, same ? (words[0] ?? null) : null);
    }
    case "array": {
      const length = checksOf(schema).find((c) => c.check === "length_equals")?.length ?? null;
      return listWords(length, def.element ? describeAllowed(def.element) : null);
    }
    default:
      return null;
  }
}

/** A value as the user would recognise it: text in quotes, numbers and lists as JSON. */
export function showValue(value: unknown): string {
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  return JSON.stringify(value) ?? String(value);
}

function valueAt(input: unknown, path: Path): unknown {
  let current = input;
  for (const key of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

function itemSuffix(path: Path): string {
  return path.map((k) => (typeof k === "number" ? `[${k}]` : `.${String(k)}`)).join("");
}

export interface IssueContext {
  /** The name the user typed for the value at the start of `issue.path` (an option, a key). */
  subject: string;
  /** The root schema, so the message can state everything it allows. */
  schema: Schema;
  /** The value that was parsed (before any coercion), to show what the user gave. */
  input: unknown;
  /** How many leading path elements `subject` already names (1 for an options object). */
  named?: number;
}

/** One line for one issue. */
export function issueMessage(issue: Issue, context: IssueContext): string {
  const named = context.named ?? 0;
  const subject = context.subject + itemSuffix(issue.path.slice(named));
  const given = valueAt(context.input, issue.path);
  if (issue.message && issue.message !== ZOD_DEFAULT) {
    // A message the schema sets on purpose is already worded for the user.
    return !context.subject || issue.message.startsWith(context.subject)
      ? issue.message
      : `${subject}: ${issue.message}`;
  }
  if (given === undefined && issue.code === "invalid_type") return `${subject} is required`;
  const fieldSchema = schemaAt(context.schema, issue.path);
  const allowed =
    (fieldSchema && describeAllowed(fieldSchema)) ??
    (issue.code === "invalid_type"
      ? `${/^[aeiou]/.test(issue.expected) ? "an" : "a"} ${issue.expected}`
      : "a valid value");
  return `${subject} must be ${allowed}, got ${showValue(given)}`;
}

type Subject = string | ((key: PropertyKey | undefined) => string);

/**
 * The one-line problem with `input`, or null when `schema` accepts it. `subject` names the input
 * (`"--res"`), or turns the first element of an issue's path into the name the user typed (an
 * options object's key → its flag; a price table's model → `"openai:gpt-4o"`).
 */
export function inputProblem(schema: Schema, input: unknown, subject: Subject): string | null {
  const result = (schema as unknown as z.ZodType).safeParse(input, { error: () => ZOD_DEFAULT });
  if (result.success) return null;
  const issue = result.error.issues[0]!;
  const named = typeof subject === "string" ? 0 : Math.min(1, issue.path.length);
  const name = typeof subject === "string" ? subject : subject(issue.path[0]);
  return issueMessage(issue, { subject: name, schema, input, named });
}

/** `schema.parse(input)`, or an InputError with inputProblem's line. */
export function parseInput<S extends Schema>(schema: S, input: unknown, subject: Subject): z.core.output<S> {
  const problem = inputProblem(schema, input, subject);
  if (problem !== null) throw new InputError(problem);
  return (schema as unknown as z.ZodType).parse(input) as z.core.output<S>;
}
