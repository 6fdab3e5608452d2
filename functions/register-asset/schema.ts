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
 *   "transcode": { "jobId": "1717171717171-abcdef", "packagingSource": "s3://vod-output/lecture-01-final-3f9a2c/0a1b2c3d4e5f/hls/index.m3u8", … }
 * }
 * ```
 */
export const RegisterRequestSchema = z.object({
  executionArn: z.string().startsWith("arn:"),
  upload: ClaimedUploadSchema,
  transcode: z.object({
    jobId: z.string(),
    durationMs: z.number(),
    renditions: z.array(z.object({ widthPx: z.number(), heightPx: z.number(), maxBitrate: z.number() })),
    cmafHlsManifest: z.string(),
    cmafDashManifest: z.string(),
    posterImage: z.string(),
    packagingSource: z.string().startsWith("s3://"),
  }),
}) satisfies z.ZodType<RegisterRequest>;
