import middy from "@middy/core";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import type { Metrics } from "@aws-lambda-powertools/metrics";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import type { Context } from "aws-lambda";
import type * as z from "zod/mini";
import { logger } from "./powertools";
import { tracingMiddlewares } from "./tracing";
import { InvalidTaskInputError, ServiceBusyError } from "../contract/errors";
import { isTransient } from "./errors";
import { issuesText } from "./schema-issues";

export interface IngestHandlerOptions {
  /**
   * Reads the event's correlation id, logged as `correlation_id` on every line; for functions an
   * EventBridge rule invokes, `eventBridgeId` (the event's `id`). A function rather than Powertools'
   * JMESPath `correlationIdPath`: reading one field needs no expression engine in every bundle.
   * https://docs.powertools.aws.dev/lambda/typescript/latest/core/logger/#setting-a-correlation-id
   */
  readonly correlationId?: (event: unknown) => string | undefined;
  /**
   * Metrics to flush (EMF) at the end of every invocation: the shared `metrics` of ./powertools.ts, for
   * functions that emit some. Passed in, not imported here, so other bundles leave the package out.
   */
  readonly metrics?: Metrics;
}

/**
 * An EventBridge event's `id` (a UUID per event, the same field as Powertools' `correlationPaths.EVENT_BRIDGE`).
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-events-structure.html
 */
export function eventBridgeId(event: unknown): string | undefined {
  const id = (event as { id?: unknown } | null)?.id;
  return typeof id === "string" ? id : undefined;
}

/**
 * Wraps a handler's logic the same way for every function:
 * 1. Powertools logger context (request id, cold start, correlation id), keys reset per invocation, and the
 *    tracer's handler segment when the bundle traces AWS calls (./tracing.ts; a no-op outside Lambda);
 * 2. input parsed and validated with the function's zod/mini schema (the logic receives typed input); input
 *    the schema refuses leaves as `Vod.InvalidTaskInput`, which no retrier matches: a bug or a hand-edited
 *    redrive input, and repeating it cannot help. Its message names every refused field (Lambda reports it
 *    as the error's `errorMessage`, which record-failure writes to the catalogue), its cause is zod's error;
 * 3. transient AWS errors rethrown as `Vod.ServiceBusy`, the one name every Task's retrier matches.
 * Middy runs `onError` in reverse `.use` order, so the error mapping sees errors from the parsing step too.
 *
 * @example export const handler = ingestHandler(TranscodeRequestSchema, submitJob);
 */
export function ingestHandler<S extends z.ZodMiniType, R>(
  schema: S,
  logic: (input: z.output<S>, context: Context) => Promise<R>,
  options: IngestHandlerOptions = {},
) {
  const handler = middy<z.output<S>, R>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(tracingMiddlewares());
  if (options.metrics) handler.use(logMetrics(options.metrics));
  return handler
    .use({
      before: (request) => {
        // Before parsing, so a refused event's error line carries its correlation id too.
        const correlationId = options.correlationId?.(request.event);
        if (correlationId !== undefined) logger.setCorrelationId(correlationId);
        const parsed = schema.safeParse(request.event);
        if (!parsed.success) {
          throw new InvalidTaskInputError(`input does not match its schema: ${issuesText(parsed.error)}`, {
            cause: parsed.error,
          });
        }
        request.event = parsed.data;
      },
    })
    .use({
      onError: async (request) => {
        const error = request.error;
        if (error && !(error instanceof ServiceBusyError) && isTransient(error)) {
          request.error = new ServiceBusyError(error.name, error);
        }
        logger.error("invocation failed", { error: request.error ?? undefined });
      },
    })
    .handler(logic);
}
