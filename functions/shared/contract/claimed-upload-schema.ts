import * as z from "zod/mini";
import { ASSET_ID_PATTERN } from "./asset-id";
import type { ClaimedUpload } from "./workflow";

/** The ids that reach MediaConvert userMetadata, output paths and MediaPackage ids: `[A-Za-z0-9_-]` only (ARCHITECTURE.md). */
const SafeId = z.string().check(z.regex(ASSET_ID_PATTERN));

const PositiveInt = z.int().check(z.positive());

/**
 * `$.claim.upload`, the claimed source every state after "Claim Upload" receives (shared/contract/workflow.ts
 * `ClaimedUpload`). One schema, so the states that read it cannot disagree about its shape.
 */
export const ClaimedUploadSchema = z.object({
  assetId: SafeId,
  revision: SafeId,
  source: z.object({
    bucket: z.string().check(z.minLength(1)),
    key: z.string().check(z.minLength(1)),
    versionId: z.string(),
    size: z.number(),
    etag: z.string(),
    sequencer: z.string(),
  }),
  facts: z.object({
    widthPx: PositiveInt,
    heightPx: PositiveInt,
    durationMs: z.number().check(z.nonnegative()),
    hasAudio: z.boolean(),
    frameRate: z.optional(z.object({ numerator: PositiveInt, denominator: PositiveInt })),
  }),
}) satisfies z.ZodMiniType<ClaimedUpload>;
