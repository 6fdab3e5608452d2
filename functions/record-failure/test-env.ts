/**
 * Environment for record-failure tests. handler.ts reads its configuration, and shared/runtime/powertools.ts its log
 * level, when they load, so tests import this module before anything else (imports run in order).
 */
export const CATALOGUE_TABLE = "vod-ingest-catalogue";
export const FAILURES_QUEUE_URL =
  "https://sqs.us-east-1.amazonaws.com/123456789012/vod-ingest-failed-executions";

process.env.CATALOGUE_TABLE = CATALOGUE_TABLE;
process.env.FAILURES_QUEUE_URL = FAILURES_QUEUE_URL;
process.env.POWERTOOLS_LOG_LEVEL = "SILENT";
