/**
 * Environment for register-asset tests. handler.ts reads its configuration, and shared/runtime/powertools.ts its log
 * level, when they load, so tests import this module before anything else (imports run in order).
 */
process.env.CATALOGUE_TABLE = "vod-ingest-catalogue";
process.env.PACKAGING_GROUP_ID = "vod-ingest-packaging";
process.env.PACKAGING_ROLE_ARN = "arn:aws:iam::123456789012:role/vod-ingest-packaging-role";
process.env.PACKAGING_SOURCE = "hls-ts";
process.env.PACKAGING_CONFIGURATIONS =
  '{"hls":"vod-ingest-hls","dash":"vod-ingest-dash","cmaf":"vod-ingest-cmaf"}';
process.env.POWERTOOLS_LOG_LEVEL = "SILENT";

export {};
