import { CATALOGUE_TABLE, LEDGER_TABLE } from "./test-env";
import {
  SFNClient,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  TaskTimedOut,
} from "@aws-sdk/client-sfn";
import {
  DynamoDBDocumentClient,
  GetCommand,
  UpdateCommand,
  type UpdateCommandInput,
} from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
// Brings the toHaveReceivedCommand… matcher types in (tsconfig "types" lists only node and jest).
import type {} from "aws-sdk-client-mock-jest";
import type { TaskItem } from "../shared/ledger/items";
import { logger } from "../shared/runtime/powertools";
import { handler } from "./handler";
import {
  CORRELATION_ID,
  JOB_ID,
  OUTPUT_PREFIX,
  TASK_TOKEN,
  jobEvent,
  lambdaContext,
  waitingTask,
} from "./test-support";

const sfnMock = mockClient(SFNClient);
const dynamoMock = mockClient(DynamoDBDocumentClient);

/** The ledger holds `task` under the fixtures' correlation id (nothing when undefined). */
function givenTask(task: TaskItem | undefined): void {
  dynamoMock
    .on(GetCommand, { TableName: LEDGER_TABLE, Key: { pk: `task#${CORRELATION_ID}` } })
    .resolves({ Item: task });
}

function updatesTo(table: string): UpdateCommandInput[] {
  return dynamoMock
    .commandCalls(UpdateCommand)
    .map((call) => call.args[0].input)
    .filter((input) => input.TableName === table);
}

/** The value the catalogue row update sets for a field (shared/catalogue/update-row.ts names fields #f0, #f1, …). */
function rowField(field: string): unknown {
  const update = updatesTo(CATALOGUE_TABLE).at(-1);
  const name = Object.entries(update?.ExpressionAttributeNames ?? {}).find(([, f]) => f === field)?.[0];
  return name ? update?.ExpressionAttributeValues?.[name.replace("#f", ":v")] : undefined;
}

/** The ledger update that ended the wait, if any. */
function taskClosing(): UpdateCommandInput | undefined {
  return updatesTo(LEDGER_TABLE).find((input) => input.UpdateExpression?.startsWith("REMOVE #waiting"));
}

function successOutput(): Record<string, unknown> {
  const call = sfnMock.commandCalls(SendTaskSuccessCommand)[0];
  return JSON.parse(call?.args[0].input.output ?? "null");
}

beforeEach(() => {
  sfnMock.reset();
  dynamoMock.reset();
  dynamoMock.on(UpdateCommand).resolves({});
  sfnMock.resolves({});
});

describe("handle-job-event", () => {
  it("completes the waiting task with the manifests, renditions, duration and poster of a COMPLETE event", async () => {
    // Prepare
    givenTask(waitingTask());

    // Act
    const outcome = await handler(jobEvent("complete"), lambdaContext);

    // Assess
    expect(outcome).toBe("succeeded");
    expect(sfnMock).toHaveReceivedCommandTimes(SendTaskSuccessCommand, 1);
    expect(successOutput()).toEqual({
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
    expect(sfnMock.commandCalls(SendTaskSuccessCommand)[0]?.args[0].input.taskToken).toBe(TASK_TOKEN);
  });

  it("picks the CMAF manifests by extension even when playlistFilePaths lists the .m3u8 first", async () => {
    // Prepare
    givenTask(waitingTask());
    const event = jobEvent("complete");
    const cmaf = event.detail.outputGroupDetails?.find((g) => g.type === "CMAF_GROUP");
    cmaf?.playlistFilePaths?.reverse();

    // Act
    await handler(event, lambdaContext);

    // Assess
    expect(successOutput()).toMatchObject({
      cmafHlsManifest: `${OUTPUT_PREFIX}cmaf/index.m3u8`,
      cmafDashManifest: `${OUTPUT_PREFIX}cmaf/index.mpd`,
    });
  });

  it("registers the CMAF .m3u8 with MediaPackage when the task's packagingSource is cmaf", async () => {
    // Prepare
    givenTask(waitingTask({ packagingSource: "cmaf" }));

    // Act
    await handler(jobEvent("complete"), lambdaContext);

    // Assess
    expect(successOutput()).toMatchObject({ packagingManifest: `${OUTPUT_PREFIX}cmaf/index.m3u8` });
  });

  it("writes the title's facts to the catalogue row and ends the wait after a COMPLETE event", async () => {
    // Prepare
    givenTask(waitingTask());

    // Act
    await handler(jobEvent("complete"), lambdaContext);

    // Assess
    expect(rowField("durationMs")).toBe(61056);
    expect(rowField("posterImage")).toBe(`${OUTPUT_PREFIX}poster/index_poster.0000001.jpg`);
    expect(rowField("job")).toEqual({
      id: JOB_ID,
      progressPercent: 100,
      submittedAt: "2022-12-19T19:00:00.000Z",
    });
    const rowUpdate = updatesTo(CATALOGUE_TABLE)[0];
    expect(rowUpdate?.ExpressionAttributeValues).toMatchObject({
      ":revision": "0a1b2c3d4e5f",
      ":jobId": JOB_ID,
    });
    // A job of an earlier attempt that reports late must not write over the row of the current one.
    expect(rowUpdate?.ConditionExpression).toBe(
      "#revision = :revision AND (attribute_not_exists(#job.#jobId) OR #job.#jobId = :jobId)",
    );
    expect(taskClosing()).toMatchObject({
      Key: { pk: `task#${CORRELATION_ID}` },
      ConditionExpression: "#taskToken = :token",
      ExpressionAttributeValues: expect.objectContaining({ ":outcome": "SUCCEEDED", ":token": TASK_TOKEN }),
    });
  });

  it("fails the task with Vod.TranscodeFailed and MediaConvert's code and message on ERROR 1010", async () => {
    // Prepare
    givenTask(waitingTask());
    const event = jobEvent("error");

    // Act
    const outcome = await handler(event, lambdaContext);

    // Assess
    expect(outcome).toBe("failed");
    expect(sfnMock).toHaveReceivedCommandWith(SendTaskFailureCommand, {
      taskToken: TASK_TOKEN,
      error: "Vod.TranscodeFailed",
    });
    const cause = sfnMock.commandCalls(SendTaskFailureCommand)[0]?.args[0].input.cause ?? "";
    expect(JSON.parse(cause)).toEqual({
      jobId: JOB_ID,
      errorCode: 1010,
      errorMessage: event.detail.errorMessage,
    });
    expect(sfnMock).toHaveReceivedCommandTimes(SendTaskSuccessCommand, 0);
    expect(taskClosing()?.ExpressionAttributeValues?.[":outcome"]).toBe("FAILED");
  });

  it("fails the task with Vod.TranscodeCanceled when the job is canceled", async () => {
    // Prepare
    givenTask(waitingTask());

    // Act
    await handler(jobEvent("canceled"), lambdaContext);

    // Assess
    expect(sfnMock).toHaveReceivedCommandWith(SendTaskFailureCommand, { error: "Vod.TranscodeCanceled" });
    expect(taskClosing()?.ExpressionAttributeValues?.[":outcome"]).toBe("CANCELED");
  });

  it("heartbeats the task and records the job's progress on a STATUS_UPDATE", async () => {
    // Prepare
    givenTask(waitingTask({ lastProgressPercent: 3, lastProgressAt: "2022-12-19T19:20:21.000Z" }));

    // Act
    const outcome = await handler(jobEvent("status-update"), lambdaContext);

    // Assess
    expect(outcome).toBe("heartbeat");
    expect(sfnMock).toHaveReceivedCommandWith(SendTaskHeartbeatCommand, { taskToken: TASK_TOKEN });
    const progress = updatesTo(LEDGER_TABLE).find(
      (u) => u.ExpressionAttributeValues?.[":percent"] !== undefined,
    );
    expect(progress).toMatchObject({
      ConditionExpression: "attribute_exists(#waiting)",
      ExpressionAttributeValues: expect.objectContaining({ ":percent": 7 }),
    });
    expect(rowField("job")).toEqual({
      id: JOB_ID,
      progressPercent: 7,
      submittedAt: "2022-12-19T19:00:00.000Z",
    });
    expect(taskClosing()).toBeUndefined();
  });

  it("heartbeats the task and records when the job left the queue on PROGRESSING", async () => {
    // Prepare
    givenTask(waitingTask());

    // Act
    await handler(jobEvent("progressing"), lambdaContext);

    // Assess
    expect(sfnMock).toHaveReceivedCommandTimes(SendTaskHeartbeatCommand, 1);
    const started = updatesTo(LEDGER_TABLE).find((u) => u.ExpressionAttributeValues?.[":startedAt"]);
    expect(started?.ExpressionAttributeValues?.[":startedAt"]).toBe("2022-12-19T19:20:21.654Z");
  });

  it("logs and returns normally when a COMPLETE arrives for a task that already timed out", async () => {
    // Prepare
    givenTask(waitingTask());
    sfnMock.on(SendTaskSuccessCommand).rejects(
      new TaskTimedOut({
        message: "Task Timed Out: 'Provided task does not exist anymore'",
        $metadata: {},
      }),
    );
    const warn = jest.spyOn(logger, "warn");

    // Act
    const outcome = await handler(jobEvent("complete"), lambdaContext);

    // Assess
    expect(outcome).toBe("closed-elsewhere");
    expect(warn).toHaveBeenCalledWith(expect.stringContaining("task already closed"), {
      reason: "TaskTimedOut",
    });
    expect(taskClosing()?.ExpressionAttributeValues?.[":outcome"]).toBe("CLOSED_ELSEWHERE");
    warn.mockRestore();
  });

  it("sends nothing for an event of another stack", async () => {
    // Prepare
    givenTask(waitingTask());
    const event = jobEvent("complete");
    event.detail.userMetadata = { ...event.detail.userMetadata, stack: "vod-ingest-prod" };

    // Act
    const outcome = await handler(event, lambdaContext);

    // Assess
    expect(outcome).toBe("foreign-stack");
    expect(sfnMock.calls()).toHaveLength(0);
    expect(dynamoMock.calls()).toHaveLength(0);
  });

  it("sends nothing for a job without userMetadata (a job this pipeline did not create)", async () => {
    // Prepare
    const event = jobEvent("complete");
    event.detail.userMetadata = {};

    // Act
    const outcome = await handler(event, lambdaContext);

    // Assess
    expect(outcome).toBe("foreign-stack");
    expect(sfnMock.calls()).toHaveLength(0);
  });

  it("sends nothing for an unknown correlation id", async () => {
    // Prepare
    givenTask(undefined);

    // Act
    const outcome = await handler(jobEvent("complete"), lambdaContext);

    // Assess
    expect(outcome).toBe("late-or-unknown");
    expect(dynamoMock).toHaveReceivedCommandWith(GetCommand, { ConsistentRead: true });
    expect(sfnMock.calls()).toHaveLength(0);
    expect(updatesTo(CATALOGUE_TABLE)).toHaveLength(0);
  });

  it("sends nothing for a late event whose task no longer waits", async () => {
    // Prepare
    const { waiting: _waiting, ...closed } = waitingTask({ outcome: "SUCCEEDED" });
    givenTask(closed);

    // Act
    const outcome = await handler(jobEvent("status-update"), lambdaContext);

    // Assess
    expect(outcome).toBe("late-or-unknown");
    expect(sfnMock.calls()).toHaveLength(0);
  });

  it("ignores an event of a second job of the same attempt", async () => {
    // Prepare
    givenTask(waitingTask({ jobId: "1671476800000-other1" }));

    // Act
    const outcome = await handler(jobEvent("error"), lambdaContext);

    // Assess
    expect(outcome).toBe("other-job");
    expect(sfnMock.calls()).toHaveLength(0);
  });

  it("records the event's job id when submit-job died before recording it", async () => {
    // Prepare
    givenTask(waitingTask({ jobId: undefined }));

    // Act
    await handler(jobEvent("progressing"), lambdaContext);

    // Assess
    expect(dynamoMock).toHaveReceivedCommandWith(UpdateCommand, {
      TableName: LEDGER_TABLE,
      UpdateExpression: "SET #jobId = if_not_exists(#jobId, :jobId) REMOVE #pending",
      ExpressionAttributeValues: { ":jobId": JOB_ID },
    });
    expect(sfnMock).toHaveReceivedCommandTimes(SendTaskHeartbeatCommand, 1);
  });

  it("only logs statuses that say nothing about the wait (NEW_WARNING)", async () => {
    // Prepare
    givenTask(waitingTask());
    const event = jobEvent("progressing");
    event.detail.status = "NEW_WARNING";

    // Act
    const outcome = await handler(event, lambdaContext);

    // Assess
    expect(outcome).toBe("logged-only");
    expect(sfnMock.calls()).toHaveLength(0);
  });

  it("withholds the heartbeat of a job whose progress has not moved for longer than STALLED_JOB_MINUTES", async () => {
    // Prepare: the fixture's progress (7 %) was already seen hours before the event.
    givenTask(waitingTask({ lastProgressPercent: 7, lastProgressAt: "2000-01-01T00:00:00.000Z" }));

    // Act
    const outcome = await handler(jobEvent("status-update"), lambdaContext);

    // Assess
    expect(outcome).toBe("hung");
    expect(sfnMock).toHaveReceivedCommandTimes(SendTaskHeartbeatCommand, 0);
  });

  it("throws Vod.ServiceBusy when Step Functions throttles, so Lambda retries the event", async () => {
    // Prepare
    givenTask(waitingTask());
    sfnMock.on(SendTaskHeartbeatCommand).rejects(
      Object.assign(new Error("Rate exceeded"), {
        name: "ThrottlingException",
        $fault: "client",
        $metadata: { httpStatusCode: 400 },
      }),
    );

    // Act
    const invocation = handler(jobEvent("status-update"), lambdaContext);

    // Assess
    await expect(invocation).rejects.toMatchObject({ name: "Vod.ServiceBusy" });
  });
});
