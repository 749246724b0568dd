/**
 * Structured edits without a model: `key=value` assignments to PARAMS, each checked
 * against the program's keys and the value's shape (a colour stays three numbers).
 */
import { InputError } from "../errors.ts";
import { assembleProgram } from "../program/assemble.ts";
import { checkParamRange } from "../program/param-ranges.ts";
import { getParam, parseParamText, setParam } from "../program/params.ts";
import { parseProgram, type SceneProgram } from "../program/parse.ts";
import { hexToLinear } from "./color.ts";

export interface Assignment {
  key: string;
  text: string;
}

export function parseAssignment(text: string): Assignment {
  const at = text.indexOf("=");
  if (at <= 0)
    throw new InputError(`"${text}" is not an assignment like mug.color=#ff0000 or mug.location=0,0,1`);
  return { key: text.slice(0, at).trim(), text: text.slice(at + 1).trim() };
}

function valueFor(program: SceneProgram, { key, text }: Assignment): unknown {
  const current = getParam(program, key);
  return text.startsWith("#") ? hexToLinear(text) : parseParamText(text, current);
}

/**
 * The program with every assignment applied; throws on the first unknown key, value of the
 * wrong shape, or value outside the key's range (metallic 7, a negative size).
 */
export function applyAssignments(source: string, assignments: Assignment[]): string {
  let program = parseProgram(source);
  for (const assignment of assignments) {
    program = setParam(program, assignment.key, valueFor(program, assignment));
    checkParamRange(assignment.key, program.params[assignment.key]!);
  }
  return assembleProgram(program);
}
