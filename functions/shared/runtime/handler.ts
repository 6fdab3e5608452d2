import middy from "@middy/core";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { parser } from "@aws-lambda-powertools/parser/middleware";
import type { Context } from "aws-lambda";
import type { z } from "zod";
import { logger } from "./powertools";
import { ServiceBusyError } from "../contract/errors";
import { isTransient } from "./errors";

/**
 * Wraps a handler's logic the same way for every function:
 * 1. Powertools logger context (request id, cold start), keys reset per invocation;
 * 2. input parsed and validated with the function's zod schema (the logic receives typed input);
 * 3. transient AWS errors rethrown as `Vod.ServiceBusy`, the one name every Task's retrier matches.
 * Middy runs `onError` in reverse `.use` order, so the error mapping sees errors from the parser too.
 *
 * @example export const handler = ingestHandler(TranscodeRequestSchema, submitJob);
 */
export function ingestHandler<S extends z.ZodType, R>(
  schema: S,
  logic: (input: z.infer<S>, context: Context) => Promise<R>,
) {
  return middy<z.infer<S>, R>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(parser({ schema }))
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
