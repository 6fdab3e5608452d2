import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";

/**
 * The one structured JSON logger every handler shares. `POWERTOOLS_SERVICE_NAME` (set per function by
 * infra/functions.ts) names the function; handlers append `assetId` and `executionName` per invocation.
 * No JMESPath search function: `ingestHandler` sets the correlation id from a plain function of the event.
 */
export const logger = new Logger({ serviceName: "vod-ingest" });

/**
 * CloudWatch metrics in Embedded Metric Format: written as a log line, so they need no PutMetricData call
 * or permission. Flushed per invocation by `logMetrics` (the reconciler's handler). `@__PURE__`: bundles of
 * functions that emit no metrics leave the package out.
 * https://docs.powertools.aws.dev/lambda/typescript/latest/core/metrics/
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 */
export const metrics = /* @__PURE__ */ new Metrics({ namespace: "VodIngest", serviceName: "vod-ingest" });
