import * as z from "zod/mini";
import { ClaimedUploadSchema } from "../shared/contract/claimed-upload-schema";
import type { RegisterRequest } from "../shared/contract/workflow";

/** An `s3://bucket/key` URI, as MediaConvert's outputs are named. */
const S3Uri = z.string().check(z.startsWith("s3://"));

/**
 * The "Register With MediaPackage" payload (`{ upload: $.claim.upload, transcode: $.transcode }` in
 * statemachines/ingest.asl.json), checked against shared/contract/workflow.ts `RegisterRequest`.
 *
 * @example
 * ```json
 * {
 *   "executionArn": "arn:aws:states:us-east-1:123456789012:execution:vod-ingest-dev-ingest:3f1c…",
 *   "upload": { "assetId": "lecture-01-final-3f9a2c", "revision": "0a1b2c3d4e5f",
 *               "source": { "bucket": "vod-source", "key": "lecture 01 (final).mov", "versionId": "…", … }, "facts": { … } },
 *   "transcode": { "jobId": "1717171717171-abcdef", "packagingManifest": "s3://vod-output/lecture-01-final-3f9a2c/0a1b2c3d4e5f/hls/index.m3u8", … }
 * }
 * ```
 */
/**
 * `$.transcode` as submit-job's callback wrote it. Until the rename, the manifest URI was called
 * `packagingSource`; an execution that failed here before the deploy can still be redriven after it (for
 * 14 days: https://docs.aws.amazon.com/step-functions/latest/apireference/API_RedriveExecution.html), and
 * its state keeps the old name, so that name is read as the new one.
 */
const TranscodeResultSchema = z.pipe(
  z.transform((value: unknown) => {
    if (typeof value !== "object" || value === null) return value;
    const { packagingSource, ...rest } = value as Record<string, unknown>;
    return "packagingManifest" in rest || packagingSource === undefined
      ? value
      : { ...rest, packagingManifest: packagingSource };
  }),
  z.object({
    jobId: z.string(),
    durationMs: z.number(),
    renditions: z.array(z.object({ widthPx: z.number(), heightPx: z.number(), maxBitrate: z.number() })),
    // s3:// URIs: register-asset turns them into the CMAF group's CDN URLs.
    cmafHlsManifest: S3Uri,
    cmafDashManifest: S3Uri,
    posterImage: z.string(),
    packagingManifest: S3Uri,
  }),
);

export const RegisterRequestSchema = z.object({
  executionArn: z.string().check(z.startsWith("arn:")),
  redriveCount: z.optional(z.int().check(z.nonnegative())),
  upload: ClaimedUploadSchema,
  transcode: TranscodeResultSchema,
}) satisfies z.ZodMiniType<RegisterRequest>;
