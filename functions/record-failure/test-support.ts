import { SFNClient, type GetExecutionHistoryCommandOutput, type HistoryEvent } from "@aws-sdk/client-sfn";
import { SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { DynamoDBDocumentClient, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { lambdaContextFor } from "../shared/testing/lambda-context";

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

export const lambdaContext = lambdaContextFor("record-failure");

/**
 * The clients the failure recorder calls, mocked and reset before each test: catalogue updates and
 * failure messages succeed unless a test says otherwise. Call once at a test file's top level.
 */
export function mockRecordFailureClients() {
  const stepFunctions = mockClient(SFNClient);
  const dynamo = mockClient(DynamoDBDocumentClient);
  const sqs = mockClient(SQSClient);
  beforeEach(() => {
    stepFunctions.reset();
    dynamo.reset();
    sqs.reset();
    dynamo.on(UpdateCommand).resolves({});
    sqs.on(SendMessageCommand).resolves({ MessageId: "5fea7756-0ea4-451a-a703-a558b933e274" });
  });
  return { stepFunctions, dynamo, sqs };
}
