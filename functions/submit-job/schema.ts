import * as z from "zod/mini";
import { ClaimedUploadSchema } from "../shared/contract/claimed-upload-schema";
import type { TranscodeRequest } from "../shared/contract/workflow";

/**
 * The "Transcode To CMAF" payload (`{ taskToken: $$.Task.Token, executionArn: $$.Execution.Id,
 * redriveCount: $$.Execution.RedriveCount, upload: $.claim.upload }` in statemachines/ingest.asl.json),
 * checked against shared/contract/workflow.ts `TranscodeRequest`.
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
  taskToken: z.string().check(z.minLength(1), z.maxLength(2048)),
  executionArn: z.string().check(z.regex(/^arn:[a-z-]+:states:[a-z0-9-]+:\d{12}:execution:.+$/)),
  redriveCount: z.int().check(z.nonnegative()),
  upload: ClaimedUploadSchema,
}) satisfies z.ZodMiniType<TranscodeRequest>;
