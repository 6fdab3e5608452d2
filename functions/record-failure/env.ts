import * as z from "zod/mini";
import { lazyEnv } from "../shared/runtime/env";
import type { RecordFailureConfig } from "./config";

/** What record-failure reads from its environment; infra/functions.ts sets exactly these. */
export const RecordFailureEnvSchema = z.object({
  CATALOGUE_TABLE: z.string().check(z.minLength(1)),
  /** URL of the failed-executions queue (SQS, encrypted, 14-day retention). */
  FAILURES_QUEUE_URL: z.string().check(z.minLength(1)),
});

/** The parsed configuration, read on first use and kept for the container's life. */
export const recordFailureConfig = lazyEnv(
  z.pipe(
    RecordFailureEnvSchema,
    z.transform((env): RecordFailureConfig => ({
      catalogueTable: env.CATALOGUE_TABLE,
      failuresQueueUrl: env.FAILURES_QUEUE_URL,
    })),
  ),
);
