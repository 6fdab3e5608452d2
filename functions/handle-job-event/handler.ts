import { requireEnv } from "../shared/runtime/env";
import { ingestHandler } from "../shared/runtime/handler";
import { MediaConvertJobStateChangeSchema } from "./mediaconvert-event";
import { parseMinutes } from "../shared/transcode/decision";
import { handleJobEvent, type JobEventConfig } from "./handle-job-event";

/**
 * Target of the EventBridge rule on "MediaConvert Job State Change" events of this stack's jobs
 * (invoked asynchronously: a thrown error is retried by Lambda, then lands on the on-failure destination).
 */
const config: JobEventConfig = {
  ledgerTable: requireEnv("LEDGER_TABLE"),
  catalogueTable: requireEnv("CATALOGUE_TABLE"),
  stackMarker: requireEnv("STACK_MARKER"),
  limits: {
    // Events never report a queued (SUBMITTED) job; only the reconciler judges queue waits.
    maxQueueWaitMinutes: Number.POSITIVE_INFINITY,
    stalledJobMinutes: parseMinutes("STALLED_JOB_MINUTES", requireEnv("STALLED_JOB_MINUTES")),
  },
};

export const handler = ingestHandler(MediaConvertJobStateChangeSchema, (event) =>
  handleJobEvent(event, config),
);
