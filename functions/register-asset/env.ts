import * as z from "zod/mini";
import { CdnBaseUrlSchema } from "../shared/catalogue/playback-urls";
import { lazyEnv } from "../shared/runtime/env";
import { parsePackagingConfigurations, parsePackagingSource, type RegisterAssetConfig } from "./config";
import { partitionOf } from "./packaging";

/** What register-asset reads from its environment; infra/functions.ts sets exactly these. */
export const RegisterAssetEnvSchema = z.object({
  CATALOGUE_TABLE: z.string().check(z.minLength(1)),
  PACKAGING_GROUP_ID: z.string().check(z.minLength(1)),
  /** Role MediaPackage assumes to read the output bucket. */
  PACKAGING_ROLE_ARN: z.string().check(z.minLength(1)),
  /** `hls-ts` or `cmaf` (config `packagingSource`). */
  PACKAGING_SOURCE: z.string().check(z.minLength(1)),
  /** `{"hls":"<id>","dash":"<id>","cmaf":"<id>"}`: the packaging configuration per playback format. */
  PACKAGING_CONFIGURATIONS: z.string().check(z.minLength(1)),
  /** `https://<cdn host>` (the distribution, infra/delivery.ts): the row's playback URLs are on it, never on an origin. */
  CDN_BASE_URL: CdnBaseUrlSchema,
  OUTPUT_BUCKET: z.string().check(z.minLength(1)),
  /** `true` or `false` (config `removeSupersededOutputs`). */
  REMOVE_SUPERSEDED_OUTPUTS: z.enum(["true", "false"]),
  /** Whole number (config `packagingAssetQuota`). */
  PACKAGING_ASSET_QUOTA: z.string().check(z.regex(/^[1-9]\d*$/)),
});

/** The parsed configuration, read on first use and kept for the container's life. */
export const registerAssetConfig = lazyEnv(
  z.pipe(
    RegisterAssetEnvSchema,
    z.transform((env): RegisterAssetConfig => ({
      catalogueTable: env.CATALOGUE_TABLE,
      packagingGroupId: env.PACKAGING_GROUP_ID,
      packagingRoleArn: env.PACKAGING_ROLE_ARN,
      partition: partitionOf(env.PACKAGING_ROLE_ARN),
      packagingSource: parsePackagingSource(env.PACKAGING_SOURCE),
      packagingConfigurations: parsePackagingConfigurations(env.PACKAGING_CONFIGURATIONS),
      cdnBaseUrl: env.CDN_BASE_URL,
      outputBucket: env.OUTPUT_BUCKET,
      removeSupersededOutputs: env.REMOVE_SUPERSEDED_OUTPUTS === "true",
      packagingAssetQuota: Number(env.PACKAGING_ASSET_QUOTA),
    })),
  ),
);
