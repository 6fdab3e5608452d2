import { eventBridgeId, ingestHandler } from "../shared/runtime/handler";
import { recordFailureConfig } from "./env";
import { makeRecordFailure } from "./record-failure";
import { ExecutionStatusChangeSchema } from "./schema";

/**
 * EventBridge rule target for the ingest state machine's "Step Functions Execution Status Change" events
 * (status FAILED | TIMED_OUT | ABORTED, and RUNNING with redriveCount > 0).
 * Its environment: env.ts.
 */
export const handler = ingestHandler(
  ExecutionStatusChangeSchema,
  (event, context) => (recordFailure ??= makeRecordFailure(recordFailureConfig()))(event, context),
  { correlationId: eventBridgeId },
);

let recordFailure: ReturnType<typeof makeRecordFailure> | undefined;
