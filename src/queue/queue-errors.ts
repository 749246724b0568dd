/** Typed errors of the job queue; each message is one line that names what to do next. */
import { SeigError } from "../errors.ts";

/** Redis could not be reached, or stopped answering mid-run. Exit code 1: nothing the user typed is wrong. */
export class QueueUnreachable extends SeigError {}

/** A run folder is larger than the queue may carry; the fix is a shared --results folder or a higher limit. */
export class ResultTooLarge extends SeigError {}

/** A job failed on the workers after its retries; its error stays in Redis for `seig queue retry`. */
export class QueueJobFailed extends SeigError {}

/** Object storage given as --results refused or failed a request (bucket, endpoint, credentials). */
export class ResultsStorageError extends SeigError {}
