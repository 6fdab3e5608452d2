import { ingestHandler } from "../shared/runtime/handler";
import { loadConfig } from "./config";
import { makeRecordFailure } from "./record-failure";
import { ExecutionStatusChangeSchema } from "./schema";

/**
 * EventBridge rule target for the ingest state machine's "Step Functions Execution Status Change" events
 * (status FAILED | TIMED_OUT | ABORTED, and RUNNING with redriveCount > 0).
 * Env: CATALOGUE_TABLE, FAILURES_QUEUE_URL.
 */
export const handler = ingestHandler(ExecutionStatusChangeSchema, makeRecordFailure(loadConfig()));
