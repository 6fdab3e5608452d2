import { z } from "zod";
import { ASSET_ID_PATTERN } from "./asset-id";
import type { ClaimedUpload } from "./workflow";

/** The ids that reach MediaConvert userMetadata, output paths and MediaPackage ids: `[A-Za-z0-9_-]` only (ARCHITECTURE.md). */
const SafeId = z.string().regex(ASSET_ID_PATTERN);

/**
 * `$.claim.upload`, the claimed source every state after "Claim Upload" receives (shared/contract/workflow.ts
 * `ClaimedUpload`). One schema, so the states that read it cannot disagree about its shape.
 */
export const ClaimedUploadSchema = z.object({
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
    frameRate: z
      .object({ numerator: z.number().int().positive(), denominator: z.number().int().positive() })
      .optional(),
  }),
}) satisfies z.ZodType<ClaimedUpload>;
