import type { EgressEndpoint } from "@aws-sdk/client-mediapackage-vod";
import type { PlaybackUrls } from "../shared/contract/workflow";
import { PackagingMisconfiguredError } from "./errors";

/**
 * Pure rules for registering a title with MediaPackage VOD: the asset id, the source ARN, and what the
 * asset's egress endpoints say about ingest. No SDK calls here.
 */

/** What MediaPackage ingests: the HLS (TS) group, or the CMAF group's `.m3u8` (see ARCHITECTURE.md). */
export const PACKAGING_SOURCES = ["hls-ts", "cmaf"] as const;
export type PackagingSource = (typeof PACKAGING_SOURCES)[number];

/** The playback formats the catalogue publishes, each served by one MediaPackage packaging configuration. */
export const PLAYBACK_FORMATS = ["hls", "dash", "cmaf"] as const satisfies readonly (keyof PlaybackUrls)[];
export type PlaybackFormat = (typeof PLAYBACK_FORMATS)[number];

/** Which packaging configuration id serves which playback format (env `PACKAGING_CONFIGURATIONS`). */
export type PackagingConfigurations = Readonly<Record<PlaybackFormat, string>>;

/**
 * Characters MediaPackage accepts in an asset ID: "Supported characters are letters, numbers, underscores (_),
 * and dashes (-)" (https://docs.aws.amazon.com/mediapackage/latest/ug/asset-create-details.html).
 */
const ASSET_ID_CHARACTERS = /^[A-Za-z0-9_-]+$/;
/**
 * The asset page documents no maximum length. 256 is the limit AWS's CloudFormation schemas put on the sibling
 * MediaPackage ids (PackagingGroup, Channel: `\A[0-9a-zA-Z-_]+\Z`, 1–256); we refuse anything longer rather than
 * let CreateAsset reject it after a transcode has already been paid for.
 */
export const MAX_PACKAGING_ASSET_ID_LENGTH = 256;

/**
 * The MediaPackage asset id of one source revision: deterministic, so a retried or redriven registration finds
 * the asset it created before instead of making a second one.
 * @example packagingAssetId("lecture-01-final-3f9a2c", "0a1b2c3d4e5f") === "lecture-01-final-3f9a2c-0a1b2c3d4e5f"
 * @throws PackagingMisconfiguredError when the id breaks MediaPackage's rules (a bug upstream: asset ids and
 *   revisions are derived, never user characters).
 */
export function packagingAssetId(assetId: string, revision: string): string {
  const id = `${assetId}-${revision}`;
  if (!ASSET_ID_CHARACTERS.test(id)) {
    throw new PackagingMisconfiguredError(
      `MediaPackage asset id "${id}" may only contain letters, digits, "_" and "-" (from assetId "${assetId}" and revision "${revision}")`,
    );
  }
  if (id.length > MAX_PACKAGING_ASSET_ID_LENGTH) {
    throw new PackagingMisconfiguredError(
      `MediaPackage asset id "${id}" is ${id.length} characters long; the limit is ${MAX_PACKAGING_ASSET_ID_LENGTH}`,
    );
  }
  return id;
}

/**
 * The partition of an ARN (`aws`, `aws-cn`, `aws-us-gov`, …). The source ARN must use the account's partition,
 * so it is taken from the packaging role's ARN instead of being hard-coded.
 * @example partitionOf("arn:aws-cn:iam::123456789012:role/packaging") === "aws-cn"
 */
export function partitionOf(arn: string): string {
  const [prefix, partition] = arn.split(":");
  if (prefix !== "arn" || !partition || !/^aws(-[a-z]+)*$/.test(partition)) {
    throw new PackagingMisconfiguredError(`"${arn}" is not an ARN; cannot tell the AWS partition from it`);
  }
  return partition;
}

/**
 * The S3 object ARN MediaPackage's `SourceArn` wants for an `s3://bucket/key` URI. The key goes in verbatim (ARNs
 * are not URL-encoded); it is ours (`<assetId>/…/index.m3u8`), never a user's key.
 * @example s3ObjectArn("s3://vod-output/abc/hls/index.m3u8", "aws") === "arn:aws:s3:::vod-output/abc/hls/index.m3u8"
 */
export function s3ObjectArn(s3Uri: string, partition: string): string {
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(s3Uri);
  if (!match) throw new PackagingMisconfiguredError(`"${s3Uri}" is not an s3://bucket/key URI`);
  const [, bucket, key] = match;
  return `arn:${partition}:s3:::${bucket}/${key}`;
}

/** What the egress endpoints say about ingest, for the formats we publish. */
export type EgressVerdict =
  | { readonly state: "PLAYABLE"; readonly playback: PlaybackUrls }
  | { readonly state: "FAILED"; readonly failed: readonly PlaybackFormat[] }
  | { readonly state: "PENDING"; readonly pending: readonly string[] };

/**
 * Reads the asset's `EgressEndpoints` (`Status`: QUEUED | PROCESSING | PLAYABLE | FAILED; see DescribeAsset,
 * https://docs.aws.amazon.com/mediapackage-vod/latest/apireference/assets-id.html). Any of our endpoints FAILED
 * wins over pending ones: waiting longer cannot fix it. Endpoints of other packaging configurations in the group
 * are ignored. An endpoint without a status (AWS: "won't be available for most assets ingested before
 * 2021-09-30") counts as pending.
 * @throws PackagingMisconfiguredError when the asset lists endpoints but none for one of our configuration ids:
 *   the id in `PACKAGING_CONFIGURATIONS` is not in the packaging group, and no amount of waiting will help.
 */
export function assessEgress(
  endpoints: readonly EgressEndpoint[] | undefined,
  configurations: PackagingConfigurations,
): EgressVerdict {
  const list = endpoints ?? [];
  const failed: PlaybackFormat[] = [];
  const pending: string[] = [];
  const urls: Partial<Record<PlaybackFormat, string>> = {};
  for (const format of PLAYBACK_FORMATS) {
    const endpoint = list.find((e) => e.PackagingConfigurationId === configurations[format]);
    if (!endpoint) {
      // Right after CreateAsset the list may not be filled in yet; a non-empty list without our id never will be.
      if (list.length > 0) {
        throw new PackagingMisconfiguredError(
          `The MediaPackage asset has no egress endpoint for packaging configuration "${configurations[format]}" (${format}); ` +
            `it lists ${list.map((e) => `"${e.PackagingConfigurationId}"`).join(", ")}. Fix PACKAGING_CONFIGURATIONS or the packaging group.`,
        );
      }
      pending.push(`${format}: not listed yet`);
      continue;
    }
    if (endpoint.Status === "FAILED") failed.push(format);
    else if (endpoint.Status === "PLAYABLE" && endpoint.Url) urls[format] = endpoint.Url;
    else pending.push(`${format}: ${endpoint.Status ?? "no status yet"}`);
  }
  if (failed.length > 0) return { state: "FAILED", failed };
  if (pending.length > 0) return { state: "PENDING", pending };
  return { state: "PLAYABLE", playback: { hls: urls.hls!, dash: urls.dash!, cmaf: urls.cmaf! } };
}

/**
 * The message of a failed ingest, written so the person reading the catalogue row knows what to change. With
 * `cmaf` the cause is almost always the undocumented input (fragmented MP4 behind an `.m3u8`), so it names the
 * `vod-ingest:packagingSource` switch. A redrive alone cannot help: the FAILED asset keeps its deterministic id.
 */
export function packagingFailureMessage(input: {
  readonly packagingSource: PackagingSource;
  readonly sourceUri: string;
  readonly packagingAssetId: string;
  readonly failed: readonly PlaybackFormat[];
}): string {
  const formats = input.failed.join(", ");
  if (input.packagingSource === "cmaf") {
    return (
      `MediaPackage could not ingest the CMAF .m3u8 (${input.sourceUri}); egress ${formats} FAILED. ` +
      `Set vod-ingest:packagingSource to hls-ts, run pulumi up, and upload the source again ` +
      `(a redrive would register the same CMAF output).`
    );
  }
  return (
    `MediaPackage could not ingest the HLS (TS) .m3u8 (${input.sourceUri}); egress ${formats} FAILED. ` +
    `vod-ingest:packagingSource is hls-ts, the documented input: check the packaging role's access to the output bucket ` +
    `and the manifest, then delete MediaPackage asset ${input.packagingAssetId} and redrive.`
  );
}
