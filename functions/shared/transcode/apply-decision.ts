import type { Logger } from "@aws-lambda-powertools/logger";
import { recordTranscodeProgress, recordTranscodeResult } from "../catalogue/life-cycle";
import type { TranscodeResult } from "../contract/workflow";
import { TRANSCODE_CANCELED } from "../contract/errors";
import type { TaskItem } from "../ledger/items";
import { closeTask, recordTaskProgress, type TaskOutcome } from "../ledger/tasks";
import { logger } from "../runtime/powertools";
import { sendFailure, sendHeartbeat, sendSuccess, taskOutput } from "./callback";
import type { Decision, FailureCause, JobFacts } from "./decision";

/**
 * Carrying out a decision (./decision.ts) for a waiting "Transcode To CMAF" task — the one way a task is
 * finished, shared by handle-job-event and reconcile-jobs so that finishing twice is harmless.
 */

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
  const output = taskOutput(result);
  // The row first: if this invocation dies after the callback, a retry finds the task closed and
  // would never come back to write the title's facts. Only while the row follows this job: a job of
  // an earlier attempt that finishes late must not overwrite the facts of the redrive's job.
  const current = await recordTranscodeResult(
    context.catalogueTable,
    { assetId: task.assetId, revision: task.revision, submittedAt: task.submittedAt, result },
    context.now,
  );
  const log = context.log ?? logger;
  if (!current)
    log.info("catalogue row belongs to a newer upload or another job; not updated", {
      revision: task.revision,
    });

  const sent = await sendSuccess(task.taskToken, output, log);
  await close(task, sent ? "SUCCEEDED" : "CLOSED_ELSEWHERE", context);
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
  const sent = await sendFailure(task.taskToken, error, cause, log);
  const outcome = error === TRANSCODE_CANCELED ? "CANCELED" : "FAILED";
  await close(task, sent ? outcome : "CLOSED_ELSEWHERE", context);
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
  const sent = await sendHeartbeat(task.taskToken, context.log ?? logger);
  if (!sent) {
    await close(task, "CLOSED_ELSEWHERE", context);
    return "closed-elsewhere";
  }
  // The ledger remembers the stall clock; the row shows the percentage — only while the task still
  // waits, so a late STATUS_UPDATE never writes progress over a finished title.
  const stillWaiting = await recordTaskProgress(context.ledgerTable, task, progress, job.startedAt);
  if (stillWaiting && progress) {
    await recordTranscodeProgress(
      context.catalogueTable,
      {
        assetId: task.assetId,
        revision: task.revision,
        jobId: job.jobId,
        submittedAt: task.submittedAt,
        percent: progress.percent,
      },
      context.now,
    );
  }
  return "heartbeat";
}

/** Closes the task in the ledger; a retry's newer token keeps its attempt waiting (logged). */
async function close(task: TaskItem, outcome: TaskOutcome, context: TaskContext): Promise<void> {
  const closed = await closeTask(context.ledgerTable, task, outcome, context.now);
  if (!closed)
    (context.log ?? logger).info("task token was replaced by a retry; the newer attempt keeps waiting");
}
