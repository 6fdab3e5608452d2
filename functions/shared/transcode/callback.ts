import type { Logger } from "@aws-lambda-powertools/logger";
import {
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
} from "@aws-sdk/client-sfn";
import { stepFunctions } from "../runtime/clients";
import type { TranscodeResult } from "../contract/workflow";
import type { FailureCause } from "./decision";

/**
 * The callbacks that end or extend a "Transcode To CMAF" wait, within Step Functions' limits. Finishing
 * twice is harmless: Step Functions accepts the first SendTask* for a token and answers TaskTimedOut to
 * the rest, which every sender treats as "already closed" (false).
 */

/** SendTaskSuccess `output`: at most 262,144 bytes (UTF-8). https://docs.aws.amazon.com/step-functions/latest/apireference/API_SendTaskSuccess.html */
export const MAX_TASK_OUTPUT_BYTES = 262_144;
/** SendTaskFailure `cause`: at most 32,768 characters. https://docs.aws.amazon.com/step-functions/latest/apireference/API_SendTaskFailure.html */
export const MAX_TASK_CAUSE_CHARS = 32_768;

/**
 * SendTask* errors meaning the token no longer waits: the Task timed out, was completed by the other path,
 * or belongs to an attempt Step Functions already retried. Names as the SDK v3 reports them (`error.name`).
 */
const TASK_CLOSED_ERRORS = new Set(["TaskTimedOut", "TaskDoesNotExist", "InvalidToken"]);

/** The serialized TranscodeResult; throws when it exceeds what SendTaskSuccess accepts. */
export function taskOutput(result: TranscodeResult): string {
  const output = JSON.stringify(result);
  if (Buffer.byteLength(output, "utf8") > MAX_TASK_OUTPUT_BYTES) {
    throw new Error(`TranscodeResult of job ${result.jobId} exceeds the SendTaskSuccess output limit`);
  }
  return output;
}

/** SendTaskSuccess; false when the task had already closed. */
export function sendSuccess(taskToken: string, output: string, log: Logger): Promise<boolean> {
  return send(() => stepFunctions.send(new SendTaskSuccessCommand({ taskToken, output })), log);
}

/** SendTaskFailure with the `Vod.Transcode*` error and the JSON cause; false when the task had already closed. */
export function sendFailure(
  taskToken: string,
  error: string,
  cause: FailureCause,
  log: Logger,
): Promise<boolean> {
  return send(
    () =>
      stepFunctions.send(new SendTaskFailureCommand({ taskToken, error, cause: failureCauseJson(cause) })),
    log,
  );
}

/**
 * SendTaskFailure for a task that fails before it has a job (submit-job's admission): `error` is the name
 * the Task's Retry and Catch match, and the cause has the shape of Lambda's error payload
 * (`{ errorType, errorMessage }`), so record-failure reads it as it reads a failed Lambda task's.
 * False when the task had already closed.
 */
export function sendTaskError(
  taskToken: string,
  error: string,
  message: string,
  log: Logger,
): Promise<boolean> {
  const payload = { errorType: error, errorMessage: message };
  let cause = JSON.stringify(payload);
  if (cause.length > MAX_TASK_CAUSE_CHARS)
    cause = JSON.stringify({
      ...payload,
      errorMessage: `${message.slice(0, MAX_TASK_CAUSE_CHARS - 256)}… (truncated)`,
    });
  return send(
    () => stepFunctions.send(new SendTaskFailureCommand({ taskToken, error: error.slice(0, 256), cause })),
    log,
  );
}

/** SendTaskHeartbeat; false when the task had already closed. */
export function sendHeartbeat(taskToken: string, log: Logger): Promise<boolean> {
  return send(() => stepFunctions.send(new SendTaskHeartbeatCommand({ taskToken })), log);
}

/** Runs a SendTask* call; false when the task had already closed (logged), true when it was delivered. */
async function send(call: () => Promise<unknown>, log: Logger): Promise<boolean> {
  try {
    await call();
    return true;
  } catch (error) {
    if (!isTaskClosedError(error)) throw error;
    log.warn("task already closed (timed out, finished by the other path, or retried)", {
      reason: (error as Error).name,
    });
    return false;
  }
}

export function isTaskClosedError(error: unknown): boolean {
  return error instanceof Error && TASK_CLOSED_ERRORS.has(error.name);
}

/**
 * The SendTaskFailure `cause`: JSON `{ jobId, errorCode, errorMessage }`, the message shortened so the
 * whole stays within 32,768 characters.
 */
export function failureCauseJson(cause: FailureCause): string {
  const json = JSON.stringify(cause);
  if (json.length <= MAX_TASK_CAUSE_CHARS) return json;
  const overflow = json.length - MAX_TASK_CAUSE_CHARS;
  const message = `${cause.errorMessage.slice(0, Math.max(0, cause.errorMessage.length - overflow - 64))}… (truncated)`;
  return JSON.stringify({ ...cause, errorMessage: message });
}
