import { z } from "zod";
import type { TranscodeRequest } from "../shared/contracts";

/** The ids that reach MediaConvert userMetadata and output paths: `[A-Za-z0-9_-]` only (ARCHITECTURE.md). */
const SafeId = z.string().regex(/^[A-Za-z0-9_-]{1,128}$/);

/**
 * The "Transcode To CMAF" payload (`{ taskToken: $$.Task.Token, executionArn: $$.Execution.Id,
 * redriveCount: $$.Execution.RedriveCount, upload: $.claim.upload }` in statemachines/ingest.asl.json),
 * checked against shared/contracts.ts `TranscodeRequest`.
 *
 * @example
 * ```json
 * {
 *   "taskToken": "AQCEAAAAKgAAAAMAAAAA…",
 *   "executionArn": "arn:aws:states:eu-west-1:123456789012:execution:vod-ingest:2f0c…",
 *   "redriveCount": 0,
 *   "upload": { "assetId": "lecture-01-final-3f9a2c", "revision": "0a1b2c3d4e5f",
 *               "source": { "bucket": "vod-source", "key": "lecture 01 (final).mov", … },
 *               "facts": { "widthPx": 1920, "heightPx": 1080, "durationMs": 61000, "hasAudio": true } }
 * }
 * ```
 */
export const TranscodeRequestSchema = z.object({
  // SendTaskSuccess documents task tokens as 1–2048 characters.
  taskToken: z.string().min(1).max(2048),
  executionArn: z.string().regex(/^arn:[a-z-]+:states:[a-z0-9-]+:\d{12}:execution:.+$/),
  redriveCount: z.number().int().nonnegative(),
  upload: z.object({
    assetId: SafeId,
    revision: SafeId,
    source: z.object({
      bucket: z.string().min(1),
      key: z.string().min(1),
      versionId: z.string(),
      size: z.number(),
      etag: z.string(),
      sequencer: z.string(),
    }),
    facts: z.object({
      widthPx: z.number().int().positive(),
      heightPx: z.number().int().positive(),
      durationMs: z.number().nonnegative(),
      hasAudio: z.boolean(),
    }),
  }),
}) satisfies z.ZodType<TranscodeRequest>;
