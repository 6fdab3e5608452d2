import { GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { dynamo } from "../runtime/clients";
import type { TaskItem } from "./items";

/**
 * Reads and writes of the ledger's `task#<correlationId>` items that every path shares: the lookup, the
 * progress a waiting task remembers, and the close. How tasks open, and how an attempt keeps to one job,
 * is in ../transcode/attempt.ts.
 */

/** Closed tasks stay readable this long for investigations, then DynamoDB TTL (`expiresAt`) removes them. */
export const CLOSED_TASK_RETENTION_DAYS = 30;

/** How a task's wait ended (`TaskItem.outcome`). */
export type TaskOutcome = NonNullable<TaskItem["outcome"]>;

/** Partition key of a task item. */
export function taskKey(correlationId: string): `task#${string}` {
  return `task#${correlationId}`;
}

/** Reads a task item (strongly consistent: submit-job wrote it moments before the first event). */
export async function getTask(ledgerTable: string, correlationId: string): Promise<TaskItem | undefined> {
  const { Item } = await dynamo.send(
    new GetCommand({ TableName: ledgerTable, Key: { pk: taskKey(correlationId) }, ConsistentRead: true }),
  );
  return Item === undefined ? undefined : readTaskItem(Item);
}

/**
 * A task item as stored, in today's shape. Items written before `outputs.packagingSource` (a URI) was
 * renamed `outputs.packagingManifest` — it clashed with `packagingSource`, the mode — are still read:
 * a task opened before the deploy may be finished after it. Such items are gone once every task open
 * at the deploy has closed and expired (CLOSED_TASK_RETENTION_DAYS), after which this shim can go.
 * @example readTaskItem({ …, outputs: { packagingSource: "s3://…/hls/index.m3u8", … } }).outputs.packagingManifest === "s3://…/hls/index.m3u8"
 */
export function readTaskItem(item: Record<string, unknown>): TaskItem {
  const task = item as unknown as TaskItem;
  const outputs = task.outputs as TaskItem["outputs"] & { readonly packagingSource?: string };
  if (
    outputs === undefined ||
    outputs.packagingManifest !== undefined ||
    outputs.packagingSource === undefined
  ) {
    return task;
  }
  const { packagingSource, ...rest } = outputs;
  return { ...task, outputs: { ...rest, packagingManifest: packagingSource } };
}

/**
 * Remembers when the job started and when its percentage last moved (the decision's stall clock). Only
 * while the task still waits: returns false, writing nothing, when it closed meanwhile (or when there is
 * nothing to remember).
 */
export async function recordTaskProgress(
  ledgerTable: string,
  task: TaskItem,
  progress: { readonly percent: number; readonly at: string } | undefined,
  jobStartedAt: string | undefined,
): Promise<boolean> {
  const sets: string[] = [];
  const names: Record<string, string> = { "#waiting": "waiting" };
  const values: Record<string, unknown> = {};
  if (progress) {
    sets.push("#percent = :percent", "#at = :at");
    Object.assign(names, { "#percent": "lastProgressPercent", "#at": "lastProgressAt" });
    Object.assign(values, { ":percent": progress.percent, ":at": progress.at });
  }
  if (jobStartedAt && !task.startedAt) {
    sets.push("#startedAt = if_not_exists(#startedAt, :startedAt)");
    names["#startedAt"] = "startedAt";
    values[":startedAt"] = jobStartedAt;
  }
  if (sets.length === 0) return false;
  try {
    await dynamo.send(
      new UpdateCommand({
        TableName: ledgerTable,
        Key: { pk: task.pk },
        UpdateExpression: `SET ${sets.join(", ")}`,
        ConditionExpression: "attribute_exists(#waiting)",
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailed(error)) return false;
    throw error;
  }
}

/**
 * Ends the wait in the ledger (REMOVE waiting, so the reconciler stops looking at it). Only if the item
 * still holds the token we answered: a Task retry may have stored a newer token meanwhile, and that
 * attempt must keep waiting — then returns false, writing nothing.
 */
export async function closeTask(
  ledgerTable: string,
  task: TaskItem,
  outcome: TaskOutcome,
  now: Date,
): Promise<boolean> {
  try {
    await dynamo.send(
      new UpdateCommand({
        TableName: ledgerTable,
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
          ":now": now.toISOString(),
          ":expiresAt": closedTaskExpiry(now),
          ":token": task.taskToken,
        },
      }),
    );
    return true;
  } catch (error) {
    if (!isConditionFailed(error)) throw error;
    return false;
  }
}

/** DynamoDB TTL time (epoch seconds) of a task closed at `now`. */
export function closedTaskExpiry(now: Date): number {
  return Math.floor(now.getTime() / 1000) + CLOSED_TASK_RETENTION_DAYS * 86_400;
}

/** A conditional write whose condition did not hold. */
export function isConditionFailed(error: unknown): boolean {
  return error instanceof Error && error.name === "ConditionalCheckFailedException";
}
