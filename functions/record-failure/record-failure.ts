import type { Context } from "aws-lambda";
import { executionConsoleUrl, executionName } from "../shared/runtime/console-links";
import { logger } from "../shared/runtime/powertools";
import { markFailed, markResumed } from "../shared/catalogue/life-cycle";
import type { RecordFailureConfig } from "./config";
import { readAttempt, sourceFromExecutionInput } from "./execution-story";
import { describeFailure, FAILURE_STATUSES, resumedStatus, type FailureStatus } from "./failure-description";
import { sendFailureMessage, type FailureMessage } from "./failures-queue";
import { readExecutionHistory } from "./history";
import type { ExecutionStatusChange, ExecutionStatusChangeDetail } from "./schema";

/** What one event led to (logged, and returned for tests; EventBridge ignores it). */
export type RecordOutcome =
  | { readonly action: "failed"; readonly rowUpdated: boolean; readonly message: FailureMessage }
  | { readonly action: "resumed"; readonly rowUpdated: boolean }
  | { readonly action: "ignored"; readonly reason: string };

/**
 * Records execution failures outside the workflow (ARCHITECTURE.md, decision 2), from EventBridge
 * "Step Functions Execution Status Change" events of the ingest state machine:
 *
 * - FAILED | TIMED_OUT | ABORTED → reads the history for the claim, the failed state and the error; row FAILED
 *   with an actionable error and the execution's console link; one message on the failures queue. A failure
 *   before the claim writes no row (there is none) but is still queued, with the source from the S3 event.
 * - RUNNING with redriveCount > 0 (a redrive started) → row back to the in-progress status of the state being
 *   redriven, error removed.
 * - anything else (RUNNING of a first attempt, SUCCEEDED) → ignored.
 */
export function makeRecordFailure(config: RecordFailureConfig) {
  return async function recordFailure(
    event: ExecutionStatusChange,
    _context: Context,
  ): Promise<RecordOutcome> {
    const { detail } = event;
    logger.appendKeys({ executionName: executionName(detail.executionArn) });

    let outcome: RecordOutcome;
    if ((FAILURE_STATUSES as readonly string[]).includes(detail.status)) {
      outcome = await recordExecutionFailure(config, detail, detail.status as FailureStatus, event.time);
    } else if (detail.status === "RUNNING" && (detail.redriveCount ?? 0) > 0) {
      outcome = await recordRedrive(config, detail);
    } else {
      outcome = {
        action: "ignored",
        reason: `status ${detail.status}, redriveCount ${detail.redriveCount ?? 0}`,
      };
    }
    logger.info("execution status change recorded", { status: detail.status, outcome });
    return outcome;
  };
}

async function recordExecutionFailure(
  config: RecordFailureConfig,
  detail: ExecutionStatusChangeDetail,
  status: FailureStatus,
  eventTime: string,
): Promise<RecordOutcome> {
  const history = await readExecutionHistory(detail.executionArn);
  // Which attempt failed: the event says; without it, the latest attempt in the history.
  const attempt = detail.redriveCount ?? readAttempt(history).redriveCount;
  const story = readAttempt(history, attempt);
  const error = describeFailure({
    status,
    error: detail.error ?? story.failure?.error,
    cause: detail.cause ?? story.failure?.cause,
    state: story.currentState,
  });
  const execution = {
    arn: detail.executionArn,
    consoleUrl: executionConsoleUrl(detail.executionArn),
    redriveCount: attempt,
  };

  let rowUpdated = false;
  if (story.claimed) {
    logger.appendKeys({ assetId: story.claimed.assetId });
    rowUpdated = await markFailed(
      config.catalogueTable,
      {
        assetId: story.claimed.assetId,
        revision: story.claimed.revision,
        error,
        execution,
      },
      new Date(),
    );
    if (!rowUpdated) {
      logger.warn("catalogue row not marked FAILED: a newer upload or a later attempt owns it", {
        revision: story.claimed.revision,
        redriveCount: attempt,
      });
    }
  } else {
    logger.warn("execution failed before the upload was claimed; no catalogue row to update", { error });
  }

  const message: FailureMessage = {
    assetId: story.claimed?.assetId ?? null,
    source: story.claimed?.source ?? sourceFromExecutionInput(detail.input ?? story.executionInput) ?? null,
    status,
    error,
    failedState: error.state,
    executionArn: detail.executionArn,
    consoleUrl: execution.consoleUrl,
    redriveCount: attempt,
    failedAt: detail.stopDate ? new Date(detail.stopDate).toISOString() : eventTime,
  };
  await sendFailureMessage(config.failuresQueueUrl, message);
  return { action: "failed", rowUpdated, message };
}

async function recordRedrive(
  config: RecordFailureConfig,
  detail: ExecutionStatusChangeDetail,
): Promise<RecordOutcome> {
  const redriveCount = detail.redriveCount ?? 0;
  const story = readAttempt(await readExecutionHistory(detail.executionArn), redriveCount);
  if (!story.claimed) return { action: "ignored", reason: "redriven before the upload was claimed" };
  logger.appendKeys({ assetId: story.claimed.assetId });
  const status = resumedStatus(story.currentState);
  if (!status) return { action: "ignored", reason: `no catalogue status for state "${story.currentState}"` };

  const rowUpdated = await markResumed(
    config.catalogueTable,
    {
      assetId: story.claimed.assetId,
      revision: story.claimed.revision,
      status,
      execution: {
        arn: detail.executionArn,
        consoleUrl: executionConsoleUrl(detail.executionArn),
        redriveCount,
      },
    },
    new Date(),
  );
  if (!rowUpdated) {
    logger.warn("catalogue row not moved back in progress: a newer upload or a later attempt owns it", {
      redriveCount,
    });
  }
  return { action: "resumed", rowUpdated };
}
