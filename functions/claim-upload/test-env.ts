/**
 * Environment for tests that import handler.ts: it reads its configuration at module load, so this
 * module must be imported before it (imports run in order).
 */
export const LEDGER_TABLE = "vod-ledger-test";
export const CATALOGUE_TABLE = "vod-catalogue-test";

process.env.LEDGER_TABLE = LEDGER_TABLE;
process.env.CATALOGUE_TABLE = CATALOGUE_TABLE;
process.env.ACCEPTED_EXTENSIONS = "mp4,mov,mkv";
process.env.AWS_REGION = "ca-central-1";
process.env.POWERTOOLS_LOG_LEVEL = "SILENT";
