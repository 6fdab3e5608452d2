import type { AssetStatus, RowError } from "../shared/catalogue/row";
import { TRANSCODE_CANCELED, TRANSCODE_FAILED } from "../shared/contract/errors";

/**
 * Turns what Step Functions reports about a failed execution into a `RowError` a person can act on. Pure.
 * The causes have three shapes: our SendTaskFailure JSON for the transcode, Lambda's error payload JSON
 * (`{"errorType","errorMessage","trace"}`) for Lambda tasks, and free text for everything Step Functions itself
 * reports (timeouts, runtime errors).
 */

export type FailureStatus = "FAILED" | "TIMED_OUT" | "ABORTED";
export const FAILURE_STATUSES: readonly FailureStatus[] = ["FAILED", "TIMED_OUT", "ABORTED"];

export interface FailureFacts {
  readonly status: FailureStatus;
  readonly error?: string | null;
  readonly cause?: string | null;
  /** The state the execution failed at (the last state entered). */
  readonly state?: string;
}

/** Causes can be 32,768 characters; the row keeps what a person reads. */
export const MAX_MESSAGE_LENGTH = 1_000;

const TRANSCODE_STATE = "Transcode To CMAF";
/** Used when the history shows no state entered (the execution failed as it started). */
const NO_STATE = "Execution";

/**
 * @example describeFailure({ status: "FAILED", error: "Vod.TranscodeFailed", state: "Transcode To CMAF",
 *   cause: '{"jobId":"1717-abc","errorCode":1010,"errorMessage":"Unable to open input file …"}' })
 *   → { code: "MediaConvert.1010", message: "Unable to open input file … (MediaConvert job 1717-abc)", state: "Transcode To CMAF" }
 */
export function describeFailure(facts: FailureFacts): RowError {
  const state = facts.state ?? NO_STATE;
  const error = facts.error ?? undefined;
  const cause = facts.cause ?? undefined;
  const { code, message } = codeAndMessage(facts.status, error, cause, state);
  return { code, message: truncate(message), state };
}

/**
 * The catalogue status of a state that is running again after a redrive (undefined: not a state the catalogue
 * tracks, e.g. the "Route Upload" choice).
 */
export function resumedStatus(state: string | undefined): AssetStatus | undefined {
  switch (state) {
    case "Claim Upload":
      return "INGESTING";
    case TRANSCODE_STATE:
      return "TRANSCODING";
    case "Register With MediaPackage":
    case "Publish To Catalogue":
      return "PACKAGING";
    default:
      return undefined;
  }
}

function codeAndMessage(
  status: FailureStatus,
  error: string | undefined,
  cause: string | undefined,
  state: string,
): { code: string; message: string } {
  if (status === "ABORTED") {
    return {
      code: error ?? "Execution.Aborted",
      message:
        `The execution was stopped by an operator at "${state}"${cause ? `: ${cause}` : ""}. ` +
        `Redrive it to resume there, or upload the source again.`,
    };
  }
  if (error === TRANSCODE_FAILED || error === TRANSCODE_CANCELED) return transcodeFailure(error, cause);
  if (error === "States.HeartbeatTimeout") {
    return {
      code: error,
      message:
        state === TRANSCODE_STATE
          ? "The MediaConvert job stopped reporting progress (hung, or queued longer than maxQueueWaitHours). Redrive to submit a new job."
          : `"${state}" stopped sending heartbeats. Redrive to run it again.`,
    };
  }
  if (error === "States.Timeout" || status === "TIMED_OUT") {
    return { code: error ?? "States.Timeout", message: timeoutMessage(status, state) };
  }
  const lambda = lambdaErrorPayload(cause);
  if (lambda) return { code: error ?? lambda.errorType ?? "Lambda.Error", message: lambda.errorMessage };
  return {
    code: error ?? "States.Failed",
    message: cause && cause.trim() !== "" ? cause : `"${state}" failed and Step Functions reported no cause.`,
  };
}

/** The cause handle-job-event / reconcile-jobs send with SendTaskFailure: `{ jobId, errorCode, errorMessage }`. */
function transcodeFailure(error: string, cause: string | undefined): { code: string; message: string } {
  const job = parseObject(cause);
  const jobId = typeof job?.jobId === "string" ? job.jobId : undefined;
  const errorCode =
    typeof job?.errorCode === "number" || typeof job?.errorCode === "string" ? job.errorCode : undefined;
  const errorMessage = typeof job?.errorMessage === "string" ? job.errorMessage : undefined;
  const suffix = jobId ? ` (MediaConvert job ${jobId})` : "";
  if (error === TRANSCODE_CANCELED) {
    // handle-job-event and reconcile-jobs already say "The MediaConvert job was canceled" when MediaConvert gave no message.
    const what = (errorMessage ?? "The MediaConvert job was canceled").replace(/\.$/, "");
    return {
      code: errorCode !== undefined ? `MediaConvert.${errorCode}` : "MediaConvert.Canceled",
      message: `${what}${suffix}. Redrive to submit a new job.`,
    };
  }
  if (errorCode === undefined && errorMessage === undefined) return { code: error, message: cause ?? error };
  return {
    code: errorCode !== undefined ? `MediaConvert.${errorCode}` : error,
    message: `${errorMessage ?? "MediaConvert reported no message."}${suffix}`,
  };
}

function timeoutMessage(status: FailureStatus, state: string): string {
  if (status === "TIMED_OUT") {
    return `The execution ran longer than the state machine's TimeoutSeconds while at "${state}". Redrive to resume there.`;
  }
  if (state === TRANSCODE_STATE) {
    return (
      "The MediaConvert job did not finish within the task's TimeoutSeconds (MediaConvert's 48-hour limit plus " +
      "maxQueueWaitHours). Redrive to submit a new job."
    );
  }
  return `"${state}" ran longer than its TimeoutSeconds. Redrive to run it again.`;
}

/** Lambda's error payload, which Step Functions puts in the cause of a failed Lambda task. */
function lambdaErrorPayload(
  cause: string | undefined,
): { errorType?: string; errorMessage: string } | undefined {
  const payload = parseObject(cause);
  if (!payload || typeof payload.errorMessage !== "string") return undefined;
  return {
    errorType: typeof payload.errorType === "string" ? payload.errorType : undefined,
    errorMessage: payload.errorMessage,
  };
}

function parseObject(text: string | undefined): Record<string, unknown> | undefined {
  if (!text) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function truncate(message: string): string {
  return message.length <= MAX_MESSAGE_LENGTH ? message : `${message.slice(0, MAX_MESSAGE_LENGTH - 1)}…`;
}
