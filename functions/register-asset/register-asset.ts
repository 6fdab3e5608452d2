import type { Context } from "aws-lambda";
import { startPackaging } from "../shared/catalogue/life-cycle";
import { bucketObjectCdnUrl, cdnUrl } from "../shared/catalogue/playback-urls";
import { executionName } from "../shared/runtime/console-links";
import { mediaPackageVod, s3 } from "../shared/runtime/clients";
import type { PackagingResult, PlaybackUrls, RegisterRequest } from "../shared/contract/workflow";
import { PackagingFailedError, PackagingPendingError } from "../shared/contract/errors";
import { packagingWaitMs } from "../shared/media/packaging-wait";
import { PackagingTimedOutError } from "./errors";
import { logger } from "../shared/runtime/powertools";
import { assertSourceIsCurrent } from "../shared/media/source-version";
import type { RegisterAssetConfig } from "./config";
import { createOrAdoptAsset, describeAsset, type AssetState } from "./media-package";
import { removeOlderRevisions } from "./older-revisions";
import { assessEgress, packagingAssetId, packagingFailureMessage, s3ObjectArn } from "./packaging";

/** How register-asset waits for MediaPackage; injectable so tests neither sleep nor depend on the clock. */
export interface WaitOptions {
  /** Pause between DescribeAsset polls. */
  readonly pollIntervalMs: number;
  /** Time left unused before the Lambda timeout: one DescribeAsset with SDK retries, logging and the response. */
  readonly safetyMarginMs: number;
  readonly sleep: (ms: number) => Promise<void>;
  /** The wall clock, epoch ms (the packaging wait counts from the asset's `CreatedAt`). */
  readonly now: () => number;
}

export const DEFAULT_WAIT: WaitOptions = {
  pollIntervalMs: 5_000,
  safetyMarginMs: 15_000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  now: () => Date.now(),
};

/**
 * "Register With MediaPackage": marks the row PACKAGING, creates (or adopts) the MediaPackage VOD asset under a
 * deterministic id, and waits while the Lambda has time until every egress endpoint we publish is PLAYABLE.
 *
 * - all PLAYABLE → `PackagingResult`: MediaPackage's formats and the CMAF group, as CDN URLs (`CDN_BASE_URL`):
 *   the egress host refuses viewers (origin lock), so the row never holds it;
 * - any FAILED → `Vod.PackagingFailed`: the execution fails here with a message naming the fix;
 * - still QUEUED/PROCESSING when time runs out → `Vod.PackagingPending`: the state retries with a long backoff,
 *   and the next attempt adopts the same asset instead of creating another;
 * - AWS errors propagate unchanged (transient ones become `Vod.ServiceBusy` in shared/runtime/handler.ts), so a permanent
 *   one fails the execution at this state and a redrive reruns only this state, never the transcode.
 */
export function makeRegisterAsset(config: RegisterAssetConfig, wait: WaitOptions = DEFAULT_WAIT) {
  return async function registerAsset(input: RegisterRequest, context: Context): Promise<PackagingResult> {
    const { upload, transcode } = input;
    const id = packagingAssetId(upload.assetId, upload.revision);
    logger.appendKeys({
      assetId: upload.assetId,
      packagingAssetId: id,
      executionName: executionName(input.executionArn),
    });

    // The job read the key's current version: it was the claimed one only if no newer version exists now.
    await assertSourceIsCurrent(upload.source);

    const current = await startPackaging(
      config.catalogueTable,
      { assetId: upload.assetId, revision: upload.revision, packagingAssetId: id },
      new Date(),
    );
    if (!current) {
      // A newer upload of the same key owns the row; this revision's outputs still get an asset (cheap, and
      // "Publish To Catalogue" will notice the newer revision and leave the row alone).
      logger.warn("catalogue row has moved to a newer revision; registering this revision anyway", {
        revision: upload.revision,
      });
    }

    let asset: AssetState = await createOrAdoptAsset(
      mediaPackageVod,
      {
        Id: id,
        PackagingGroupId: config.packagingGroupId,
        SourceArn: s3ObjectArn(transcode.packagingManifest, config.partition),
        SourceRoleArn: config.packagingRoleArn,
      },
      config.packagingAssetQuota,
    );

    for (;;) {
      const verdict = assessEgress(asset.egressEndpoints, config.packagingConfigurations);
      if (verdict.state === "PLAYABLE") {
        const result = {
          packagingAssetId: id,
          playback: onCdn(verdict.playback, config.cdnBaseUrl),
          cmafGroup: {
            hls: bucketObjectCdnUrl(transcode.cmafHlsManifest, config.cdnBaseUrl),
            dash: bucketObjectCdnUrl(transcode.cmafDashManifest, config.cdnBaseUrl),
          },
        };
        logger.info("MediaPackage asset is playable", {
          egress: verdict.playback,
          playback: result.playback,
          cmafGroup: result.cmafGroup,
        });
        await removeOlderRevisions({ mediaPackage: mediaPackageVod, s3 }, upload, {
          outputBucket: config.outputBucket,
          removeOutputs: config.removeSupersededOutputs,
        });
        return result;
      }
      if (verdict.state === "FAILED") {
        throw new PackagingFailedError(
          packagingFailureMessage({
            packagingSource: config.packagingSource,
            sourceUri: transcode.packagingManifest,
            packagingAssetId: id,
            failed: verdict.failed,
          }),
        );
      }
      // The wait is sized by the title (shared/media/packaging-wait.ts), counted from the asset's creation.
      const allowedMs = packagingWaitMs(upload.facts.durationMs, input.redriveCount ?? 0);
      const waitedMs = wait.now() - (asset.createdAtMs ?? wait.now());
      if (waitedMs >= allowedMs) {
        throw new PackagingTimedOutError(
          `MediaPackage is still ingesting asset ${id} (${verdict.pending.join(", ")}) after ${Math.floor(waitedMs / 60_000)} minutes; ` +
            `a ${Math.round(upload.facts.durationMs / 60_000)}-minute title is given ${Math.round(allowedMs / 60_000)}. ` +
            `Check the asset in the MediaPackage console, then redrive (which waits as long again) or re-upload.`,
        );
      }
      if (context.getRemainingTimeInMillis() < wait.safetyMarginMs + wait.pollIntervalMs) {
        throw new PackagingPendingError(
          `MediaPackage is still ingesting asset ${id} (${verdict.pending.join(", ")}); the state retries with backoff`,
        );
      }
      logger.debug("waiting for MediaPackage egress endpoints", { pending: verdict.pending });
      await wait.sleep(wait.pollIntervalMs);
      asset = await describeAsset(mediaPackageVod, id);
    }
  };
}

/** The egress URLs of every format, moved to the CDN host. */
function onCdn(egress: PlaybackUrls, cdnBaseUrl: string): PlaybackUrls {
  return {
    hls: cdnUrl(egress.hls, cdnBaseUrl),
    dash: cdnUrl(egress.dash, cdnBaseUrl),
    cmaf: cdnUrl(egress.cmaf, cdnBaseUrl),
  };
}
