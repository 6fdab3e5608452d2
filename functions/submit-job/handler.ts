import middy from "@middy/core";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import { logger, metrics } from "../shared/runtime/powertools";
import { tracingMiddlewares } from "../shared/runtime/tracing";
import { admitBatch } from "./admit";
import { admissionConfig } from "./env";
import { Pacer } from "./pacer";

/** One pacer per container: its CreateJob spacing holds across the batches this container serves. */
let pacer: Pacer | undefined;

/**
 * The admission queue's consumer (a Lambda event source mapping with ReportBatchItemFailures and a
 * maximum concurrency): each message is one title's "Transcode To CMAF" request with its task token.
 * Errors are per message (./admit.ts); the invocation itself fails only on a bug, and then SQS
 * redelivers the whole batch after the visibility timeout.
 */
export const handler = middy<SQSEvent, SQSBatchResponse>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(tracingMiddlewares())
  .use(logMetrics(metrics))
  .handler((event, context) => {
    const config = admissionConfig();
    pacer ??= new Pacer(config.createJobIntervalMs);
    return admitBatch(event.Records, config, pacer, () => context.getRemainingTimeInMillis());
  });
