import { z } from "zod";
import { ClaimedUploadSchema } from "../shared/contract/claimed-upload-schema";
import type { RegisterRequest } from "../shared/contract/workflow";

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
const TranscodeResultSchema = z.preprocess(
  (value) => {
    if (typeof value !== "object" || value === null) return value;
    const { packagingSource, ...rest } = value as Record<string, unknown>;
    return "packagingManifest" in rest || packagingSource === undefined
      ? value
      : { ...rest, packagingManifest: packagingSource };
  },
  z.object({
    jobId: z.string(),
    durationMs: z.number(),
    renditions: z.array(z.object({ widthPx: z.number(), heightPx: z.number(), maxBitrate: z.number() })),
    // s3:// URIs: register-asset turns them into the CMAF group's CDN URLs.
    cmafHlsManifest: z.string().startsWith("s3://"),
    cmafDashManifest: z.string().startsWith("s3://"),
    posterImage: z.string(),
    packagingManifest: z.string().startsWith("s3://"),
  }),
);

export const RegisterRequestSchema = z.object({
  executionArn: z.string().startsWith("arn:"),
  redriveCount: z.number().int().nonnegative().optional(),
  upload: ClaimedUploadSchema,
  transcode: TranscodeResultSchema,
}) satisfies z.ZodType<RegisterRequest>;
