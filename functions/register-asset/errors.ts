/**
 * Permanent errors of "Register With MediaPackage" that no state retries: the execution fails at the state, the
 * failure recorder puts the message on the catalogue row, and an operator fixes the cause and redrives.
 * They set `name` so the row and the failures queue show a precise code instead of plain `Error`.
 * (Errors the state machine routes on — Vod.PackagingPending, Vod.PackagingFailed — live in shared/contract/errors.ts.)
 */

/** The deployment and MediaPackage disagree (an invalid id or ARN, a packaging configuration not in the group). */
export class PackagingMisconfiguredError extends Error {
  override readonly name = "Vod.PackagingMisconfigured";
}

/** An asset with our deterministic id exists but points at another group or source: never adopt someone else's asset. */
export class PackagingAssetConflictError extends Error {
  override readonly name = "Vod.PackagingAssetConflict";
}

/**
 * The packaging group holds as many assets as its quota allows ("Maximum Assets per Packaging Group",
 * default 10,000, https://docs.aws.amazon.com/mediapackage/latest/ug/vod-quotas.html). CreateAsset says so
 * with the same 429 TooManyRequestsException as throttling, so register-asset counts the group's assets
 * before calling it a quota; retrying cannot help until assets are deleted or the quota is raised.
 */
export class PackagingQuotaExceededError extends Error {
  override readonly name = "Vod.PackagingQuotaExceeded";
}

/**
 * The asset is still QUEUED or PROCESSING after the wait sized by the title's duration
 * (shared/media/packaging-wait.ts): MediaPackage is stuck on it, or slower than we allow. A redrive
 * grants the wait again and adopts the same asset.
 */
export class PackagingTimedOutError extends Error {
  override readonly name = "Vod.PackagingTimedOut";
}
