import { requireEnv } from "../shared/runtime/env";
import { ingestHandler } from "../shared/runtime/handler";
import type { PackagingSource } from "./job-settings";
import { TranscodeRequestSchema } from "./schema";
import { submitJob, type SubmitJobConfig } from "./submit-job";

/** Read once per container; a mis-deployed function fails on its first invocation (shared/runtime/env.ts). */
const config: SubmitJobConfig = {
  ledgerTable: requireEnv("LEDGER_TABLE"),
  catalogueTable: requireEnv("CATALOGUE_TABLE"),
  outputBucket: requireEnv("OUTPUT_BUCKET"),
  queueArn: requireEnv("MEDIACONVERT_QUEUE_ARN"),
  roleArn: requireEnv("MEDIACONVERT_ROLE_ARN"),
  stackMarker: requireEnv("STACK_MARKER"),
  topRung: topRung(requireEnv("LADDER_TOP_RUNG")),
  packagingSource: packagingSource(requireEnv("PACKAGING_SOURCE")),
};

/**
 * The "Transcode To CMAF" task (`lambda:invoke.waitForTaskToken`). Throttling from CreateJob or DynamoDB
 * leaves as `Vod.ServiceBusy` (shared/runtime/handler.ts), which the Task's retrier retries with backoff.
 */
export const handler = ingestHandler(TranscodeRequestSchema, (request) => submitJob(request, config));

function topRung(raw: string): number {
  const height = Number(raw);
  if (!Number.isInteger(height) || height <= 0)
    throw new Error(`LADDER_TOP_RUNG must be a height in px, got "${raw}"`);
  return height;
}

function packagingSource(raw: string): PackagingSource {
  if (raw !== "hls-ts" && raw !== "cmaf")
    throw new Error(`PACKAGING_SOURCE must be hls-ts or cmaf, got "${raw}"`);
  return raw;
}
