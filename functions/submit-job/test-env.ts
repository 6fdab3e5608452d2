/**
 * Environment for tests that import handler.ts: it reads its configuration at module load, so this
 * module must be imported before it (imports run in order).
 */
export const LEDGER_TABLE = "vod-ledger-test";
export const CATALOGUE_TABLE = "vod-catalogue-test";
export const OUTPUT_BUCKET = "vod-output";
export const QUEUE_ARN = "arn:aws:mediaconvert:us-west-2:111122223333:queues/vod-ingest-dev";
export const ROLE_ARN = "arn:aws:iam::111122223333:role/vod-ingest-dev-mediaconvert";
export const STACK_MARKER = "vod-ingest-dev";

process.env.LEDGER_TABLE = LEDGER_TABLE;
process.env.CATALOGUE_TABLE = CATALOGUE_TABLE;
process.env.OUTPUT_BUCKET = OUTPUT_BUCKET;
process.env.MEDIACONVERT_QUEUE_ARN = QUEUE_ARN;
process.env.MEDIACONVERT_ROLE_ARN = ROLE_ARN;
process.env.STACK_MARKER = STACK_MARKER;
process.env.LADDER_TOP_RUNG = "1080";
process.env.PACKAGING_SOURCE = "hls-ts";
process.env.AWS_REGION = "us-west-2";
process.env.POWERTOOLS_LOG_LEVEL = "SILENT";
