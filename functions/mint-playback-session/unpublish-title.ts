import {
  CreateInvalidationCommand,
  type CloudFrontClient,
  type CreateInvalidationCommandInput,
} from "@aws-sdk/client-cloudfront";
import {
  DeleteAssetCommand,
  type DeleteAssetCommandInput,
  type MediaPackageVodClient,
} from "@aws-sdk/client-mediapackage-vod";
import { UpdateCommand, type DynamoDBDocumentClient, type UpdateCommandInput } from "@aws-sdk/lib-dynamodb";
import { isAssetId } from "../shared/contract/asset-id";
import type { CatalogueRow } from "../shared/catalogue/row";
import { bucketPathPrefix } from "../shared/catalogue/playback-urls";
import { assetPathPrefix, invalidationPath } from "./playback-scope";

/**
 * Taking a title down (the operator's `npm run unpublish -- <assetId> [--hard]`, infra/ops/unpublish.ts).
 *
 * - Soft (default): the row gets `unpublishedAt`, so mint-playback-session answers 404 from the next request
 *   (its read is strongly consistent). Cookies already minted stay valid until their `DateLessThan`
 *   (COOKIE_TTL_SECONDS, 5 min by default), and CloudFront keeps serving cached objects to their holders.
 * - Hard: also deletes the MediaPackage VOD asset (the origin stops serving it) and then invalidates
 *   `/out/v1/<assetHash>/*` and, for the CMAF group served from the bucket, `/<assetId>/*` on the distribution
 *   (cached copies go). In that order, so nothing re-fills the
 *   cache from the origin between the two. Outputs in the output bucket are kept (they are the re-publish path
 *   and cost storage only); delete them with `aws s3 rm --recursive` if the title must be gone for good.
 *
 * Every step can be repeated: `unpublishedAt` keeps its first value, a deleted asset is "already gone", and the
 * invalidation's CallerReference is derived from the title and its `unpublishedAt`, so a second run returns the
 * first invalidation instead of creating another.
 * https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_InvalidationBatch.html
 * https://docs.aws.amazon.com/cli/latest/reference/mediapackage-vod/delete-asset.html (DeleteAsset: Id; NotFoundException)
 */
export interface UnpublishRequest {
  readonly assetId: string;
  readonly hard: boolean;
  readonly tableName: string;
  /** Needed for `hard`: the distribution serving `/out/v1/*`. */
  readonly distributionId?: string;
  readonly now: Date;
}

export interface UnpublishClients {
  readonly dynamo: Pick<DynamoDBDocumentClient, "send">;
  readonly mediaPackageVod: Pick<MediaPackageVodClient, "send">;
  readonly cloudFront: Pick<CloudFrontClient, "send">;
}

/** What was done, for the operator's terminal. */
export interface UnpublishReport {
  readonly assetId: string;
  readonly unpublishedAt: string;
  /** True when the row was already unpublished before this run. */
  readonly wasUnpublished: boolean;
  readonly packagingAsset?: { readonly id: string; readonly outcome: "deleted" | "already gone" };
  readonly invalidation?: { readonly id: string; readonly path: string };
  /** Steps of a hard takedown that could not apply to this row, and why. */
  readonly skipped: readonly string[];
}

/** The title does not exist; nothing was written. */
export class NoSuchTitleError extends Error {
  override readonly name = "NoSuchTitleError";
}

/** The command was called in a way it cannot act on (a malformed id, `--hard` without a distribution). */
export class UnpublishUsageError extends Error {
  override readonly name = "UnpublishUsageError";
}

/** The row attributes a takedown needs back from the update. */
type TakedownRow = Pick<
  CatalogueRow,
  "assetId" | "unpublishedAt" | "packagingAssetId" | "playback" | "cmafGroup"
>;

/**
 * Marks the row unpublished, only if it exists, keeping an earlier `unpublishedAt`; returns the new row so
 * a hard takedown knows the asset and its paths.
 */
export function unpublishUpdate(tableName: string, assetId: string, now: Date): UpdateCommandInput {
  const at = now.toISOString();
  return {
    TableName: tableName,
    Key: { assetId },
    UpdateExpression: "SET #unpublishedAt = if_not_exists(#unpublishedAt, :now), #updatedAt = :now",
    ConditionExpression: "attribute_exists(#assetId)",
    ExpressionAttributeNames: {
      "#assetId": "assetId",
      "#unpublishedAt": "unpublishedAt",
      "#updatedAt": "updatedAt",
    },
    ExpressionAttributeValues: { ":now": at },
    ReturnValues: "ALL_NEW",
  };
}

/** The calls a hard takedown makes for this row (pure), and the steps that do not apply. */
export function takedownCalls(
  row: TakedownRow,
  distributionId: string,
): {
  deleteAsset?: DeleteAssetCommandInput;
  invalidation?: CreateInvalidationCommandInput;
  skipped: string[];
} {
  const skipped: string[] = [];
  const deleteAsset = row.packagingAssetId === undefined ? undefined : { Id: row.packagingAssetId };
  if (deleteAsset === undefined)
    skipped.push("no packagingAssetId on the row: no MediaPackage asset to delete");
  // MediaPackage's per-title prefix, and the title's folder in the output bucket when the CMAF group is served.
  const prefixes = [
    ...new Set(Object.values(row.playback ?? {}).map((url) => assetPathPrefix(url))),
    ...(row.cmafGroup === undefined ? [] : [bucketPathPrefix(row.assetId)]),
  ];
  if (prefixes.length === 0) skipped.push("no playback URLs on the row: nothing cached to invalidate");
  const invalidation =
    prefixes.length === 0
      ? undefined
      : {
          DistributionId: distributionId,
          InvalidationBatch: {
            CallerReference: `unpublish-${row.assetId}-${row.unpublishedAt}`,
            Paths: { Quantity: prefixes.length, Items: prefixes.map(invalidationPath) },
          },
        };
  return { ...(deleteAsset && { deleteAsset }), ...(invalidation && { invalidation }), skipped };
}

/** Soft or hard takedown (see the module comment). */
export async function unpublishTitle(
  clients: UnpublishClients,
  request: UnpublishRequest,
): Promise<UnpublishReport> {
  if (!isAssetId(request.assetId)) throw new UnpublishUsageError(`${request.assetId} is not an asset id`);
  if (request.hard && !request.distributionId) {
    throw new UnpublishUsageError(
      "--hard needs the distribution id (--distribution-id or CDN_DISTRIBUTION_ID)",
    );
  }
  let row: TakedownRow;
  try {
    const { Attributes } = await clients.dynamo.send(
      new UpdateCommand(unpublishUpdate(request.tableName, request.assetId, request.now)),
    );
    row = Attributes as TakedownRow;
  } catch (error) {
    if (error instanceof Error && error.name === "ConditionalCheckFailedException") {
      throw new NoSuchTitleError(
        `no catalogue row ${request.assetId} in ${request.tableName}; nothing changed`,
      );
    }
    throw error;
  }
  const unpublishedAt = row.unpublishedAt ?? request.now.toISOString();
  const report = {
    assetId: request.assetId,
    unpublishedAt,
    wasUnpublished: unpublishedAt !== request.now.toISOString(),
  };
  if (!request.hard) return { ...report, skipped: [] };

  const calls = takedownCalls({ ...row, unpublishedAt }, request.distributionId!);
  let packagingAsset: UnpublishReport["packagingAsset"];
  if (calls.deleteAsset) {
    try {
      await clients.mediaPackageVod.send(new DeleteAssetCommand(calls.deleteAsset));
      packagingAsset = { id: calls.deleteAsset.Id!, outcome: "deleted" };
    } catch (error) {
      if (!(error instanceof Error && error.name === "NotFoundException")) throw error;
      packagingAsset = { id: calls.deleteAsset.Id!, outcome: "already gone" };
    }
  }
  let invalidation: UnpublishReport["invalidation"];
  if (calls.invalidation) {
    const { Invalidation } = await clients.cloudFront.send(new CreateInvalidationCommand(calls.invalidation));
    invalidation = {
      id: Invalidation?.Id ?? "(no id returned)",
      path: calls.invalidation.InvalidationBatch!.Paths!.Items!.join(" "),
    };
  }
  return {
    ...report,
    ...(packagingAsset && { packagingAsset }),
    ...(invalidation && { invalidation }),
    skipped: calls.skipped,
  };
}
