import {
  CATALOGUE_TABLE,
  LEDGER_TABLE,
  LEDGER_WAITING_INDEX,
  MAX_QUEUE_WAIT_MINUTES,
  STALLED_JOB_MINUTES,
} from "./test-env";
import { GetJobCommand, MediaConvertClient, NotFoundException } from "@aws-sdk/client-mediaconvert";
import {
  SFNClient,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  TaskTimedOut,
} from "@aws-sdk/client-sfn";
import {
  DynamoDBDocumentClient,
  QueryCommand,
  UpdateCommand,
  type UpdateCommandInput,
} from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
// Brings the toHaveReceivedCommand… matcher types in (tsconfig "types" lists only node and jest).
import type {} from "aws-sdk-client-mock-jest";
import type { TaskItem } from "../shared/ledger/items";
import { handler } from "./handler";
import { reconcileJobs, type ReconcileConfig } from "./reconcile-jobs";
import {
  JOB_ID,
  NOW,
  OUTPUT_PREFIX,
  lambdaContext,
  mediaConvertJob,
  minutesAgo,
  waitingTask,
} from "./test-support";

const sfnMock = mockClient(SFNClient);
const dynamoMock = mockClient(DynamoDBDocumentClient);
const mediaConvertMock = mockClient(MediaConvertClient);

const config: ReconcileConfig = {
  ledgerTable: LEDGER_TABLE,
  waitingIndex: LEDGER_WAITING_INDEX,
  catalogueTable: CATALOGUE_TABLE,
  limits: { maxQueueWaitMinutes: MAX_QUEUE_WAIT_MINUTES, stalledJobMinutes: STALLED_JOB_MINUTES },
  concurrency: 2,
};

/** The ledger's open tasks, returned by a Query of the waiting-tasks index in pages. */
function givenWaiting(...pages: TaskItem[][]): void {
  const scan = dynamoMock.on(QueryCommand, { TableName: LEDGER_TABLE, IndexName: LEDGER_WAITING_INDEX });
  pages.forEach((items, i) => {
    const last = i === pages.length - 1;
    scan.resolvesOnce({ Items: items, LastEvaluatedKey: last ? undefined : { pk: `page-${i}` } });
  });
}

function ledgerUpdates(): UpdateCommandInput[] {
  return dynamoMock
    .commandCalls(UpdateCommand)
    .map((call) => call.args[0].input)
    .filter((input) => input.TableName === LEDGER_TABLE);
}

beforeEach(() => {
  sfnMock.reset();
  dynamoMock.reset();
  mediaConvertMock.reset();
  sfnMock.resolves({});
  dynamoMock.on(UpdateCommand).resolves({});
});

describe("reconcile-jobs", () => {
  it("completes the task of a COMPLETE job whose event never came, with the layout's paths", async () => {
    // Prepare
    givenWaiting([waitingTask("a")]);
    mediaConvertMock.on(GetJobCommand, { Id: JOB_ID }).resolves({ Job: mediaConvertJob() });

    // Act
    const summary = await reconcileJobs(config, NOW);

    // Assess
    expect(summary).toMatchObject({ waiting: 1, completed: 1, failed: 0, heartbeats: 0 });
    const output = sfnMock.commandCalls(SendTaskSuccessCommand)[0]?.args[0].input;
    expect(output?.taskToken).toBe("token-a");
    expect(JSON.parse(output?.output ?? "null")).toEqual({
      jobId: JOB_ID,
      durationMs: 61056,
      renditions: [
        { widthPx: 1920, heightPx: 1080, maxBitrate: 8_500_000 },
        { widthPx: 1280, heightPx: 720, maxBitrate: 6_000_000 },
      ],
      cmafHlsManifest: `${OUTPUT_PREFIX}cmaf/index.m3u8`,
      cmafDashManifest: `${OUTPUT_PREFIX}cmaf/index.mpd`,
      posterImage: `${OUTPUT_PREFIX}poster/index_poster.0000001.jpg`,
      packagingManifest: `${OUTPUT_PREFIX}hls/index.m3u8`,
    });
    expect(ledgerUpdates().find((u) => u.UpdateExpression?.startsWith("REMOVE #waiting"))).toBeDefined();
  });

  it("fails the task of an ERROR job with its ErrorCode and ErrorMessage", async () => {
    // Prepare
    givenWaiting([waitingTask("a")]);
    mediaConvertMock.on(GetJobCommand).resolves({
      Job: mediaConvertJob({ Status: "ERROR", ErrorCode: 1030, ErrorMessage: "Unsupported codec" }),
    });

    // Act
    const summary = await reconcileJobs(config, NOW);

    // Assess
    expect(summary).toMatchObject({ failed: 1, completed: 0 });
    expect(sfnMock).toHaveReceivedCommandWith(SendTaskFailureCommand, {
      taskToken: "token-a",
      error: "Vod.TranscodeFailed",
    });
    const cause = sfnMock.commandCalls(SendTaskFailureCommand)[0]?.args[0].input.cause ?? "";
    expect(JSON.parse(cause)).toEqual({ jobId: JOB_ID, errorCode: 1030, errorMessage: "Unsupported codec" });
  });

  it("fails the task of a CANCELED job with Vod.TranscodeCanceled", async () => {
    // Prepare
    givenWaiting([waitingTask("a")]);
    mediaConvertMock.on(GetJobCommand).resolves({ Job: mediaConvertJob({ Status: "CANCELED" }) });

    // Act
    await reconcileJobs(config, NOW);

    // Assess
    expect(sfnMock).toHaveReceivedCommandWith(SendTaskFailureCommand, { error: "Vod.TranscodeCanceled" });
  });

  it("heartbeats a job queued within the queue limit", async () => {
    // Prepare
    givenWaiting([waitingTask("a")]);
    mediaConvertMock.on(GetJobCommand).resolves({
      Job: mediaConvertJob({
        Status: "SUBMITTED",
        JobPercentComplete: undefined,
        Timing: { SubmitTime: new Date(minutesAgo(600)) },
      }),
    });

    // Act
    const summary = await reconcileJobs(config, NOW);

    // Assess
    expect(summary).toMatchObject({ heartbeats: 1, queuedTooLong: 0 });
    expect(sfnMock).toHaveReceivedCommandWith(SendTaskHeartbeatCommand, { taskToken: "token-a" });
  });

  it("withholds the heartbeat of a job queued longer than the queue limit", async () => {
    // Prepare
    givenWaiting([waitingTask("a", { submittedAt: minutesAgo(MAX_QUEUE_WAIT_MINUTES + 5) })]);
    mediaConvertMock.on(GetJobCommand).resolves({
      Job: mediaConvertJob({
        Status: "SUBMITTED",
        JobPercentComplete: undefined,
        Timing: { SubmitTime: new Date(minutesAgo(MAX_QUEUE_WAIT_MINUTES + 5)) },
      }),
    });

    // Act
    const summary = await reconcileJobs(config, NOW);

    // Assess
    expect(summary).toMatchObject({ queuedTooLong: 1, heartbeats: 0 });
    expect(sfnMock.calls()).toHaveLength(0);
    expect(ledgerUpdates()).toHaveLength(0);
  });

  it("withholds the heartbeat of a PROGRESSING job with no progress for longer than STALLED_JOB_MINUTES", async () => {
    // Prepare
    givenWaiting([
      waitingTask("a", { lastProgressPercent: 42, lastProgressAt: minutesAgo(STALLED_JOB_MINUTES + 1) }),
    ]);
    mediaConvertMock.on(GetJobCommand).resolves({
      Job: mediaConvertJob({
        Status: "PROGRESSING",
        JobPercentComplete: 42,
        Timing: { SubmitTime: new Date(minutesAgo(300)), StartTime: new Date(minutesAgo(200)) },
      }),
    });

    // Act
    const summary = await reconcileJobs(config, NOW);

    // Assess
    expect(summary).toMatchObject({ stalled: 1, heartbeats: 0 });
    expect(sfnMock).toHaveReceivedCommandTimes(SendTaskHeartbeatCommand, 0);
  });

  it("heartbeats a PROGRESSING job whose progress moved, and records the new percentage", async () => {
    // Prepare
    givenWaiting([
      waitingTask("a", { lastProgressPercent: 42, lastProgressAt: minutesAgo(STALLED_JOB_MINUTES + 1) }),
    ]);
    mediaConvertMock.on(GetJobCommand).resolves({
      Job: mediaConvertJob({ Status: "PROGRESSING", JobPercentComplete: 43 }),
    });

    // Act
    const summary = await reconcileJobs(config, NOW);

    // Assess
    expect(summary).toMatchObject({ heartbeats: 1, stalled: 0 });
    expect(sfnMock).toHaveReceivedCommandWith(SendTaskHeartbeatCommand, { taskToken: "token-a" });
    expect(dynamoMock).toHaveReceivedCommandWith(UpdateCommand, {
      TableName: LEDGER_TABLE,
      ExpressionAttributeValues: expect.objectContaining({ ":percent": 43, ":at": NOW.toISOString() }),
    });
  });

  it("treats a completion the event handler already delivered as harmless", async () => {
    // Prepare
    givenWaiting([waitingTask("a")]);
    mediaConvertMock.on(GetJobCommand).resolves({ Job: mediaConvertJob() });
    sfnMock
      .on(SendTaskSuccessCommand)
      .rejects(new TaskTimedOut({ message: "Task Timed Out", $metadata: {} }));

    // Act
    const summary = await reconcileJobs(config, NOW);

    // Assess
    expect(summary).toMatchObject({ closedElsewhere: 1, completed: 0, errors: 0 });
  });

  it("skips a task that has no job yet without asking MediaConvert", async () => {
    // Prepare
    givenWaiting([waitingTask("a", { jobId: undefined })]);

    // Act
    const summary = await reconcileJobs(config, NOW);

    // Assess
    expect(summary).toMatchObject({ notSubmitted: 1 });
    expect(mediaConvertMock.calls()).toHaveLength(0);
  });

  it("reads every page of the waiting-tasks index, where only open tasks are", async () => {
    // Prepare
    givenWaiting([waitingTask("a"), waitingTask("b")], [waitingTask("c")]);
    mediaConvertMock
      .on(GetJobCommand)
      .resolves({ Job: mediaConvertJob({ Status: "PROGRESSING", JobPercentComplete: 5 }) });

    // Act
    const summary = await reconcileJobs(config, NOW);

    // Assess
    expect(summary).toMatchObject({ waiting: 3, heartbeats: 3 });
    expect(dynamoMock).toHaveReceivedCommandWith(QueryCommand, {
      IndexName: LEDGER_WAITING_INDEX,
      KeyConditionExpression: "#waiting = :waiting",
      ExpressionAttributeValues: { ":waiting": "1" },
      ExclusiveStartKey: { pk: "page-0" },
    });
  });

  it("keeps going when one task cannot be checked, and counts it", async () => {
    // Prepare
    givenWaiting([waitingTask("a", { jobId: "missing-job" }), waitingTask("b")]);
    mediaConvertMock
      .on(GetJobCommand, { Id: "missing-job" })
      .rejects(new NotFoundException({ message: "Job not found", $metadata: {} }));
    mediaConvertMock.on(GetJobCommand, { Id: JOB_ID }).resolves({ Job: mediaConvertJob() });

    // Act
    const summary = await reconcileJobs(config, NOW);

    // Assess
    expect(summary).toMatchObject({ errors: 1, completed: 1 });
  });

  it("runs from the scheduler's invocation through the real handler", async () => {
    // Prepare
    givenWaiting([waitingTask("a")]);
    mediaConvertMock.on(GetJobCommand).resolves({ Job: mediaConvertJob() });

    // Act
    const summary = await handler({}, lambdaContext);

    // Assess
    expect(summary).toMatchObject({ waiting: 1, completed: 1 });
  });
});
