/** Everything record-failure reads from its environment (env.ts). */
export interface RecordFailureConfig {
  readonly catalogueTable: string;
  /** URL of the failed-executions queue (SQS, encrypted, 14-day retention). */
  readonly failuresQueueUrl: string;
}
