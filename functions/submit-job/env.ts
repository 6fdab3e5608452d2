import * as z from "zod/mini";
import { PACKAGING_SOURCES, type PackagingSource } from "../shared/media/packaging";
import { lazyEnv } from "../shared/runtime/env";
import type { AdmissionConfig } from "./admit";
import { ADMISSION_MAX_RECEIVES, createJobIntervalMs } from "../shared/contract/admission";
import { tagProblem } from "../shared/contract/tags";

/** What submit-job reads from its environment; infra/functions.ts sets exactly these. */
export const SubmitJobEnvSchema = z.object({
  LEDGER_TABLE: z.string().check(z.minLength(1)),
  CATALOGUE_TABLE: z.string().check(z.minLength(1)),
  /** Where MediaConvert writes the renditions. */
  OUTPUT_BUCKET: z.string().check(z.minLength(1)),
  MEDIACONVERT_QUEUE_ARN: z.string().check(z.minLength(1)),
  MEDIACONVERT_ROLE_ARN: z.string().check(z.minLength(1)),
  /** Written to the job's `userMetadata.stack`, which the job-event rule filters on. */
  STACK_MARKER: z.string().check(z.minLength(1)),
  /** Height in px of the ladder's top rung (config `ladderTopRung`). */
  LADDER_TOP_RUNG: z.string().check(z.minLength(1)),
  /** `hls-ts` or `cmaf` (config `packagingSource`). */
  PACKAGING_SOURCE: z.string().check(z.minLength(1)),
  /** JSON map of the tags every job carries: config `tags` plus `vod:stack` (shared/contract/tags.ts). */
  JOB_TAGS: z.string().check(z.minLength(1)),
  /** The admission queue this function drains (retry delays are set on its messages). */
  ADMISSION_QUEUE_URL: z.string().check(z.minLength(1)),
  /** CreateJob calls per second all submitters together may make (config `createJobRate`). */
  CREATE_JOB_RATE: z.string().check(z.minLength(1)),
  /** How many submitters run at once: the event source mapping's MaximumConcurrency (config `admissionConcurrency`). */
  ADMISSION_CONCURRENCY: z.string().check(z.minLength(1)),
});

/** The parsed configuration, read on first use and kept for the container's life. */
export const admissionConfig = lazyEnv(
  z.pipe(
    SubmitJobEnvSchema,
    z.transform((env): AdmissionConfig & { readonly createJobIntervalMs: number } => ({
      ledgerTable: env.LEDGER_TABLE,
      catalogueTable: env.CATALOGUE_TABLE,
      outputBucket: env.OUTPUT_BUCKET,
      queueArn: env.MEDIACONVERT_QUEUE_ARN,
      roleArn: env.MEDIACONVERT_ROLE_ARN,
      stackMarker: env.STACK_MARKER,
      topRung: topRung(env.LADDER_TOP_RUNG),
      packagingSource: packagingSource(env.PACKAGING_SOURCE),
      jobTags: jobTags(env.JOB_TAGS),
      admissionQueueUrl: env.ADMISSION_QUEUE_URL,
      maxReceives: ADMISSION_MAX_RECEIVES,
      createJobIntervalMs: createJobIntervalMs(
        positiveNumber("CREATE_JOB_RATE", env.CREATE_JOB_RATE),
        positiveNumber("ADMISSION_CONCURRENCY", env.ADMISSION_CONCURRENCY),
      ),
    })),
  ),
);

function positiveNumber(name: string, raw: string): number {
  const value = Number(raw);
  if (!(value > 0)) throw new Error(`${name} must be a number above 0, got "${raw}"`);
  return value;
}

function topRung(raw: string): number {
  const height = Number(raw);
  if (!Number.isInteger(height) || height <= 0)
    throw new Error(`LADDER_TOP_RUNG must be a height in px, got "${raw}"`);
  return height;
}

function packagingSource(raw: string): PackagingSource {
  const known = PACKAGING_SOURCES.find((source) => source === raw);
  if (known === undefined)
    throw new Error(`PACKAGING_SOURCE must be ${PACKAGING_SOURCES.join(" or ")}, got "${raw}"`);
  return known;
}

function jobTags(raw: string): Readonly<Record<string, string>> {
  let tags: unknown;
  try {
    tags = JSON.parse(raw);
  } catch {
    throw new Error(`JOB_TAGS must be a JSON map of tags, got "${raw}"`);
  }
  if (tags === null || typeof tags !== "object" || Array.isArray(tags))
    throw new Error(`JOB_TAGS must be a JSON map of tags, got "${raw}"`);
  const problem = tagProblem(tags as Record<string, string>);
  if (problem !== undefined) throw new Error(`JOB_TAGS: ${problem}`);
  return tags as Record<string, string>;
}
