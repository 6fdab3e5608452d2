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

/** Names of AWS SDK v3 errors that mean "try again later". */
const TRANSIENT_NAMES = new Set([
  "ThrottlingException",
  "Throttling",
  "TooManyRequestsException",
  "ProvisionedThroughputExceededException",
  "RequestLimitExceeded",
  "SlowDown",
  "ServiceUnavailable",
  "ServiceUnavailableException",
  "InternalServerError",
  "InternalServerErrorException",
  "InternalFailure",
  "RequestTimeout",
  "RequestTimeoutException",
  "TimeoutError",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
]);

interface SdkErrorShape {
  name?: string;
  code?: string;
  $retryable?: unknown;
  $fault?: string;
  $metadata?: { httpStatusCode?: number };
}

/** True for errors an AWS SDK call may succeed on if repeated: throttling, 5xx, network faults. */
export function isTransient(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const e = error as SdkErrorShape;
  if (e.$retryable) return true;
  if (e.$fault === "server") return true;
  if ((e.$metadata?.httpStatusCode ?? 0) >= 500) return true;
  return TRANSIENT_NAMES.has(e.name ?? "") || TRANSIENT_NAMES.has(e.code ?? "");
}

/** `Name: message` for logs and error causes. */
export function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
