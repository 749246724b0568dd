/**
 * Model keys stay on the workers: a worker reads its own environment. As a guard against a
 * future option that forwards settings wholesale, a submitter refuses job data that contains
 * the value of any secret-looking variable of its own environment.
 */
import { InputError } from "../errors.ts";

const SECRET_NAME = /(KEY|TOKEN|SECRET|PASSWORD)/i;

export function assertNoSecrets(data: unknown, env: NodeJS.ProcessEnv = process.env): void {
  const text = JSON.stringify(data);
  for (const [name, value] of Object.entries(env)) {
    if (SECRET_NAME.test(name) && value && value.length >= 8 && text.includes(value)) {
      throw new InputError(
        `job data would carry the value of ${name}; keys stay on the workers, never in Redis`,
      );
    }
  }
}
