import { GetExecutionHistoryCommand } from "@aws-sdk/client-sfn";
import { SendMessageCommand } from "@aws-sdk/client-sqs";
import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import executionFailed from "./events/execution-failed.json";
import executionSucceeded from "./events/execution-succeeded.json";
import failedAtTranscode from "./events/history-failed-at-transcode.json";
import { handler } from "./handler";
import { historyPage, lambdaContext, mockRecordFailureClients } from "./test-support";
import { setFunctionEnvironment } from "../shared/testing/env";
import { RecordFailureEnvSchema } from "./env";

const { CATALOGUE_TABLE, FAILURES_QUEUE_URL } = setFunctionEnvironment(RecordFailureEnvSchema, {
  CATALOGUE_TABLE: "vod-ingest-catalogue",
  FAILURES_QUEUE_URL: "https://sqs.us-east-1.amazonaws.com/123456789012/vod-ingest-failed-executions",
});

const { stepFunctions, dynamo, sqs } = mockRecordFailureClients();

describe("record-failure handler", () => {
  it("parses the documented event and records the failure in the catalogue and on the failures queue", async () => {
    // Prepare
    stepFunctions.on(GetExecutionHistoryCommand).resolves(historyPage(failedAtTranscode));

    // Act
    await handler(structuredClone(executionFailed), lambdaContext);

    // Assess
    expect(dynamo).toHaveReceivedCommandWith(UpdateCommand, { TableName: CATALOGUE_TABLE });
    expect(sqs).toHaveReceivedCommandWith(SendMessageCommand, { QueueUrl: FAILURES_QUEUE_URL });
  });

  it("writes nothing for a SUCCEEDED execution", async () => {
    // Act
    await handler(structuredClone(executionSucceeded), lambdaContext);

    // Assess
    expect(dynamo).toHaveReceivedCommandTimes(UpdateCommand, 0);
    expect(sqs).toHaveReceivedCommandTimes(SendMessageCommand, 0);
  });

  it("rejects an event that is not a Step Functions status change", async () => {
    // Prepare
    const event = structuredClone(executionFailed);
    event.source = "aws.mediaconvert";

    // Act
    const act = handler(event, lambdaContext);

    // Assess
    await expect(act).rejects.toMatchObject({
      name: "Vod.InvalidTaskInput",
      message: 'input does not match its schema: source: Invalid input: expected "aws.states"',
    });
    expect(dynamo).toHaveReceivedCommandTimes(UpdateCommand, 0);
  });
});
