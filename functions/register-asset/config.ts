import { PackagingMisconfiguredError } from "./errors";
import { PACKAGING_SOURCES, type PackagingSource } from "../shared/media/packaging";
import { PLAYBACK_FORMATS, type PackagingConfigurations } from "./packaging";

/** Everything register-asset reads from its environment (env.ts), validated once. */
export interface RegisterAssetConfig {
  readonly catalogueTable: string;
  readonly packagingGroupId: string;
  /** Role MediaPackage assumes to read the output bucket (trusts mediapackage.amazonaws.com). */
  readonly packagingRoleArn: string;
  /** Partition of `packagingRoleArn`, used for the S3 source ARN. */
  readonly partition: string;
  readonly packagingSource: PackagingSource;
  readonly packagingConfigurations: PackagingConfigurations;
  /** `https://<cdn host>`: where the row's playback URLs point. */
  readonly cdnBaseUrl: string;
  /** Output bucket, where older revisions' outputs are removed (config `removeSupersededOutputs`). */
  readonly outputBucket: string;
  readonly removeSupersededOutputs: boolean;
  /** "Maximum Assets per Packaging Group" of this account (config `packagingAssetQuota`). */
  readonly packagingAssetQuota: number;
}

/**
 * Parses `PACKAGING_CONFIGURATIONS`: which packaging configuration id serves which playback format.
 * @example parsePackagingConfigurations('{"hls":"vod-hls","dash":"vod-dash","cmaf":"vod-cmaf"}')
 */
export function parsePackagingConfigurations(json: string): PackagingConfigurations {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new PackagingMisconfiguredError(`PACKAGING_CONFIGURATIONS is not JSON: ${json}`);
  }
  const record = (typeof value === "object" && value !== null ? value : {}) as Record<string, unknown>;
  const missing = PLAYBACK_FORMATS.filter((f) => typeof record[f] !== "string" || record[f] === "");
  if (missing.length > 0) {
    throw new PackagingMisconfiguredError(
      `PACKAGING_CONFIGURATIONS must map ${PLAYBACK_FORMATS.join(", ")} to packaging configuration ids; missing ${missing.join(", ")}`,
    );
  }
  return { hls: record.hls as string, dash: record.dash as string, cmaf: record.cmaf as string };
}

/** Checks `PACKAGING_SOURCE` against the values submit-job understands. */
export function parsePackagingSource(value: string): PackagingSource {
  if (!(PACKAGING_SOURCES as readonly string[]).includes(value)) {
    throw new PackagingMisconfiguredError(
      `PACKAGING_SOURCE must be ${PACKAGING_SOURCES.join(" or ")}, not "${value}"`,
    );
  }
  return value as PackagingSource;
}
