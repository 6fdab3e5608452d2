/**
 * Environment for tests that import handler.ts: it reads its configuration at module load, so this
 * module must be imported before it (imports run in order).
 */
export const LEDGER_TABLE = "vod-ledger-test";
export const LEDGER_WAITING_INDEX = "waiting-tasks";
export const CATALOGUE_TABLE = "vod-catalogue-test";
export const MAX_QUEUE_WAIT_MINUTES = 24 * 60;
export const STALLED_JOB_MINUTES = 60;

process.env.LEDGER_TABLE = LEDGER_TABLE;
process.env.LEDGER_WAITING_INDEX = LEDGER_WAITING_INDEX;
process.env.CATALOGUE_TABLE = CATALOGUE_TABLE;
process.env.MAX_QUEUE_WAIT_MINUTES = String(MAX_QUEUE_WAIT_MINUTES);
process.env.STALLED_JOB_MINUTES = String(STALLED_JOB_MINUTES);
process.env.AWS_REGION = "us-west-2";
process.env.POWERTOOLS_LOG_LEVEL = "SILENT";
