import { requireEnv } from "../shared/runtime/env";

/** Everything record-failure reads from its environment (set by infra/functions.ts). */
export interface RecordFailureConfig {
  readonly catalogueTable: string;
  /** URL of the failed-executions queue (SQS, encrypted, 14-day retention). */
  readonly failuresQueueUrl: string;
}

/** Reads the environment; a mis-deployed function fails on its first invocation, loudly. */
export function loadConfig(): RecordFailureConfig {
  return {
    catalogueTable: requireEnv("CATALOGUE_TABLE"),
    failuresQueueUrl: requireEnv("FAILURES_QUEUE_URL"),
  };
}
