import * as z from "zod/mini";
import { lazyEnv } from "../shared/runtime/env";
import { parseMinutes } from "../shared/transcode/decision";
import type { JobEventConfig } from "./handle-job-event";

/** What handle-job-event reads from its environment; infra/functions.ts sets exactly these. */
export const HandleJobEventEnvSchema = z.object({
  LEDGER_TABLE: z.string().check(z.minLength(1)),
  CATALOGUE_TABLE: z.string().check(z.minLength(1)),
  /** Only jobs whose `userMetadata.stack` is this marker are this stack's. */
  STACK_MARKER: z.string().check(z.minLength(1)),
  /** A PROGRESSING job whose progress stops moving this long is hung (config `stalledJobMinutes`). */
  STALLED_JOB_MINUTES: z.string().check(z.minLength(1)),
});

/** The parsed configuration, read on first use and kept for the container's life. */
export const handleJobEventConfig = lazyEnv(
  z.pipe(
    HandleJobEventEnvSchema,
    z.transform((env): JobEventConfig => ({
      ledgerTable: env.LEDGER_TABLE,
      catalogueTable: env.CATALOGUE_TABLE,
      stackMarker: env.STACK_MARKER,
      limits: {
        // Events never report a queued (SUBMITTED) job; only the reconciler judges queue waits.
        maxQueueWaitMinutes: Number.POSITIVE_INFINITY,
        stalledJobMinutes: parseMinutes("STALLED_JOB_MINUTES", env.STALLED_JOB_MINUTES),
      },
    })),
  ),
);
