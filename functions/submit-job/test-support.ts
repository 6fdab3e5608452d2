import type { EnvironmentOf } from "../shared/runtime/env";
import type { SubmitJobEnvSchema } from "./env";

/** submit-job's environment in its tests: the stack `vod-ingest-dev` in us-west-2. */
export const TEST_ENVIRONMENT: EnvironmentOf<typeof SubmitJobEnvSchema> = {
  LEDGER_TABLE: "vod-ledger-test",
  CATALOGUE_TABLE: "vod-catalogue-test",
  OUTPUT_BUCKET: "vod-output",
  MEDIACONVERT_QUEUE_ARN: "arn:aws:mediaconvert:us-west-2:111122223333:queues/vod-ingest-dev",
  MEDIACONVERT_ROLE_ARN: "arn:aws:iam::111122223333:role/vod-ingest-dev-mediaconvert",
  STACK_MARKER: "vod-ingest-dev",
  LADDER_TOP_RUNG: "1080",
  PACKAGING_SOURCE: "hls-ts",
  JOB_TAGS: JSON.stringify({ team: "media", "vod:stack": "vod-ingest-dev" }),
  ADMISSION_QUEUE_URL: "https://sqs.us-west-2.amazonaws.com/111122223333/vod-ingest-dev-admission",
  CREATE_JOB_RATE: "10",
  ADMISSION_CONCURRENCY: "2",
};
