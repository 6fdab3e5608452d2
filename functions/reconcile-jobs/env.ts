import * as z from "zod/mini";
import { lazyEnv } from "../shared/runtime/env";
import { parseMinutes } from "../shared/transcode/decision";
import type { ReconcileConfig } from "./reconcile-jobs";

/** Few enough GetJob calls in flight to stay clear of MediaConvert's request rate; the SDK retries throttles. */
const GET_JOB_CONCURRENCY = 4;

/** What reconcile-jobs reads from its environment; infra/functions.ts sets exactly these. */
export const ReconcileJobsEnvSchema = z.object({
  LEDGER_TABLE: z.string().check(z.minLength(1)),
  /** The ledger's sparse index of open tasks (infra/lib/ledger-schema.ts). */
  LEDGER_WAITING_INDEX: z.string().check(z.minLength(1)),
  CATALOGUE_TABLE: z.string().check(z.minLength(1)),
  /** Longest a job may wait in the queue (config `maxQueueWaitHours` × 60). */
  MAX_QUEUE_WAIT_MINUTES: z.string().check(z.minLength(1)),
  /** A PROGRESSING job whose progress stops moving this long is hung (config `stalledJobMinutes`). */
  STALLED_JOB_MINUTES: z.string().check(z.minLength(1)),
});

/** The parsed configuration, read on first use and kept for the container's life. */
export const reconcileJobsConfig = lazyEnv(
  z.pipe(
    ReconcileJobsEnvSchema,
    z.transform((env): ReconcileConfig => ({
      ledgerTable: env.LEDGER_TABLE,
      waitingIndex: env.LEDGER_WAITING_INDEX,
      catalogueTable: env.CATALOGUE_TABLE,
      limits: {
        maxQueueWaitMinutes: parseMinutes("MAX_QUEUE_WAIT_MINUTES", env.MAX_QUEUE_WAIT_MINUTES),
        stalledJobMinutes: parseMinutes("STALLED_JOB_MINUTES", env.STALLED_JOB_MINUTES),
      },
      concurrency: GET_JOB_CONCURRENCY,
    })),
  ),
);
