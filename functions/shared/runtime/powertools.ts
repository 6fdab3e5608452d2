import { Logger } from "@aws-lambda-powertools/logger";

/**
 * The one structured JSON logger every handler shares. `POWERTOOLS_SERVICE_NAME` (set per function by
 * infra/functions.ts) names the function; handlers append `assetId` and `executionName` per invocation.
 */
export const logger = new Logger({ serviceName: "vod-ingest" });
