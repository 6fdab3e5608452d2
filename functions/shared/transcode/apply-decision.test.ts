process.env.AWS_REGION = "us-west-2";
process.env.POWERTOOLS_LOG_LEVEL = "SILENT";

import {
  SFNClient,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  TaskDoesNotExist,
} from "@aws-sdk/client-sfn";
import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
// Brings the toHaveReceivedCommand… matcher types in (tsconfig "types" lists only node and jest).
import type {} from "aws-sdk-client-mock-jest";
import type { TaskItem } from "../ledger/items";
import type { TranscodeResult } from "../contract/workflow";
import { applyDecision } from "./apply-decision";

const sfnMock = mockClient(SFNClient);
const dynamoMock = mockClient(DynamoDBDocumentClient);

const EXECUTION_ARN = "arn:aws:states:us-west-2:111122223333:execution:vod-ingest:2f0c7d1e";
const NOW = new Date("2025-03-01T10:00:00.000Z");
const CONTEXT = { ledgerTable: "ledger", catalogueTable: "catalogue", now: NOW };

const task: TaskItem = {
  pk: "task#4306848e75a22d412fed3f08a68cd465",
  correlationId: "4306848e75a22d412fed3f08a68cd465",
  assetId: "lecture-01-final_3f9a2c",
  revision: "0a1b2c3d4e5f",
  executionArn: EXECUTION_ARN,
  taskToken: "token-1",
  jobId: "1671476818694-phptj0",
  submittedAt: "2025-03-01T09:00:00.000Z",
  outputPrefix: "s3://vod-output/lecture-01-final_3f9a2c/0a1b2c3d4e5f/",
  packagingSource: "hls-ts",
  outputs: {
    cmafHlsManifest: "s3://vod-output/a/cmaf/index.m3u8",
    cmafDashManifest: "s3://vod-output/a/cmaf/index.mpd",
    packagingManifest: "s3://vod-output/a/hls/index.m3u8",
    posterImage: "s3://vod-output/a/poster/index_poster.0000001.jpg",
  },
  renditions: [{ widthPx: 1280, heightPx: 720, maxBitrate: 6_000_000 }],
  waiting: "1",
};
const facts = { jobId: "1671476818694-phptj0", state: "PROGRESSING" as const, percentComplete: 50 };

beforeEach(() => {
  sfnMock.reset();
  dynamoMock.reset();
  sfnMock.resolves({});
  dynamoMock.on(UpdateCommand).resolves({});
});

describe("applyDecision", () => {
  it("closes the task in the ledger when a heartbeat finds it gone (TaskDoesNotExist)", async () => {
    // Prepare
    sfnMock.on(SendTaskHeartbeatCommand).rejects(new TaskDoesNotExist({ message: "gone", $metadata: {} }));

    // Act
    const action = await applyDecision(task, facts, { kind: "heartbeat" }, unusedResult, CONTEXT);

    // Assess
    expect(action).toBe("closed-elsewhere");
    expect(dynamoMock).toHaveReceivedCommandWith(UpdateCommand, {
      TableName: "ledger",
      ConditionExpression: "#taskToken = :token",
      ExpressionAttributeValues: expect.objectContaining({
        ":outcome": "CLOSED_ELSEWHERE",
        ":token": "token-1",
        ":expiresAt": Math.floor(NOW.getTime() / 1000) + 30 * 86_400,
      }),
    });
  });

  it("leaves a task waiting when a retry stored a newer token meanwhile", async () => {
    // Prepare: the close is conditioned on the token it answered.
    dynamoMock
      .on(UpdateCommand, { TableName: "ledger" })
      .rejects(
        new ConditionalCheckFailedException({ message: "The conditional request failed", $metadata: {} }),
      );

    // Act
    const action = applyDecision(task, facts, { kind: "succeed" }, () => result, CONTEXT);

    // Assess
    await expect(action).resolves.toBe("succeeded");
  });

  it("refuses to send a result larger than SendTaskSuccess accepts", async () => {
    // Prepare
    const huge = { ...result, posterImage: `s3://vod-output/${"p".repeat(300_000)}.jpg` };

    // Act
    const action = applyDecision(task, facts, { kind: "succeed" }, () => huge, CONTEXT);

    // Assess
    await expect(action).rejects.toThrow(/output limit/);
    expect(sfnMock).toHaveReceivedCommandTimes(SendTaskSuccessCommand, 0);
  });

  it("does not write progress over a task that closed between the heartbeat and the write", async () => {
    // Prepare
    dynamoMock
      .on(UpdateCommand, { TableName: "ledger" })
      .rejects(
        new ConditionalCheckFailedException({ message: "The conditional request failed", $metadata: {} }),
      );

    // Act
    const action = await applyDecision(
      task,
      facts,
      { kind: "heartbeat", progress: { percent: 50, at: NOW.toISOString() } },
      unusedResult,
      CONTEXT,
    );

    // Assess
    expect(action).toBe("heartbeat");
    expect(dynamoMock).not.toHaveReceivedCommandWith(UpdateCommand, { TableName: "catalogue" });
  });
});

const result: TranscodeResult = {
  jobId: "1671476818694-phptj0",
  durationMs: 61_000,
  renditions: task.renditions,
  ...task.outputs,
};

function unusedResult(): TranscodeResult {
  throw new Error("the result is only built for a succeeded job");
}
