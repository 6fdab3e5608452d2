import { GetJobCommand } from "@aws-sdk/client-mediaconvert";
import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import { dynamo, mediaConvert } from "../shared/runtime/clients";
import { executionName } from "../shared/runtime/console-links";
import type { TaskItem } from "../shared/ledger/items";
import { readTaskItem } from "../shared/ledger/tasks";
import { describe as describeError } from "../shared/runtime/errors";
import { logger } from "../shared/runtime/powertools";
import { decide, type WaitLimits } from "../shared/transcode/decision";
import { applyDecision } from "../shared/transcode/apply-decision";
import { factsFromJob, transcodeResultFromJob } from "./job-snapshot";

export interface ReconcileConfig {
  readonly ledgerTable: string;
  /** The ledger's sparse index of open tasks (`waiting` = "1"), infra/catalogue.ts. */
  readonly waitingIndex: string;
  readonly catalogueTable: string;
  readonly limits: WaitLimits;
  /** GetJob calls in flight at once: enough to get through a burst, few enough not to be throttled. */
  readonly concurrency: number;
}

/** One run's tally, returned and logged. */
export interface ReconcileSummary {
  /** Open tasks found in the ledger. */
  waiting: number;
  /** Finished jobs whose task this run completed / failed (their event was lost or late). */
  completed: number;
  failed: number;
  heartbeats: number;
  /** Hung jobs left to the Task's HeartbeatSeconds. */
  stalled: number;
  queuedTooLong: number;
  /** Tasks that had already closed (timed out, or finished by handle-job-event meanwhile). */
  closedElsewhere: number;
  /** Tasks without a job id yet: submit-job is still running, or failed before CreateJob. */
  notSubmitted: number;
  /** Tasks this run could not check (logged); the next run tries again. */
  errors: number;
}

/**
 * Heals what events cannot: for every task still waiting, asks MediaConvert for its job and applies the
 * same decision handle-job-event applies — finish the task if the job finished (its event was lost),
 * heartbeat a healthy queued or progressing job, withhold the heartbeat of a hung one.
 * `now` is injected so tests need no fake timers.
 */
export async function reconcileJobs(
  config: ReconcileConfig,
  now: Date = new Date(),
): Promise<ReconcileSummary> {
  const summary: ReconcileSummary = {
    waiting: 0,
    completed: 0,
    failed: 0,
    heartbeats: 0,
    stalled: 0,
    queuedTooLong: 0,
    closedElsewhere: 0,
    notSubmitted: 0,
    errors: 0,
  };
  for await (const page of waitingTasks(config.ledgerTable, config.waitingIndex)) {
    summary.waiting += page.length;
    await forEachLimited(page, config.concurrency, async (task) => {
      const outcome = await reconcileTask(task, config, now).catch((error: unknown) => {
        logger.error("could not reconcile task", {
          pk: task.pk,
          jobId: task.jobId,
          error: describeError(error),
        });
        return "errors" as const;
      });
      summary[outcome] += 1;
    });
  }
  logger.info("reconciled waiting transcode tasks", { summary });
  return summary;
}

type Tally = Exclude<keyof ReconcileSummary, "waiting">;

async function reconcileTask(task: TaskItem, config: ReconcileConfig, now: Date): Promise<Tally> {
  // Tasks are handled concurrently: a child logger keeps each task's keys on its own lines.
  const log = logger.createChild();
  log.appendKeys({
    assetId: task.assetId,
    executionName: executionName(task.executionArn),
    correlationId: task.correlationId,
    jobId: task.jobId,
  });
  if (!task.jobId) {
    log.info("no job yet: submit-job has not recorded one; skipped");
    return "notSubmitted";
  }
  const { Job: job } = await mediaConvert.send(new GetJobCommand({ Id: task.jobId }));
  if (!job) throw new Error(`GetJob ${task.jobId} returned no job`);
  const facts = factsFromJob(job);
  const decision = decide(facts, task, now, config.limits);
  const action = await applyDecision(task, facts, decision, () => transcodeResultFromJob(job, task), {
    ledgerTable: config.ledgerTable,
    catalogueTable: config.catalogueTable,
    now,
    log,
  });
  switch (action) {
    case "succeeded":
      log.warn("job finished without its COMPLETE event reaching us; task completed by the reconciler");
      return "completed";
    case "failed":
      return "failed";
    case "heartbeat":
      return "heartbeats";
    case "closed-elsewhere":
      return "closedElsewhere";
    case "hung":
      return decision.kind === "hung" && decision.reason === "queued-too-long" ? "queuedTooLong" : "stalled";
  }
}

/**
 * Open tasks, a page at a time, from the ledger's sparse index: `waiting` exists only on open task
 * items, so claims and closed tasks are never read. The index is eventually consistent; a task
 * opened a moment ago is picked up by the next run.
 */
async function* waitingTasks(ledgerTable: string, waitingIndex: string): AsyncGenerator<TaskItem[]> {
  let exclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await dynamo.send(
      new QueryCommand({
        TableName: ledgerTable,
        IndexName: waitingIndex,
        KeyConditionExpression: "#waiting = :waiting",
        ExpressionAttributeNames: { "#waiting": "waiting" },
        ExpressionAttributeValues: { ":waiting": "1" },
        ExclusiveStartKey: exclusiveStartKey,
      }),
    );
    yield (page.Items ?? []).map(readTaskItem);
    exclusiveStartKey = page.LastEvaluatedKey;
  } while (exclusiveStartKey);
}

/** Runs `work` over `items` with at most `limit` in flight. */
async function forEachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
