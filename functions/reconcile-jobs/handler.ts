import { z } from "zod";
import { requireEnv } from "../shared/runtime/env";
import { ingestHandler } from "../shared/runtime/handler";
import { parseMinutes } from "../shared/transcode/decision";
import { reconcileJobs, type ReconcileConfig } from "./reconcile-jobs";

/** Few enough GetJob calls in flight to stay clear of MediaConvert's request rate; the SDK retries throttles. */
const GET_JOB_CONCURRENCY = 4;

const config: ReconcileConfig = {
  ledgerTable: requireEnv("LEDGER_TABLE"),
  waitingIndex: requireEnv("LEDGER_WAITING_INDEX"),
  catalogueTable: requireEnv("CATALOGUE_TABLE"),
  limits: {
    maxQueueWaitMinutes: parseMinutes("MAX_QUEUE_WAIT_MINUTES", requireEnv("MAX_QUEUE_WAIT_MINUTES")),
    stalledJobMinutes: parseMinutes("STALLED_JOB_MINUTES", requireEnv("STALLED_JOB_MINUTES")),
  },
  concurrency: GET_JOB_CONCURRENCY,
};

/** EventBridge Scheduler invokes this every `reconcileIntervalMinutes`; the payload carries nothing it needs. */
export const handler = ingestHandler(z.unknown(), () => reconcileJobs(config));
