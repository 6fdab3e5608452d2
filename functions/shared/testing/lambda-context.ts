import type { Context } from "aws-lambda";

/**
 * A Lambda context as the runtime passes it, for handler tests. `remainingMs` is what
 * `getRemainingTimeInMillis` answers: a number, or a function when a test moves the clock.
 * @example await handler(event, lambdaContextFor("submit-job"));
 */
export function lambdaContextFor(
  functionName: string,
  remainingMs: number | (() => number) = 30_000,
): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
    memoryLimitInMB: "256",
    awsRequestId: "c6af9ac6-7b61-11e6-9a41-93e812345678",
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: "2025/03/01/[$LATEST]abcdef0123456789",
    getRemainingTimeInMillis: typeof remainingMs === "number" ? () => remainingMs : remainingMs,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
