import { CreateJobCommand, MediaConvertClient, TooManyRequestsException } from "@aws-sdk/client-mediaconvert";
import { SendTaskFailureCommand, SendTaskHeartbeatCommand, TaskTimedOut } from "@aws-sdk/client-sfn";
import { ChangeMessageVisibilityBatchCommand, SQSClient } from "@aws-sdk/client-sqs";
import { mockClient } from "aws-sdk-client-mock";
import type { SQSEvent, SQSRecord } from "aws-lambda";
// Brings the toHaveReceivedCommand… matcher types in (tsconfig "types" lists only node and jest).
import type {} from "aws-sdk-client-mock-jest";
import transcodeRequest from "./events/transcode-request.json";
import { lambdaContextFor } from "../shared/testing/lambda-context";
import { setFunctionEnvironment } from "../shared/testing/env";
import { mockCurrentSourceVersion, mockTaskCallbackClients } from "../shared/testing/aws-mocks";
import { SubmitJobEnvSchema } from "./env";
import { TEST_ENVIRONMENT } from "./test-support";
import { handler } from "./handler";

const { ADMISSION_QUEUE_URL } = setFunctionEnvironment(SubmitJobEnvSchema, {
  ...TEST_ENVIRONMENT,
  // One call per 2 ms per submitter: pacing stays real but costs the test nothing.
  CREATE_JOB_RATE: "1000",
});

const { sfnMock } = mockTaskCallbackClients();
const mediaConvertMock = mockClient(MediaConvertClient);
const sqsMock = mockClient(SQSClient);
mockCurrentSourceVersion(transcodeRequest.upload.source.versionId);
const context = lambdaContextFor("submit-job");

/** An SQS record as the event source mapping delivers it (https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html). */
function record(id: string, body: unknown, receives = 1): SQSRecord {
  return {
    messageId: id,
    receiptHandle: `handle-${id}`,
    body: typeof body === "string" ? body : JSON.stringify(body),
    attributes: {
      ApproximateReceiveCount: String(receives),
      SentTimestamp: String(Date.now() - 5000),
      SenderId: "AROAEXAMPLE:states",
      ApproximateFirstReceiveTimestamp: String(Date.now()),
    },
    messageAttributes: {},
    md5OfBody: "",
    eventSource: "aws:sqs",
    eventSourceARN: "arn:aws:sqs:us-west-2:111122223333:vod-ingest-dev-admission",
    awsRegion: "us-west-2",
  };
}

function title(n: number) {
  return {
    ...structuredClone(transcodeRequest),
    taskToken: `AQC-token-${n}`,
    executionArn: `${transcodeRequest.executionArn.slice(0, -1)}${n}`,
  };
}

const batch = (...records: SQSRecord[]): SQSEvent => ({ Records: records });

beforeEach(() => {
  mediaConvertMock.reset();
  sqsMock.reset();
  sqsMock.on(ChangeMessageVisibilityBatchCommand).resolves({ Successful: [], Failed: [] });
  mediaConvertMock
    .on(CreateJobCommand)
    .resolves({ Job: { Id: "1700000000000-abc123", Role: "r", Settings: {} } });
});

describe("submit-job (admission queue consumer)", () => {
  it("heartbeats each title's task, creates its job and deletes every admitted message", async () => {
    // Act
    const response = await handler(batch(record("m1", title(1)), record("m2", title(2))), context);

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(mediaConvertMock).toHaveReceivedCommandTimes(CreateJobCommand, 2);
    expect(sfnMock.commandCalls(SendTaskHeartbeatCommand).map((c) => c.args[0].input.taskToken)).toEqual([
      "AQC-token-1",
      "AQC-token-2",
    ]);
  });

  it("drops a title whose task closed while it waited: no task opened, no job, message deleted", async () => {
    // Prepare
    sfnMock
      .on(SendTaskHeartbeatCommand)
      .rejects(new TaskTimedOut({ message: "Task Timed Out", $metadata: { httpStatusCode: 400 } }));

    // Act
    const response = await handler(batch(record("m1", title(1))), context);

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(mediaConvertMock).toHaveReceivedCommandTimes(CreateJobCommand, 0);
  });

  it("puts a throttled title and the rest of its batch back with a delay, without failing any task", async () => {
    // Prepare
    mediaConvertMock
      .on(CreateJobCommand)
      .rejects(
        new TooManyRequestsException({ message: "Too many requests", $metadata: { httpStatusCode: 429 } }),
      );

    // Act
    const response = await handler(
      batch(record("m1", title(1)), record("m2", title(2)), record("m3", title(3))),
      context,
    );

    // Assess: one CreateJob tried; all three stay in the queue; nobody's task fails.
    expect(response).toEqual({
      batchItemFailures: [{ itemIdentifier: "m1" }, { itemIdentifier: "m2" }, { itemIdentifier: "m3" }],
    });
    expect(mediaConvertMock).toHaveReceivedCommandTimes(CreateJobCommand, 1);
    expect(sfnMock).toHaveReceivedCommandTimes(SendTaskFailureCommand, 0);
    const entries = sqsMock.commandCalls(ChangeMessageVisibilityBatchCommand)[0]!.args[0].input.Entries!;
    expect(sqsMock).toHaveReceivedCommandWith(ChangeMessageVisibilityBatchCommand, {
      QueueUrl: ADMISSION_QUEUE_URL,
    });
    expect(entries.map((e) => e.ReceiptHandle)).toEqual(["handle-m1", "handle-m2", "handle-m3"]);
    for (const entry of entries) expect(entry.VisibilityTimeout).toBeGreaterThanOrEqual(1);
  });

  it("fails the task with Vod.ServiceBusy on the last receive, so the state machine sends a fresh message", async () => {
    // Prepare
    mediaConvertMock
      .on(CreateJobCommand)
      .rejects(
        new TooManyRequestsException({ message: "Too many requests", $metadata: { httpStatusCode: 429 } }),
      );

    // Act
    const response = await handler(batch(record("m1", title(1), 20)), context);

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(sfnMock).toHaveReceivedCommandWith(SendTaskFailureCommand, {
      taskToken: "AQC-token-1",
      error: "Vod.ServiceBusy",
    });
  });

  it("fails the task with Vod.InvalidTaskInput for a body that does not match, naming the message", async () => {
    // Act
    const response = await handler(batch(record("m1", { taskToken: "AQC-token-9", upload: {} })), context);

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    const failure = sfnMock.commandCalls(SendTaskFailureCommand)[0]!.args[0].input;
    expect(failure).toMatchObject({ taskToken: "AQC-token-9", error: "Vod.InvalidTaskInput" });
    expect(JSON.parse(failure.cause!).errorMessage).toContain("admission message m1");
    expect(mediaConvertMock).toHaveReceivedCommandTimes(CreateJobCommand, 0);
  });

  it("keeps a message without a task token for the dead-letter queue", async () => {
    // Act
    const response = await handler(batch(record("m1", "not json")), context);

    // Assess
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: "m1" }] });
    expect(sfnMock).toHaveReceivedCommandTimes(SendTaskFailureCommand, 0);
  });

  it("fails the task of a title whose source was re-uploaded with Vod.SourceSuperseded (the ASL's Catch)", async () => {
    // Prepare: the ledger and row writes succeed; the key now has a newer version.
    const stale = {
      ...title(1),
      upload: { ...title(1).upload, source: { ...title(1).upload.source, versionId: "older" } },
    };

    // Act
    const response = await handler(batch(record("m1", stale)), context);

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(sfnMock).toHaveReceivedCommandWith(SendTaskFailureCommand, { error: "Vod.SourceSuperseded" });
    expect(mediaConvertMock).toHaveReceivedCommandTimes(CreateJobCommand, 0);
  });
});
