import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { GetExecutionHistoryCommand } from "@aws-sdk/client-sfn";
import { SendMessageCommand } from "@aws-sdk/client-sqs";
import { UpdateCommand, type UpdateCommandInput } from "@aws-sdk/lib-dynamodb";
import executionFailed from "./events/execution-failed.json";
import executionRunningRedriven from "./events/execution-running-redriven.json";
import executionSucceeded from "./events/execution-succeeded.json";
import failedAtRegister from "./events/history-failed-at-register.json";
import failedAtTranscode from "./events/history-failed-at-transcode.json";
import failedBeforeClaim from "./events/history-failed-before-claim.json";
import redrivenAtRegister from "./events/history-redriven-at-register.json";
import type { FailureMessage } from "./failures-queue";
import { makeRecordFailure } from "./record-failure";
import { ExecutionStatusChangeSchema, type ExecutionStatusChange } from "./schema";
import {
  historyEvents,
  historyPage,
  lambdaContext,
  mockRecordFailureClients,
  type HistoryFixture,
} from "./test-support";
import { setFunctionEnvironment } from "../shared/testing/env";
import { RecordFailureEnvSchema } from "./env";

const { CATALOGUE_TABLE, FAILURES_QUEUE_URL } = setFunctionEnvironment(RecordFailureEnvSchema, {
  CATALOGUE_TABLE: "vod-ingest-catalogue",
  FAILURES_QUEUE_URL: "https://sqs.us-east-1.amazonaws.com/123456789012/vod-ingest-failed-executions",
});

const { stepFunctions, dynamo, sqs } = mockRecordFailureClients();

const recordFailure = makeRecordFailure({
  catalogueTable: CATALOGUE_TABLE,
  failuresQueueUrl: FAILURES_QUEUE_URL,
});

const EXECUTION_ARN = executionFailed.detail.executionArn;
const CONSOLE_URL = `https://us-east-1.console.aws.amazon.com/states/home?region=us-east-1#/v2/executions/details/${EXECUTION_ARN}`;

/** A fixture event, parsed the way the handler's middleware parses it. */
function statusChange(fixture: unknown): ExecutionStatusChange {
  return ExecutionStatusChangeSchema.parse(structuredClone(fixture));
}

function withHistory(fixture: HistoryFixture): void {
  stepFunctions.on(GetExecutionHistoryCommand).resolves(historyPage(fixture));
}

function rowUpdate(): UpdateCommandInput {
  const calls = dynamo.commandCalls(UpdateCommand);
  expect(calls).toHaveLength(1);
  return calls[0]!.args[0].input;
}

function queuedMessage(): FailureMessage {
  const calls = sqs.commandCalls(SendMessageCommand);
  expect(calls).toHaveLength(1);
  return JSON.parse(calls[0]!.args[0].input.MessageBody!) as FailureMessage;
}

describe("recordFailure", () => {
  it("marks the row FAILED with MediaConvert's error code and message at Transcode To CMAF, and queues one message", async () => {
    // Prepare
    withHistory(failedAtTranscode);

    // Act
    const outcome = await recordFailure(statusChange(executionFailed), lambdaContext);

    // Assess
    expect(stepFunctions).toHaveReceivedCommandWith(GetExecutionHistoryCommand, {
      executionArn: EXECUTION_ARN,
      includeExecutionData: true,
    });
    const update = rowUpdate();
    expect(update).toMatchObject({
      TableName: CATALOGUE_TABLE,
      Key: { assetId: "lecture-01-final-3f9a2c" },
      UpdateExpression: "SET #status = :status, #error = :error, #execution = :execution, #updatedAt = :now",
    });
    expect(update.ExpressionAttributeValues).toMatchObject({
      ":status": "FAILED",
      ":revision": "0a1b2c3d4e5f",
      ":error": {
        code: "MediaConvert.1010",
        message:
          "Unable to open input file [s3://vod-source-123456789012/courses/lecture 01 (final).mov]: [Failed probe/open: [No parser found for container]] (MediaConvert job 1717171717171-abcdef)",
        state: "Transcode To CMAF",
      },
      ":execution": { arn: EXECUTION_ARN, consoleUrl: CONSOLE_URL, redriveCount: 0 },
    });
    expect(sqs).toHaveReceivedCommandWith(SendMessageCommand, { QueueUrl: FAILURES_QUEUE_URL });
    expect(queuedMessage()).toEqual({
      assetId: "lecture-01-final-3f9a2c",
      source: {
        bucket: "vod-source-123456789012",
        key: "courses/lecture 01 (final).mov",
        versionId: "3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY",
      },
      status: "FAILED",
      error: expect.objectContaining({ code: "MediaConvert.1010", state: "Transcode To CMAF" }),
      failedState: "Transcode To CMAF",
      executionArn: EXECUTION_ARN,
      consoleUrl: CONSOLE_URL,
      redriveCount: 0,
      failedAt: "2024-06-01T10:42:21.881Z",
    });
    expect(outcome).toMatchObject({ action: "failed", rowUpdated: true });
  });

  it("reads a history that spans several pages, the claim on the first and the failure on the last", async () => {
    // Prepare
    const events = historyEvents(failedAtTranscode);
    stepFunctions
      .on(GetExecutionHistoryCommand, { nextToken: undefined })
      .resolves({ events: events.slice(0, 7), nextToken: "page-2" })
      .on(GetExecutionHistoryCommand, { nextToken: "page-2" })
      .resolves({ events: events.slice(7) });

    // Act
    await recordFailure(statusChange(executionFailed), lambdaContext);

    // Assess
    expect(stepFunctions).toHaveReceivedCommandTimes(GetExecutionHistoryCommand, 2);
    expect(stepFunctions).toHaveReceivedNthSpecificCommandWith(1, GetExecutionHistoryCommand, {
      maxResults: 1_000,
    });
    expect(rowUpdate().ExpressionAttributeValues).toMatchObject({
      ":error": { code: "MediaConvert.1010", state: "Transcode To CMAF" },
    });
  });

  it("only writes over a row of the same revision still at this attempt or an earlier one", async () => {
    // Prepare
    withHistory(failedAtTranscode);

    // Act
    await recordFailure(statusChange(executionFailed), lambdaContext);

    // Assess
    expect(rowUpdate().ConditionExpression).toBe(
      "#revision = :revision AND (attribute_not_exists(#execution.#redriveCount) OR #execution.#redriveCount <= :redriveCount)",
    );
  });

  it("marks the row FAILED at Register With MediaPackage when CreateAsset was forbidden, reading the error from the history", async () => {
    // Prepare
    withHistory(failedAtRegister);
    const event = structuredClone(executionFailed) as Record<string, unknown> & typeof executionFailed;
    delete (event.detail as Partial<typeof event.detail>).error;
    delete (event.detail as Partial<typeof event.detail>).cause;

    // Act
    await recordFailure(statusChange(event), lambdaContext);

    // Assess
    expect(rowUpdate().ExpressionAttributeValues?.[":error"]).toEqual({
      code: "ForbiddenException",
      message:
        "User: arn:aws:sts::123456789012:assumed-role/vod-ingest-register-asset-role/vod-ingest-register-asset is not authorized to perform: iam:PassRole on resource: arn:aws:iam::123456789012:role/vod-ingest-packaging-role",
      state: "Register With MediaPackage",
    });
    expect(queuedMessage().failedState).toBe("Register With MediaPackage");
  });

  it("explains a heartbeat timeout of the transcode in words an operator can act on", async () => {
    // Prepare
    const history = structuredClone(failedAtTranscode) as HistoryFixture & typeof failedAtTranscode;
    const events = history.events as Record<string, unknown>[];
    const taskFailed = events.findIndex((e) => e.type === "TaskFailed");
    events[taskFailed] = {
      ...events[taskFailed],
      type: "TaskTimedOut",
      taskFailedEventDetails: undefined,
      taskTimedOutEventDetails: {
        resourceType: "lambda",
        resource: "invoke.waitForTaskToken",
        error: "States.HeartbeatTimeout",
      },
    };
    events[events.length - 1] = {
      ...events[events.length - 1],
      executionFailedEventDetails: { error: "States.HeartbeatTimeout" },
    };
    withHistory(history);
    const event = structuredClone(executionFailed);
    event.detail.error = "States.HeartbeatTimeout";
    (event.detail as { cause: string | null }).cause = null;

    // Act
    await recordFailure(statusChange(event), lambdaContext);

    // Assess
    expect(rowUpdate().ExpressionAttributeValues?.[":error"]).toEqual({
      code: "States.HeartbeatTimeout",
      message:
        "The MediaConvert job stopped reporting progress (hung, or queued longer than maxQueueWaitHours). Redrive to submit a new job.",
      state: "Transcode To CMAF",
    });
  });

  it("queues a failure before the claim with the source from the execution input, and writes no row", async () => {
    // Prepare
    withHistory(failedBeforeClaim);
    const event = structuredClone(executionFailed);
    event.detail.error = "AccessDenied";
    event.detail.cause = JSON.stringify({ errorType: "AccessDenied", errorMessage: "Access Denied" });

    // Act
    const outcome = await recordFailure(statusChange(event), lambdaContext);

    // Assess
    expect(dynamo).toHaveReceivedCommandTimes(UpdateCommand, 0);
    expect(queuedMessage()).toMatchObject({
      assetId: null,
      source: {
        bucket: "vod-source-123456789012",
        key: "courses/lecture 01 (final).mov",
        versionId: "3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY",
      },
      error: { code: "AccessDenied", message: "Access Denied", state: "Claim Upload" },
      executionArn: EXECUTION_ARN,
    });
    expect(outcome).toMatchObject({ action: "failed", rowUpdated: false });
  });

  it("still queues the failure when a later attempt or a newer upload owns the row", async () => {
    // Prepare
    withHistory(failedAtTranscode);
    dynamo
      .on(UpdateCommand)
      .rejects(new ConditionalCheckFailedException({ message: "failed", $metadata: {} }));

    // Act
    const outcome = await recordFailure(statusChange(executionFailed), lambdaContext);

    // Assess
    expect(outcome).toMatchObject({ action: "failed", rowUpdated: false });
    expect(queuedMessage().assetId).toBe("lecture-01-final-3f9a2c");
  });

  it("moves the row back to PACKAGING and removes the error when a redrive of Register With MediaPackage starts", async () => {
    // Prepare
    withHistory(redrivenAtRegister);

    // Act
    const outcome = await recordFailure(statusChange(executionRunningRedriven), lambdaContext);

    // Assess
    const update = rowUpdate();
    expect(update).toMatchObject({
      Key: { assetId: "lecture-01-final-3f9a2c" },
      UpdateExpression: "SET #status = :status, #execution = :execution, #updatedAt = :now REMOVE #error",
      ConditionExpression:
        "#revision = :revision AND (attribute_not_exists(#execution.#redriveCount) OR #execution.#redriveCount < :redriveCount)",
    });
    expect(update.ExpressionAttributeValues).toMatchObject({
      ":status": "PACKAGING",
      ":revision": "0a1b2c3d4e5f",
      ":execution": { arn: EXECUTION_ARN, consoleUrl: CONSOLE_URL, redriveCount: 1 },
    });
    expect(sqs).toHaveReceivedCommandTimes(SendMessageCommand, 0);
    expect(outcome).toEqual({ action: "resumed", rowUpdated: true });
  });

  it("ignores the RUNNING event of a first attempt", async () => {
    // Prepare
    const event = structuredClone(executionRunningRedriven);
    event.detail.redriveCount = 0;

    // Act
    const outcome = await recordFailure(statusChange(event), lambdaContext);

    // Assess
    expect(outcome.action).toBe("ignored");
    expect(stepFunctions).toHaveReceivedCommandTimes(GetExecutionHistoryCommand, 0);
    expect(dynamo).toHaveReceivedCommandTimes(UpdateCommand, 0);
  });

  it("writes nothing for a SUCCEEDED execution", async () => {
    // Act
    const outcome = await recordFailure(statusChange(executionSucceeded), lambdaContext);

    // Assess
    expect(outcome.action).toBe("ignored");
    expect(stepFunctions).toHaveReceivedCommandTimes(GetExecutionHistoryCommand, 0);
    expect(dynamo).toHaveReceivedCommandTimes(UpdateCommand, 0);
    expect(sqs).toHaveReceivedCommandTimes(SendMessageCommand, 0);
  });
});
