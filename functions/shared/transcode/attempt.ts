import { correlationIdFor } from "../contract/correlation-id";
import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { dynamo } from "../runtime/clients";
import { logger } from "../runtime/powertools";
import type { TaskItem } from "../ledger/items";
import { closedTaskExpiry, isConditionFailed, taskKey } from "../ledger/tasks";

/**
 * One MediaConvert job per execution attempt — the whole protocol, in one place.
 *
 * An *attempt* is one run of "Transcode To CMAF" in one execution: every Lambda and Task retry of it
 * shares a correlation id, and a redrive starts a new attempt with a new id (`correlationIdFor`).
 * 1. `openTask` stores the newest task token before CreateJob, so no event can arrive for a job whose
 *    task is unknown, and marks a CreateJob as pending.
 * 2. `jobOfAttempt` reuses the job the attempt already has; when a CreateJob went out but its answer never
 *    came back (the mark is set, no job id), it looks the job up by correlation id (submit-job/find-job.ts)
 *    — CreateJob's ClientRequestToken alone dedupes for one minute; only then does it create one.
 * 3. `recordJobId` writes the job id right after (first one wins) and clears the mark; a refusal (4xx)
 *    clears it too (`clearPendingCreateJob`): that call created nothing.
 * 4. A redriven attempt first closes the tasks of earlier attempts (`supersedeEarlierAttempts`), so a late
 *    event of their still-running jobs finds no waiting task and changes nothing.
 */

export { correlationIdFor } from "../contract/correlation-id";

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

/** How an attempt gets at most one job: look up a lost one, or create one. */
export interface AttemptJobs {
  /** The job an earlier try created without hearing back, by correlation id (undefined: none). */
  readonly find: (correlationId: string, pendingSince: string) => Promise<string | undefined>;
  /** CreateJob; rejects with the SDK error (a 4xx is a refusal that created nothing). */
  readonly create: () => Promise<string>;
}

/**
 * The job of this attempt (steps 2 and 3 above), given the task as `openTask` found it. `created` is false
 * when a retry found the attempt's job already recorded, or found the job a lost CreateJob made.
 */
export async function jobOfAttempt(
  ledgerTable: string,
  correlationId: string,
  previous: TaskItem | undefined,
  jobs: AttemptJobs,
): Promise<{ readonly jobId: string; readonly created: boolean }> {
  if (previous?.jobId) {
    logger.info("this attempt already has a job; stored the new task token, created no second job", {
      jobId: previous.jobId,
    });
    return { jobId: previous.jobId, created: false };
  }
  if (previous?.createJobPendingSince) {
    const found = await jobs.find(correlationId, previous.createJobPendingSince);
    if (found) {
      await recordJobId(ledgerTable, correlationId, found);
      logger.info("found the job an earlier try created without hearing back; created no second job", {
        jobId: found,
      });
      return { jobId: found, created: false };
    }
  }
  let jobId: string;
  try {
    jobId = await jobs.create();
  } catch (error) {
    // Any other failure (timeout, network, 5xx) may have created a job: the mark stays for the retry.
    if (isRefusal(error)) await clearPendingCreateJob(ledgerTable, correlationId);
    throw error;
  }
  await recordJobId(ledgerTable, correlationId, jobId);
  return { jobId, created: true };
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

/** The service answered with a 4xx: the request was refused, so it created nothing. */
function isRefusal(error: unknown): boolean {
  const status = (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
  return status !== undefined && status >= 400 && status < 500;
}
