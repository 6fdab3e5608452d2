import { createHash } from "node:crypto";
import type { Logger } from "@aws-lambda-powertools/logger";
import { GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import {
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
} from "@aws-sdk/client-sfn";
import { updateRow } from "../catalogue/update-row";
import { dynamo, stepFunctions } from "../runtime/clients";
import type { Rendition, TranscodeResult } from "../contract/workflow";
import type { TaskItem } from "../ledger/items";
import { TRANSCODE_CANCELED } from "../contract/errors";
import { logger } from "../runtime/powertools";
import type { Decision, FailureCause, JobFacts } from "./decision";

/**
 * The ledger's `task#<correlationId>` items — one per waiting "Transcode To CMAF" task — and the one way a
 * task is finished, shared by handle-job-event and reconcile-jobs so that finishing twice is harmless:
 * Step Functions accepts the first SendTask* for a token and answers TaskTimedOut to the rest, which
 * both callers treat as "already closed".
 */

/** SendTaskSuccess `output`: at most 262,144 bytes (UTF-8). https://docs.aws.amazon.com/step-functions/latest/apireference/API_SendTaskSuccess.html */
export const MAX_TASK_OUTPUT_BYTES = 262_144;
/** SendTaskFailure `cause`: at most 32,768 characters. https://docs.aws.amazon.com/step-functions/latest/apireference/API_SendTaskFailure.html */
export const MAX_TASK_CAUSE_CHARS = 32_768;
/** Closed tasks stay readable this long for investigations, then DynamoDB TTL (`expiresAt`) removes them. */
export const CLOSED_TASK_RETENTION_DAYS = 30;

/**
 * SendTask* errors meaning the token no longer waits: the Task timed out, was completed by the other path,
 * or belongs to an attempt Step Functions already retried. Names as the SDK v3 reports them (`error.name`).
 */
const TASK_CLOSED_ERRORS = new Set(["TaskTimedOut", "TaskDoesNotExist", "InvalidToken"]);

/**
 * Identifies one attempt of one execution: the same for Lambda and Task retries (so a retried submit finds
 * its job), different after a redrive (so a redriven, hung transcode gets a fresh job). 32 hex characters:
 * a valid MediaConvert `ClientRequestToken` (≤ 64 ASCII) and a valid userMetadata value.
 * @example correlationIdFor("arn:aws:states:eu-west-1:123456789012:execution:ingest:abc", 0) // "…32 hex…"
 */
export function correlationIdFor(executionArn: string, redriveCount: number): string {
  return createHash("sha256").update(`${executionArn}#${redriveCount}`).digest("hex").slice(0, 32);
}

/** Partition key of a task item. */
export function taskKey(correlationId: string): `task#${string}` {
  return `task#${correlationId}`;
}

/** Reads a task item (strongly consistent: submit-job wrote it moments before the first event). */
export async function getTask(ledgerTable: string, correlationId: string): Promise<TaskItem | undefined> {
  const { Item } = await dynamo.send(
    new GetCommand({ TableName: ledgerTable, Key: { pk: taskKey(correlationId) }, ConsistentRead: true }),
  );
  return Item as TaskItem | undefined;
}

/** What submit-job knows when it (re)opens a task: everything but the timeline and the job. */
export type TaskOpening = Pick<
  TaskItem,
  | "correlationId"
  | "taskToken"
  | "assetId"
  | "revision"
  | "executionArn"
  | "outputPrefix"
  | "packagingSource"
  | "outputs"
  | "renditions"
>;

/**
 * Stores the newest task token (a Task retry issues a new one) and marks the task waiting, keeping the
 * first `submittedAt` and any job id already recorded. Also marks a CreateJob as pending from now (kept
 * if an earlier try left one): submit-job calls CreateJob next, and only a recorded job id or a refusal
 * clears the mark. Returns the item as it was before, so a retried submit can see that its attempt
 * already has a job, or may have one it never heard of.
 */
export async function openTask(
  ledgerTable: string,
  opening: TaskOpening,
  now: Date,
): Promise<TaskItem | undefined> {
  const fields: Record<string, unknown> = { ...opening, waiting: "1" };
  const names: Record<string, string> = {
    "#submittedAt": "submittedAt",
    "#outcome": "outcome",
    "#closedAt": "closedAt",
    "#expiresAt": "expiresAt",
    "#pending": "createJobPendingSince",
  };
  const values: Record<string, unknown> = { ":now": now.toISOString() };
  const sets = Object.entries(fields).map(([field, value], i) => {
    names[`#f${i}`] = field;
    values[`:v${i}`] = value;
    return `#f${i} = :v${i}`;
  });
  const { Attributes } = await dynamo.send(
    new UpdateCommand({
      TableName: ledgerTable,
      Key: { pk: taskKey(opening.correlationId) },
      // A retry may reopen a task an older token closed: it waits again and must not expire.
      UpdateExpression: `SET ${sets.join(", ")}, #submittedAt = if_not_exists(#submittedAt, :now), #pending = if_not_exists(#pending, :now) REMOVE #outcome, #closedAt, #expiresAt`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      ReturnValues: "ALL_OLD",
    }),
  );
  return Attributes as TaskItem | undefined;
}

/**
 * Records the job of a task: after CreateJob, from ListJobs when a CreateJob response was lost, or from
 * an event when submit-job died between CreateJob and writing it. Never overwrites: the first job of an
 * attempt is the one the task follows. Clears the pending-CreateJob mark.
 */
export async function recordJobId(ledgerTable: string, correlationId: string, jobId: string): Promise<void> {
  await dynamo.send(
    new UpdateCommand({
      TableName: ledgerTable,
      Key: { pk: taskKey(correlationId) },
      UpdateExpression: "SET #jobId = if_not_exists(#jobId, :jobId) REMOVE #pending",
      ConditionExpression: "attribute_exists(#pk)",
      ExpressionAttributeNames: { "#jobId": "jobId", "#pk": "pk", "#pending": "createJobPendingSince" },
      ExpressionAttributeValues: { ":jobId": jobId },
    }),
  );
}

/** MediaConvert answered CreateJob with a refusal (throttled, invalid): no job exists, nothing to look for. */
export async function clearPendingCreateJob(ledgerTable: string, correlationId: string): Promise<void> {
  await dynamo.send(
    new UpdateCommand({
      TableName: ledgerTable,
      Key: { pk: taskKey(correlationId) },
      UpdateExpression: "REMOVE #pending",
      ConditionExpression: "attribute_exists(#pk)",
      ExpressionAttributeNames: { "#pk": "pk", "#pending": "createJobPendingSince" },
    }),
  );
}

/**
 * Closes the tasks of the execution's earlier attempts (a redrive starts attempt `redriveCount`). Step
 * Functions already ended their waits (timeout or failure), but their jobs may still be running: once
 * closed here, a late event from such a job finds no waiting task and changes nothing, and the
 * reconciler stops polling it. Returns how many were still marked waiting.
 */
export async function supersedeEarlierAttempts(
  ledgerTable: string,
  executionArn: string,
  redriveCount: number,
  now: Date,
): Promise<number> {
  let closed = 0;
  for (let attempt = 0; attempt < redriveCount; attempt++) {
    try {
      await dynamo.send(
        new UpdateCommand({
          TableName: ledgerTable,
          Key: { pk: taskKey(correlationIdFor(executionArn, attempt)) },
          UpdateExpression:
            "REMOVE #waiting SET #outcome = :outcome, #closedAt = :now, #expiresAt = :expiresAt",
          ConditionExpression: "attribute_exists(#waiting)",
          ExpressionAttributeNames: {
            "#waiting": "waiting",
            "#outcome": "outcome",
            "#closedAt": "closedAt",
            "#expiresAt": "expiresAt",
          },
          ExpressionAttributeValues: {
            ":outcome": "SUPERSEDED" satisfies TaskItem["outcome"],
            ":now": now.toISOString(),
            ":expiresAt": closedTaskExpiry(now),
          },
        }),
      );
      closed += 1;
    } catch (error) {
      // Already closed, or that attempt never reached this task (it failed earlier in the workflow).
      if (!isConditionFailed(error)) throw error;
    }
  }
  return closed;
}

/** What happened to the task; callers count and log it. */
export type TaskAction = "succeeded" | "failed" | "heartbeat" | "hung" | "closed-elsewhere";

export interface TaskContext {
  readonly ledgerTable: string;
  readonly catalogueTable: string;
  readonly now: Date;
  /** A per-task child logger when tasks are handled concurrently (the reconciler); the shared logger otherwise. */
  readonly log?: Logger;
}

/**
 * Carries out a decision for a waiting task: finishes it (SendTaskSuccess / SendTaskFailure), keeps it
 * alive (SendTaskHeartbeat + progress), or withholds the heartbeat of a hung job. `resultOf` builds the
 * TranscodeResult only when the job succeeded (from the event, or from the task's stored outputs).
 */
export async function applyDecision(
  task: TaskItem,
  job: JobFacts,
  decision: Decision,
  resultOf: () => TranscodeResult,
  context: TaskContext,
): Promise<TaskAction> {
  switch (decision.kind) {
    case "succeed":
      return succeed(task, resultOf(), context);
    case "fail":
      return fail(task, decision.error, decision.cause, context);
    case "heartbeat":
      return heartbeat(task, job, decision.progress, context);
    case "hung":
      (context.log ?? logger).warn(decision.reason === "stalled" ? "job stalled" : "queued too long", {
        jobId: job.jobId,
        minutes: decision.minutes,
        detail: "no heartbeat: the Task's HeartbeatSeconds will fail the wait",
      });
      return "hung";
  }
}

async function succeed(task: TaskItem, result: TranscodeResult, context: TaskContext): Promise<TaskAction> {
  const output = JSON.stringify(result);
  if (Buffer.byteLength(output, "utf8") > MAX_TASK_OUTPUT_BYTES) {
    throw new Error(`TranscodeResult of job ${result.jobId} exceeds the SendTaskSuccess output limit`);
  }
  // The row first: if this invocation dies after the callback, a retry finds the task closed and
  // would never come back to write the title's facts. Only while the row follows this job: a job of
  // an earlier attempt that finishes late must not overwrite the facts of the redrive's job.
  const current = await updateRow(
    context.catalogueTable,
    task.assetId,
    {
      durationMs: result.durationMs,
      renditions: result.renditions,
      posterImage: result.posterImage,
      job: { id: result.jobId, progressPercent: 100, submittedAt: task.submittedAt },
    },
    { revision: task.revision, jobId: result.jobId },
  );
  const log = context.log ?? logger;
  if (!current)
    log.info("catalogue row belongs to a newer upload or another job; not updated", {
      revision: task.revision,
    });

  const sent = await send(
    () => stepFunctions.send(new SendTaskSuccessCommand({ taskToken: task.taskToken, output })),
    log,
  );
  await closeTask(task, sent ? "SUCCEEDED" : "CLOSED_ELSEWHERE", context);
  if (!sent) return "closed-elsewhere";
  log.info("transcode task succeeded", { jobId: result.jobId });
  return "succeeded";
}

async function fail(
  task: TaskItem,
  error: string,
  cause: FailureCause,
  context: TaskContext,
): Promise<TaskAction> {
  const log = context.log ?? logger;
  const sent = await send(
    () =>
      stepFunctions.send(
        new SendTaskFailureCommand({ taskToken: task.taskToken, error, cause: failureCauseJson(cause) }),
      ),
    log,
  );
  const outcome = error === TRANSCODE_CANCELED ? "CANCELED" : "FAILED";
  await closeTask(task, sent ? outcome : "CLOSED_ELSEWHERE", context);
  if (!sent) return "closed-elsewhere";
  log.warn("transcode task failed", { error, cause });
  return "failed";
}

async function heartbeat(
  task: TaskItem,
  job: JobFacts,
  progress: { readonly percent: number; readonly at: string } | undefined,
  context: TaskContext,
): Promise<TaskAction> {
  const sent = await send(
    () => stepFunctions.send(new SendTaskHeartbeatCommand({ taskToken: task.taskToken })),
    context.log ?? logger,
  );
  if (!sent) {
    await closeTask(task, "CLOSED_ELSEWHERE", context);
    return "closed-elsewhere";
  }
  await recordProgress(task, job, progress, context);
  return "heartbeat";
}

/**
 * Remembers when the job started and when its percentage last moved (the decision's stall clock), and
 * shows the percentage on the catalogue row. Only while the task still waits: a late STATUS_UPDATE must
 * not write progress over a finished title.
 */
async function recordProgress(
  task: TaskItem,
  job: JobFacts,
  progress: { readonly percent: number; readonly at: string } | undefined,
  context: TaskContext,
): Promise<void> {
  const sets: string[] = [];
  const names: Record<string, string> = { "#waiting": "waiting" };
  const values: Record<string, unknown> = {};
  if (progress) {
    sets.push("#percent = :percent", "#at = :at");
    Object.assign(names, { "#percent": "lastProgressPercent", "#at": "lastProgressAt" });
    Object.assign(values, { ":percent": progress.percent, ":at": progress.at });
  }
  if (job.startedAt && !task.startedAt) {
    sets.push("#startedAt = if_not_exists(#startedAt, :startedAt)");
    names["#startedAt"] = "startedAt";
    values[":startedAt"] = job.startedAt;
  }
  if (sets.length === 0) return;
  try {
    await dynamo.send(
      new UpdateCommand({
        TableName: context.ledgerTable,
        Key: { pk: task.pk },
        UpdateExpression: `SET ${sets.join(", ")}`,
        ConditionExpression: "attribute_exists(#waiting)",
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
  } catch (error) {
    if (isConditionFailed(error)) return;
    throw error;
  }
  if (progress) {
    await updateRow(
      context.catalogueTable,
      task.assetId,
      { job: { id: job.jobId, progressPercent: progress.percent, submittedAt: task.submittedAt } },
      { revision: task.revision, jobId: job.jobId },
    );
  }
}

/**
 * Ends the wait in the ledger (REMOVE waiting, so the reconciler stops looking at it). Only if the item
 * still holds the token we answered: a Task retry may have stored a newer token meanwhile, and that
 * attempt must keep waiting.
 */
async function closeTask(task: TaskItem, outcome: NonNullable<TaskItem["outcome"]>, context: TaskContext) {
  const expiresAt = closedTaskExpiry(context.now);
  try {
    await dynamo.send(
      new UpdateCommand({
        TableName: context.ledgerTable,
        Key: { pk: task.pk },
        UpdateExpression:
          "REMOVE #waiting SET #outcome = :outcome, #closedAt = :now, #expiresAt = :expiresAt",
        ConditionExpression: "#taskToken = :token",
        ExpressionAttributeNames: {
          "#waiting": "waiting",
          "#outcome": "outcome",
          "#closedAt": "closedAt",
          "#expiresAt": "expiresAt",
          "#taskToken": "taskToken",
        },
        ExpressionAttributeValues: {
          ":outcome": outcome,
          ":now": context.now.toISOString(),
          ":expiresAt": expiresAt,
          ":token": task.taskToken,
        },
      }),
    );
  } catch (error) {
    if (!isConditionFailed(error)) throw error;
    (context.log ?? logger).info("task token was replaced by a retry; the newer attempt keeps waiting");
  }
}

/** DynamoDB TTL time (epoch seconds) of a task closed at `now`. */
function closedTaskExpiry(now: Date): number {
  return Math.floor(now.getTime() / 1000) + CLOSED_TASK_RETENTION_DAYS * 86_400;
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

function isConditionFailed(error: unknown): boolean {
  return error instanceof Error && error.name === "ConditionalCheckFailedException";
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

/**
 * The renditions a job actually produced: each planned rung whose height appears among the outputs'
 * video details, with the width MediaConvert wrote and the rung's target bitrate (events and GetJob
 * report no bitrate targets). Audio-only outputs have no video details and are ignored.
 * @example producedRenditions([{ widthPx: 1280, heightPx: 720, maxBitrate: 3e6 }], [{ widthPx: 1280, heightPx: 720 }])
 */
export function producedRenditions(
  planned: readonly Rendition[],
  produced: readonly { readonly widthPx: number; readonly heightPx: number }[],
): Rendition[] {
  return planned.flatMap((rung) => {
    // A rotated source can come out with its sides swapped; the rung is still the same rendition.
    const output =
      produced.find((p) => p.heightPx === rung.heightPx) ??
      produced.find((p) => p.widthPx === rung.heightPx && p.heightPx === rung.widthPx);
    return output
      ? [{ widthPx: output.widthPx, heightPx: output.heightPx, maxBitrate: rung.maxBitrate }]
      : [];
  });
}
