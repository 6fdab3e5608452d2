import { executionName } from "../shared/runtime/console-links";
import type { MediaConvertJobStateChange } from "./mediaconvert-event";
import { logger } from "../shared/runtime/powertools";
import { decide, type WaitLimits } from "../shared/transcode/decision";
import { applyDecision, type TaskAction } from "../shared/transcode/apply-decision";
import { recordJobId } from "../shared/transcode/attempt";
import { getTask } from "../shared/ledger/tasks";
import { factsFromEvent, transcodeResultFromEvent } from "./job-event";

export interface JobEventConfig {
  readonly ledgerTable: string;
  readonly catalogueTable: string;
  /** userMetadata `stack` this stack's jobs carry; events of other stacks in the account are ignored. */
  readonly stackMarker: string;
  readonly limits: WaitLimits;
}

/** What became of the event. Everything but a thrown error is final: no retries, no DLQ noise. */
export type JobEventOutcome =
  TaskAction | "foreign-stack" | "uncorrelated" | "late-or-unknown" | "other-job" | "logged-only";

/**
 * Turns one "MediaConvert Job State Change" event into a Step Functions callback for the task waiting on
 * that job: COMPLETE → SendTaskSuccess, ERROR / CANCELED → SendTaskFailure, PROGRESSING / STATUS_UPDATE
 * → SendTaskHeartbeat (while the job is healthy, see transcode-decision.ts). The task is found by the
 * `correlationId` submit-job put in the job's userMetadata; the token itself lives in the ledger.
 */
export async function handleJobEvent(
  event: MediaConvertJobStateChange,
  config: JobEventConfig,
  now: Date = new Date(),
): Promise<JobEventOutcome> {
  const { detail } = event;
  const metadata = detail.userMetadata ?? {};
  logger.appendKeys({ jobId: detail.jobId, jobStatus: detail.status });

  if (metadata.stack !== config.stackMarker) {
    logger.info("event from another stack or tool; ignored", { stack: metadata.stack ?? null });
    return "foreign-stack";
  }
  const correlationId = metadata.correlationId;
  if (!correlationId) {
    logger.warn("event carries no correlationId; ignored");
    return "uncorrelated";
  }
  logger.appendKeys({ correlationId });

  const task = await getTask(config.ledgerTable, correlationId);
  if (!task?.waiting) {
    logger.info("late or unknown event: no task waits on this job", { taskFound: task !== undefined });
    return "late-or-unknown";
  }
  logger.appendKeys({ assetId: task.assetId, executionName: executionName(task.executionArn) });

  if (task.jobId && task.jobId !== detail.jobId) {
    // Only a second job of the same attempt can get here (CreateJob's token dedupes for one minute only).
    logger.warn("event for another job of this task; ignored", { taskJobId: task.jobId });
    return "other-job";
  }
  if (!task.jobId) await recordJobId(config.ledgerTable, correlationId, detail.jobId);

  const facts = factsFromEvent(detail);
  if (!facts) {
    logger.info("job event noted; it does not change the wait");
    return "logged-only";
  }

  // Judged as of the event: it reports the job at that moment, and EventBridge may deliver it late
  // (retries). Wall-clock `now` only stamps when the task closed.
  const decision = decide(facts, task, new Date(detail.timestamp), config.limits);
  return applyDecision(
    task,
    facts,
    decision,
    () => {
      const { result, missing } = transcodeResultFromEvent(detail, task);
      if (missing.length > 0)
        logger.warn("COMPLETE event lacked fields; used the task's layout", { missing });
      return result;
    },
    { ledgerTable: config.ledgerTable, catalogueTable: config.catalogueTable, now },
  );
}
