/**
 * How long "Register With MediaPackage" waits for a title's egress endpoints to be PLAYABLE. MediaPackage
 * VOD documents no ingest time ("This process can take several minutes",
 * https://docs.aws.amazon.com/mediapackage/latest/ug/what-is-flow-vod.html); it reads every segment the
 * manifest lists, so the time grows with the title. A fixed number of retries either gives up on long
 * titles or keeps a stuck short one waiting for hours. So the wait is sized by the probed duration:
 * a fixed part plus the title's own length, counted from the asset's `CreatedAt`, granted again by each
 * redrive. register-asset fails a title past it with Vod.PackagingTimedOut; the ASL's Vod.PackagingPending
 * retrier has attempts enough for the longest title (statemachines/ingest.asl.test.ts checks it).
 */

/** The fixed part: MediaPackage's "several minutes" with room to spare. */
export const PACKAGING_WAIT_BASE_MS = 10 * 60_000;

/**
 * The longest title whose whole wait the retrier covers (4 hours: a feature film). A longer one is not
 * refused; if its ingest outlasts the retrier, the execution fails with Vod.PackagingPending and a
 * redrive goes on waiting for the same asset.
 */
export const LONGEST_PACKAGED_TITLE_MS = 4 * 3_600_000;

/**
 * The wait for a title of `durationMs`, in milliseconds; each redrive (`redriveCount`) grants it again.
 * @example packagingWaitMs(61_000) === 661_000 // 11 minutes 1 second
 */
export function packagingWaitMs(durationMs: number, redriveCount = 0): number {
  return (PACKAGING_WAIT_BASE_MS + Math.max(0, durationMs)) * (1 + redriveCount);
}
