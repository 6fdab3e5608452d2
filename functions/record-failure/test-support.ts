import type { GetExecutionHistoryCommandOutput, HistoryEvent } from "@aws-sdk/client-sfn";
import type { Context } from "aws-lambda";

/** A history fixture as stored in events/history-*.json (JSON has no Date: timestamps are ISO strings). */
export interface HistoryFixture {
  readonly events: readonly ({ readonly timestamp: string; readonly type: string } & Record<
    string,
    unknown
  >)[];
}

/** The history events of a fixture, with timestamps as the SDK returns them. */
export function historyEvents(fixture: HistoryFixture): HistoryEvent[] {
  return structuredClone(fixture.events).map((e) => ({
    ...e,
    timestamp: new Date(e.timestamp),
  })) as HistoryEvent[];
}

/** One GetExecutionHistory page holding the whole fixture. */
export function historyPage(fixture: HistoryFixture): GetExecutionHistoryCommandOutput {
  return { events: historyEvents(fixture), $metadata: {} };
}

export const lambdaContext = {
  functionName: "record-failure",
  functionVersion: "$LATEST",
  invokedFunctionArn: "arn:aws:lambda:us-east-1:123456789012:function:record-failure",
  memoryLimitInMB: "256",
  awsRequestId: "c6af9ac6-7b61-11e6-9a41-93e812345678",
  logGroupName: "/aws/lambda/record-failure",
  logStreamName: "2024/06/01/[$LATEST]abcdef",
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 30_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
} satisfies Context;
