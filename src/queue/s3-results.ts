/**
 * `--results s3+http(s)://host[:port]/bucket[/prefix]`: run folders go through S3-compatible
 * object storage (AWS S3, MinIO, Ceph, …) with the official AWS SDK v3, path-style addressing
 * and the endpoint taken from the URL. Only the URL travels through Redis: each machine reads
 * its credentials from its own AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (AWS_SESSION_TOKEN,
 * AWS_REGION optional). A job's folder is stored under `<prefix>/<job id>/`.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { InputError, oneLine } from "../errors.ts";
import { listFiles, writeInside } from "./pack.ts";
import { ResultsStorageError } from "./queue-errors.ts";

export interface S3Location {
  /** http(s)://host[:port]: where the SDK sends requests. */
  endpoint: string;
  bucket: string;
  /** Key prefix without slashes at either end; "" for the bucket's root. */
  prefix: string;
  /** The URL as given, normalised: what jobs carry. */
  url: string;
}

const SCHEMES: Record<string, string> = { "s3+http:": "http:", "s3+https:": "https:" };

export function isObjectStorageUrl(text: string): boolean {
  return /^[a-z][\w+.-]*:\/\//i.test(text);
}

export function parseS3Url(text: string): S3Location {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InputError(`--results ${text} is not a URL`);
  }
  const scheme = SCHEMES[url.protocol];
  if (!scheme) {
    throw new InputError(
      `--results ${url.protocol}//…: give s3+https://host[:port]/bucket[/prefix] (or s3+http:// for a server without TLS), e.g. s3+https://s3.eu-west-1.amazonaws.com/bucket/runs`,
    );
  }
  if (url.username || url.password) {
    throw new InputError(
      "--results: put no credentials in the URL; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY on each machine",
    );
  }
  const [bucket, ...rest] = url.pathname.split("/").filter(Boolean);
  if (!bucket) throw new InputError(`--results ${text} names no bucket (…/bucket[/prefix])`);
  const prefix = rest.join("/");
  return {
    endpoint: `${scheme}//${url.host}`,
    bucket,
    prefix,
    url: `${url.protocol}//${url.host}/${bucket}${prefix ? `/${prefix}` : ""}`,
  };
}

/** The location of one job's folder under `loc`. */
export function jobLocation(loc: S3Location, jobId: string): S3Location {
  const prefix = loc.prefix ? `${loc.prefix}/${jobId}` : jobId;
  return { ...loc, prefix, url: `${loc.url}/${jobId}` };
}

function credentials(loc: S3Location, env: NodeJS.ProcessEnv) {
  const accessKeyId = env["AWS_ACCESS_KEY_ID"];
  const secretAccessKey = env["AWS_SECRET_ACCESS_KEY"];
  if (!accessKeyId || !secretAccessKey) {
    throw new InputError(
      `--results ${loc.url}: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in this machine's environment (keys never travel through Redis)`,
    );
  }
  const sessionToken = env["AWS_SESSION_TOKEN"];
  return { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
}

export function s3Client(loc: S3Location, env: NodeJS.ProcessEnv = process.env): S3Client {
  // SDK releases of 2026 support Node 20 but print a multi-line notice about future releases on
  // every process; seig's one-line stderr would drown in it (docs/distributed.md says it instead).
  process.env["AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED"] ??= "true";
  return new S3Client({
    endpoint: loc.endpoint,
    forcePathStyle: true,
    region: env["AWS_REGION"] ?? "us-east-1",
    credentials: credentials(loc, env),
    // S3-compatible servers vary in the newer checksum headers; send them only where S3 needs them.
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
}

/** HEAD answers have no body, so the SDK's own message is then "UnknownError": say what the status means. */
const STATUS: Record<number, string> = {
  403: "access denied (check this machine's AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY)",
  404: "no such bucket",
};

function describe(e: unknown): string {
  const status = (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  if (status !== undefined && STATUS[status]) return `${STATUS[status]} (HTTP ${status})`;
  const name = e instanceof Error && e.name !== "Error" ? `${e.name}: ` : "";
  return `${name}${oneLine(e) || "no answer"}`;
}

/** Runs an S3 call, turning the SDK's errors into one line naming the URL. */
async function call<T>(loc: S3Location, what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new ResultsStorageError(`${what} ${loc.url} failed: ${describe(e)}`, 1, {
      cause: e,
    });
  }
}

/** Fails at once, in one line, when the bucket cannot be reached with this machine's credentials. */
export async function assertBucket(loc: S3Location): Promise<void> {
  const client = s3Client(loc);
  try {
    await call(loc, "--results: reaching", () => client.send(new HeadBucketCommand({ Bucket: loc.bucket })));
  } finally {
    client.destroy();
  }
}

async function keysUnder(client: S3Client, loc: S3Location): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(
      new ListObjectsV2Command({ Bucket: loc.bucket, Prefix: `${loc.prefix}/`, ContinuationToken: token }),
    );
    for (const o of page.Contents ?? []) if (o.Key) keys.push(o.Key);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys;
}

/** Replaces whatever `loc` holds with the files of `dir`. */
export async function uploadFolder(dir: string, loc: S3Location): Promise<number> {
  const client = s3Client(loc);
  try {
    return await call(loc, "storing the run folder in", async () => {
      // One object at a time: a handful of run files, and servers differ in multi-object deletes.
      for (const key of await keysUnder(client, loc))
        await client.send(new DeleteObjectCommand({ Bucket: loc.bucket, Key: key }));
      const files = await listFiles(dir);
      for (const rel of files) {
        const body = await readFile(path.join(dir, rel));
        await client.send(
          new PutObjectCommand({ Bucket: loc.bucket, Key: `${loc.prefix}/${rel}`, Body: body }),
        );
      }
      return files.length;
    });
  } finally {
    client.destroy();
  }
}

/** Downloads the folder at `loc` into `dir`; returns how many files (0: nothing there). */
export async function downloadFolder(loc: S3Location, dir: string): Promise<number> {
  const client = s3Client(loc);
  try {
    return await call(loc, "fetching the run folder from", async () => {
      const keys = await keysUnder(client, loc);
      for (const key of keys) {
        const object = await client.send(new GetObjectCommand({ Bucket: loc.bucket, Key: key }));
        if (!object.Body) throw new Error(`${key} has no body`);
        await writeInside(dir, key.slice(loc.prefix.length + 1), await object.Body.transformToByteArray());
      }
      return keys.length;
    });
  } finally {
    client.destroy();
  }
}
