import { search } from "@aws-lambda-powertools/jmespath";
import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
import { Tracer } from "@aws-lambda-powertools/tracer";

/**
 * The one structured JSON logger every handler shares. `POWERTOOLS_SERVICE_NAME` (set per function by
 * infra/functions.ts) names the function; handlers append `assetId` and `executionName` per invocation.
 * The JMESPath search lets `ingestHandler`'s `correlationIdPath` read the correlation id off the event.
 */
export const logger = new Logger({
  serviceName: "vod-ingest",
  // The logger hands the search the event as it came (always a JSON object for our handlers).
  correlationIdSearchFn: (expression, data) => search(expression, data as Parameters<typeof search>[1]),
});

/**
 * X-Ray tracing: the functions run with active tracing (infra/functions.ts `tracingConfig`), and this
 * tracer records the handler's segment and, through `captureAWSv3Client` (./clients.ts), a subsegment per
 * AWS call. Outside Lambda (tests, the local runner) it disables itself and leaves clients untouched.
 * https://docs.powertools.aws.dev/lambda/typescript/latest/core/tracer/
 */
export const tracer = new Tracer({ serviceName: "vod-ingest" });

/**
 * CloudWatch metrics in Embedded Metric Format: written as a log line, so they need no PutMetricData call
 * or permission. Flushed per invocation by `logMetrics` (the reconciler's handler). `@__PURE__`: bundles of
 * functions that emit no metrics leave the package out.
 * https://docs.powertools.aws.dev/lambda/typescript/latest/core/metrics/
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 */
export const metrics = /* @__PURE__ */ new Metrics({ namespace: "VodIngest", serviceName: "vod-ingest" });
