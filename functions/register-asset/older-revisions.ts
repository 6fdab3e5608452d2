import { DeleteAssetCommand, type MediaPackageVodClient } from "@aws-sdk/client-mediapackage-vod";
import {
  DeleteObjectsCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { revisionFor } from "../shared/contract/asset-id";
import type { ClaimedUpload } from "../shared/contract/workflow";
import { outputLayout } from "../shared/media/output-layout";
import { isTransient } from "../shared/runtime/errors";
import { logger } from "../shared/runtime/powertools";
import { packagingAssetId } from "./packaging";

/**
 * Removing what older revisions of a key left behind, once the newest is playable. Every revision gets its
 * own MediaPackage asset (`<assetId>-<revision>`) and output folder (`<assetId>/<revision>/`), and a packaging
 * group holds at most "Maximum Assets per Packaging Group" assets (default 10,000,
 * https://docs.aws.amazon.com/mediapackage/latest/ug/vod-quotas.html): re-uploads would fill it.
 *
 * Why here, when this revision's asset is PLAYABLE: the catalogue row stopped naming the older revision
 * when this one was claimed (claim-upload replaces the row), so nothing published points at the older
 * assets any more, and this is the last step before "Publish To Catalogue" that holds a Lambda. Which
 * revisions are older comes from S3 itself: the source key's versions listed after the claimed one
 * (ListObjectVersions lists a key's versions newest first:
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectVersions.html); their revision ids are
 * derived exactly as claim-upload derived them. No record to keep in step, and a redrive or retry repeats
 * it harmlessly: a deleted asset answers NotFound, a deleted object is deleted again.
 * Never touched: this revision, and any newer version of the key (its own execution decides for itself).
 */

/** Older versions looked at per key; more would only find assets earlier removals already deleted. */
export const OLDER_VERSIONS_CHECKED = 20;

export interface OlderRevisionsConfig {
  readonly outputBucket: string;
  /** Config `removeSupersededOutputs`: also delete older revisions' files from the output bucket. */
  readonly removeOutputs: boolean;
}

export interface OlderRevisionsRemoved {
  readonly assets: readonly string[];
  readonly outputObjects: number;
}

/**
 * Removes the assets (and, per config, the outputs) of the key's older versions. Transient errors propagate
 * (the state retries and this runs again); any other error is logged and the title still publishes: an
 * asset left behind costs a place in the quota, never a title.
 */
export async function removeOlderRevisions(
  clients: { readonly mediaPackage: MediaPackageVodClient; readonly s3: S3Client },
  upload: ClaimedUpload,
  config: OlderRevisionsConfig,
): Promise<OlderRevisionsRemoved> {
  try {
    const revisions = (await olderVersions(clients.s3, upload)).map(revisionFor);
    const assets: string[] = [];
    let outputObjects = 0;
    for (const revision of revisions) {
      const id = packagingAssetId(upload.assetId, revision);
      if (await deleteAsset(clients.mediaPackage, id)) assets.push(id);
      if (config.removeOutputs) {
        outputObjects += await deletePrefix(
          clients.s3,
          config.outputBucket,
          outputPrefix(config, upload, revision),
        );
      }
    }
    if (assets.length > 0 || outputObjects > 0) {
      logger.info("removed older revisions of this key", { packagingAssetIds: assets, outputObjects });
    }
    return { assets, outputObjects };
  } catch (error) {
    if (isTransient(error)) throw error;
    logger.error("could not remove older revisions; they stay until the next re-upload of this key", {
      error,
    });
    return { assets: [], outputObjects: 0 };
  }
}

/** Version ids of the key older than the claimed one, newest first, at most OLDER_VERSIONS_CHECKED. */
async function olderVersions(s3: S3Client, upload: ClaimedUpload): Promise<string[]> {
  const { bucket, key, versionId } = upload.source;
  const listed = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: key, MaxKeys: 1000 }));
  // The prefix also matches longer keys (`a.mp4.bak`): only this key's versions count.
  const versions = (listed.Versions ?? []).filter((v) => v.Key === key).map((v) => v.VersionId ?? "");
  const own = versions.indexOf(versionId);
  if (own < 0) return [];
  return versions.slice(own + 1, own + 1 + OLDER_VERSIONS_CHECKED).filter((v) => v !== "" && v !== "null");
}

/** DeleteAsset; false when it was already gone. */
async function deleteAsset(client: MediaPackageVodClient, id: string): Promise<boolean> {
  try {
    await client.send(new DeleteAssetCommand({ Id: id }));
    return true;
  } catch (error) {
    if (error instanceof Error && error.name === "NotFoundException") return false;
    throw error;
  }
}

/** `<assetId>/<revision>/` in the output bucket (shared/media/output-layout.ts), as an S3 key prefix. */
function outputPrefix(config: OlderRevisionsConfig, upload: ClaimedUpload, revision: string): string {
  return outputLayout(config.outputBucket, upload.assetId, revision).prefix.replace(
    `s3://${config.outputBucket}/`,
    "",
  );
}

/** Deletes every object under a prefix, 1,000 a request (DeleteObjects' most); how many were deleted. */
async function deletePrefix(s3: S3Client, bucket: string, prefix: string): Promise<number> {
  let deleted = 0;
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
    );
    const keys = (page.Contents ?? []).map((o) => ({ Key: o.Key! }));
    if (keys.length > 0) {
      await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys, Quiet: true } }));
      deleted += keys.length;
    }
    token = page.NextContinuationToken;
  } while (token !== undefined);
  return deleted;
}
