import { describe } from "../runtime/errors";

/**
 * Errors that Step Functions routes on. Lambda reports a thrown error's `name` as the `errorType`
 * that a state's `Retry`/`Catch` `ErrorEquals` matches, so every class sets `name` to its ASL code
 * (`Vod.<Reason>`); a subclass that forgot would report plain `Error`.
 */

/** A throttled or failing AWS call (throttling, 5xx, network). Retried by every Task's transient retrier. */
export class ServiceBusyError extends Error {
  override readonly name = "Vod.ServiceBusy";
  constructor(
    readonly service: string,
    cause: unknown,
  ) {
    super(`${service} is busy or unavailable: ${describe(cause)}`, { cause });
  }
}

/** MediaPackage has not finished ingesting the asset yet. "Register With MediaPackage" retries it with a longer backoff. */
export class PackagingPendingError extends Error {
  override readonly name = "Vod.PackagingPending";
}

/** MediaPackage reported an egress endpoint FAILED: the execution fails at "Register With MediaPackage". */
export class PackagingFailedError extends Error {
  override readonly name = "Vod.PackagingFailed";
}

/** A Task payload that does not match its contract: a bug or a hand-edited redrive, never retried. */
export class InvalidTaskInputError extends Error {
  override readonly name = "Vod.InvalidTaskInput";
}

/** Error names sent with SendTaskFailure for the "Transcode To CMAF" task. */
export const TRANSCODE_FAILED = "Vod.TranscodeFailed";
export const TRANSCODE_CANCELED = "Vod.TranscodeCanceled";

/**
 * A newer version of the source key was uploaded after this one was claimed. MediaConvert reads a
 * key's current version (its inputs take no version id), so this revision's bytes can no longer be
 * told apart from the newer ones: the execution ends at "Superseded By Newer Upload" (Catch on
 * "Transcode To CMAF" and "Register With MediaPackage") and the newer version's own execution
 * publishes. shared/media/source-version.ts raises it.
 */
export class SourceSupersededError extends Error {
  override readonly name = "Vod.SourceSuperseded";
}
