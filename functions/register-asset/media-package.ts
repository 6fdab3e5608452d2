import {
  CreateAssetCommand,
  DescribeAssetCommand,
  ListAssetsCommand,
  type EgressEndpoint,
  type MediaPackageVodClient,
} from "@aws-sdk/client-mediapackage-vod";
import { logger } from "../shared/runtime/powertools";
import { PackagingAssetConflictError, PackagingQuotaExceededError } from "./errors";

/** The CreateAsset fields we set. No `ResourceId`: it only names the content in SPEKE (DRM) key requests. */
export interface AssetRequest {
  readonly Id: string;
  readonly PackagingGroupId: string;
  readonly SourceArn: string;
  readonly SourceRoleArn: string;
}

/** What we keep of an asset: its egress endpoints, and when it was created (the packaging wait counts from it). */
export interface AssetState {
  readonly egressEndpoints: readonly EgressEndpoint[];
  /** Epoch ms of `CreatedAt`; undefined if MediaPackage gave none. */
  readonly createdAtMs?: number;
}

function createdAtMs(createdAt: string | undefined): number | undefined {
  const ms = createdAt === undefined ? Number.NaN : Date.parse(createdAt);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * CreateAsset; when the id is taken, adopts the existing asset if it is the same registration ("already exists"
 * is success — a retry, a PackagingPending backoff or a redrive all land here).
 *
 * MediaPackage VOD documents no "already exists" error: CreateAsset's modelled errors are Forbidden (403),
 * NotFound (404), UnprocessableEntity (422), TooManyRequests (429), InternalServerError (500) and
 * ServiceUnavailable (503), and there is no ConflictException. So we do not trust any error name or message:
 * on a 4xx that could mean "taken" (422, or a 409 should the service ever send one) we DescribeAsset the id, and
 * only an asset with our group and source counts as ours. If none exists, the CreateAsset error was real and is
 * rethrown unchanged; everything else (Forbidden, throttling, 5xx) propagates unchanged.
 */
export async function createOrAdoptAsset(
  client: MediaPackageVodClient,
  request: AssetRequest,
  assetQuota: number,
): Promise<AssetState> {
  try {
    const created = await client.send(new CreateAssetCommand({ ...request }));
    logger.info("MediaPackage asset created", { packagingAssetId: request.Id, sourceArn: request.SourceArn });
    return { egressEndpoints: created.EgressEndpoints ?? [], createdAtMs: createdAtMs(created.CreatedAt) };
  } catch (error) {
    if (error instanceof Error && error.name === "TooManyRequestsException") {
      await refuseIfGroupIsFull(client, request.PackagingGroupId, assetQuota, error);
      throw error;
    }
    if (!mayMeanAlreadyExists(error)) throw error;
    const existing = await findAsset(client, request.Id);
    if (!existing) throw error;
    if (existing.PackagingGroupId !== request.PackagingGroupId || existing.SourceArn !== request.SourceArn) {
      throw new PackagingAssetConflictError(
        `MediaPackage asset ${request.Id} already exists for packaging group "${existing.PackagingGroupId}" and source ` +
          `${existing.SourceArn}, not "${request.PackagingGroupId}" and ${request.SourceArn}. ` +
          `Delete the asset (aws mediapackage-vod delete-asset --id ${request.Id}) and redrive.`,
      );
    }
    logger.info("MediaPackage asset already exists; adopting it", {
      packagingAssetId: request.Id,
      createError: error instanceof Error ? error.name : String(error),
    });
    return { egressEndpoints: existing.EgressEndpoints ?? [], createdAtMs: createdAtMs(existing.CreatedAt) };
  }
}

/**
 * CreateAsset answers 429 TooManyRequestsException both when it is throttled and when the packaging group
 * holds its quota of assets ("The client has exceeded their resource or throttling limits"; MediaPackage's
 * message, "Too many requests, please try again. Resource limit exceeded", is the same for both:
 * https://docs.aws.amazon.com/mediapackage/latest/ug/endpoints-create.html; the VOD API reference lists
 * 429 as "One of these two error conditions: Too many requests have been sent in a given amount of time.
 * Your account has exceeded the quota allotted for the resource that you're creating",
 * https://docs.aws.amazon.com/mediapackage-vod/latest/apireference/packaging_groups-id.html). So on a 429 the group's
 * assets are counted (ListAssets, 1,000 a page, stopping at the quota): a full group is
 * `Vod.PackagingQuotaExceeded`, which no retrier matches; otherwise the 429 stays throttling
 * (shared/runtime/handler.ts turns it into Vod.ServiceBusy). Costs at most quota/1,000 calls, only on a 429.
 */
async function refuseIfGroupIsFull(
  client: MediaPackageVodClient,
  groupId: string,
  quota: number,
  cause: Error,
): Promise<void> {
  let count = 0;
  let nextToken: string | undefined;
  do {
    const page = await client.send(
      new ListAssetsCommand({ PackagingGroupId: groupId, MaxResults: 1000, NextToken: nextToken }),
    );
    count += page.Assets?.length ?? 0;
    nextToken = page.NextToken;
  } while (nextToken !== undefined && count < quota);
  if (count < quota) return;
  throw new PackagingQuotaExceededError(
    `MediaPackage packaging group "${groupId}" holds ${count} assets, its quota "Maximum Assets per Packaging Group" ` +
      `is ${quota} (config vod-ingest:packagingAssetQuota; AWS default 10,000). Delete assets of titles no longer ` +
      `served or request an increase in Service Quotas (and raise packagingAssetQuota to match), then redrive.`,
    { cause },
  );
}

/** DescribeAsset, for polling the egress endpoints. */
export async function describeAsset(client: MediaPackageVodClient, id: string): Promise<AssetState> {
  const asset = await client.send(new DescribeAssetCommand({ Id: id }));
  return { egressEndpoints: asset.EgressEndpoints ?? [], createdAtMs: createdAtMs(asset.CreatedAt) };
}

async function findAsset(client: MediaPackageVodClient, id: string) {
  try {
    return await client.send(new DescribeAssetCommand({ Id: id }));
  } catch (error) {
    if (error instanceof Error && error.name === "NotFoundException") return undefined;
    throw error;
  }
}

function mayMeanAlreadyExists(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return (
    error.name === "UnprocessableEntityException" || error.name === "ConflictException" || status === 409
  );
}
