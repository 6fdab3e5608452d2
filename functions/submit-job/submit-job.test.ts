import {
  CreateJobCommand,
  ListJobsCommand,
  MediaConvertClient,
  TooManyRequestsException,
} from "@aws-sdk/client-mediaconvert";
import { DynamoDBDocumentClient, UpdateCommand, type UpdateCommandInput } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { HeadObjectCommand } from "@aws-sdk/client-s3";
// Brings the toHaveReceivedCommand… matcher types in (tsconfig "types" lists only node and jest).
import type {} from "aws-sdk-client-mock-jest";
import { LADDER_VERSION } from "../shared/media/ladder";
import type { TaskItem } from "../shared/ledger/items";
import type { TranscodeRequest } from "../shared/contract/workflow";
import { submitJob } from "./submit-job";
import { admissionConfig } from "./env";
import transcodeRequest from "./events/transcode-request.json";
import { setFunctionEnvironment } from "../shared/testing/env";
import { SubmitJobEnvSchema } from "./env";
import { TEST_ENVIRONMENT } from "./test-support";

const {
  CATALOGUE_TABLE,
  LEDGER_TABLE,
  STACK_MARKER,
  MEDIACONVERT_QUEUE_ARN: QUEUE_ARN,
  MEDIACONVERT_ROLE_ARN: ROLE_ARN,
  JOB_TAGS,
} = setFunctionEnvironment(SubmitJobEnvSchema, { ...TEST_ENVIRONMENT });
import { setValues, updatesTo as updatesOf } from "../shared/testing/dynamodb-writes";
import { taskOutputsUnder } from "../shared/testing/task-item";
import { mockCurrentSourceVersion } from "../shared/testing/aws-mocks";

const mediaConvertMock = mockClient(MediaConvertClient);
const dynamoMock = mockClient(DynamoDBDocumentClient);
const source = mockCurrentSourceVersion(transcodeRequest.upload.source.versionId);

/** correlationIdFor(fixture executionArn, 0) and (…, 1). */
const ATTEMPT_0 = "4306848e75a22d412fed3f08a68cd465";
const ATTEMPT_1 = "4cd762f2873d8560f2cb7b689028124a";
const JOB_ID = "1671476818694-phptj0";
const OUTPUT_PREFIX = "s3://vod-output/lecture-01-final_3f9a2c/0a1b2c3d4e5f/";

/** One admitted title (./admit.ts calls this per message). */
function submit(transcode: TranscodeRequest) {
  return submitJob(transcode, admissionConfig());
}

function request(overrides: Partial<TranscodeRequest> = {}): TranscodeRequest {
  return { ...structuredClone(transcodeRequest), ...overrides };
}

/** The ledger's task item before this invocation (what UpdateItem ReturnValues ALL_OLD answers). */
function givenPreviousTask(item: Partial<TaskItem> | undefined): void {
  dynamoMock
    .on(UpdateCommand, { TableName: LEDGER_TABLE, ReturnValues: "ALL_OLD" })
    .resolves({ Attributes: item as Record<string, unknown> | undefined });
}

function updatesTo(table: string): UpdateCommandInput[] {
  return updatesOf(dynamoMock, table);
}

function tokenStore(): UpdateCommandInput | undefined {
  return updatesTo(LEDGER_TABLE).find((u) => u.ReturnValues === "ALL_OLD");
}

beforeEach(() => {
  mediaConvertMock.reset();
  dynamoMock.reset();
  dynamoMock.on(UpdateCommand).resolves({});
  givenPreviousTask(undefined);
  mediaConvertMock.on(CreateJobCommand).resolves({ Job: { Id: JOB_ID, Role: ROLE_ARN, Settings: {} } });
});

describe("submit-job", () => {
  it("creates no job, opens no task and fails with Vod.SourceSuperseded when the key has a newer version than the claimed one", async () => {
    // Prepare: MediaConvert would read the key's current version, not the claimed one.
    source.reuploaded("Wq0dQAnt6d.sQzL3Yb2pq8nfnOG2pT0x");

    // Act
    const outcome = submit(request());

    // Assess
    await expect(outcome).rejects.toMatchObject({ name: "Vod.SourceSuperseded" });
    await expect(outcome).rejects.toThrow(transcodeRequest.upload.source.versionId);
    expect(source.s3Mock).toHaveReceivedCommandWith(HeadObjectCommand, {
      Bucket: transcodeRequest.upload.source.bucket,
      Key: transcodeRequest.upload.source.key,
    });
    expect(mediaConvertMock).not.toHaveReceivedCommand(CreateJobCommand);
    expect(dynamoMock).not.toHaveReceivedCommand(UpdateCommand);
  });

  it("creates exactly one job with ClientRequestToken = correlation id and the ids in userMetadata", async () => {
    // Act
    const result = await submit(request());

    // Assess
    expect(result).toEqual({ correlationId: ATTEMPT_0, jobId: JOB_ID, created: true });
    expect(mediaConvertMock).toHaveReceivedCommandTimes(CreateJobCommand, 1);
    expect(mediaConvertMock).toHaveReceivedCommandWith(CreateJobCommand, {
      Role: ROLE_ARN,
      Queue: QUEUE_ARN,
      ClientRequestToken: ATTEMPT_0,
      StatusUpdateInterval: "SECONDS_60",
      UserMetadata: { assetId: "lecture-01-final_3f9a2c", correlationId: ATTEMPT_0, stack: STACK_MARKER },
    });
  });

  it("tags the job with the stack's tags, which billing reports take from the job", async () => {
    // Act
    await submit(request());

    // Assess
    expect(mediaConvertMock).toHaveReceivedCommandWith(CreateJobCommand, {
      Tags: JSON.parse(JOB_TAGS),
      BillingTagsSource: "JOB",
    });
  });

  it("never sends the task token to MediaConvert", async () => {
    // Act
    await submit(request());

    // Assess
    const input = mediaConvertMock.commandCalls(CreateJobCommand)[0]?.args[0].input;
    expect(JSON.stringify(input)).not.toContain(transcodeRequest.taskToken);
  });

  it("builds the job from the ladder and the output layout (outputs never named after the upload)", async () => {
    // Act
    await submit(request());

    // Assess
    const settings = mediaConvertMock.commandCalls(CreateJobCommand)[0]?.args[0].input.Settings;
    expect(settings?.Inputs?.[0]?.FileInput).toBe("s3://vod-source/lectures/lecture 01 (final).mov");
    const destinations = JSON.stringify(settings?.OutputGroups);
    expect(destinations).toContain(`${OUTPUT_PREFIX}cmaf/index`);
    expect(destinations).not.toContain("lecture 01");
  });

  it("stores the task token in the ledger before creating the job", async () => {
    // Act
    await submit(request());

    // Assess
    const store = dynamoMock
      .commandCalls(UpdateCommand)
      .find((c) => c.args[0].input.ReturnValues === "ALL_OLD");
    const create = mediaConvertMock.commandCalls(CreateJobCommand)[0];
    expect(store && create && store.calledBefore(create)).toBe(true);
    expect(tokenStore()?.Key).toEqual({ pk: `task#${ATTEMPT_0}` });
    expect(setValues(tokenStore())).toMatchObject({
      taskToken: transcodeRequest.taskToken,
      waiting: "1",
      assetId: "lecture-01-final_3f9a2c",
      revision: "0a1b2c3d4e5f",
      executionArn: transcodeRequest.executionArn,
      outputPrefix: OUTPUT_PREFIX,
      packagingSource: "hls-ts",
      outputs: taskOutputsUnder(OUTPUT_PREFIX),
    });
    expect(tokenStore()?.UpdateExpression).toContain("#submittedAt = if_not_exists(#submittedAt, :now)");
  });

  it("plans the renditions on the task item so the produced ones can be named later", async () => {
    // Act
    await submit(request());

    // Assess
    const renditions = setValues(tokenStore()).renditions as { heightPx: number }[];
    expect(renditions.map((r) => r.heightPx)).toEqual([1080, 720, 480, 360]);
  });

  it("records the job id on the task and marks the catalogue row TRANSCODING for this revision", async () => {
    // Act
    await submit(request());

    // Assess
    expect(dynamoMock).toHaveReceivedCommandWith(UpdateCommand, {
      TableName: LEDGER_TABLE,
      Key: { pk: `task#${ATTEMPT_0}` },
      UpdateExpression: "SET #jobId = if_not_exists(#jobId, :jobId) REMOVE #pending",
      ExpressionAttributeValues: { ":jobId": JOB_ID },
    });
    const row = updatesTo(CATALOGUE_TABLE)[0];
    expect(row?.ExpressionAttributeValues?.[":revision"]).toBe("0a1b2c3d4e5f");
    expect(setValues(row)).toMatchObject({
      status: "TRANSCODING",
      job: { id: JOB_ID, progressPercent: 0, submittedAt: expect.any(String) },
    });
  });

  it("writes the version of the ladder that encodes the title into the catalogue row", async () => {
    // Act
    await submit(request());

    // Assess
    expect(setValues(updatesTo(CATALOGUE_TABLE)[0]).ladderVersion).toBe(LADDER_VERSION);
  });

  it("makes no second job when a retry finds the attempt's job, but stores the retry's new token", async () => {
    // Prepare
    givenPreviousTask({
      jobId: JOB_ID,
      taskToken: "token-of-the-failed-attempt",
      submittedAt: "2022-12-19T19:00:00.000Z",
    });
    const retry = request({ taskToken: "token-of-the-retry" });

    // Act
    const result = await submit(retry);

    // Assess
    expect(result).toEqual({ correlationId: ATTEMPT_0, jobId: JOB_ID, created: false });
    expect(mediaConvertMock).toHaveReceivedCommandTimes(CreateJobCommand, 0);
    expect(setValues(tokenStore())).toMatchObject({ taskToken: "token-of-the-retry", waiting: "1" });
    expect(setValues(updatesTo(CATALOGUE_TABLE)[0])).toMatchObject({
      job: { id: JOB_ID, progressPercent: 0, submittedAt: "2022-12-19T19:00:00.000Z" },
    });
  });

  it("reopens a task an older token closed, so the reconciler finishes it with the new token", async () => {
    // Act
    await submit(request());

    // Assess
    expect(tokenStore()?.UpdateExpression).toMatch(/REMOVE #outcome, #closedAt, #expiresAt$/);
  });

  it("gives a redriven attempt (redriveCount 1) a different ClientRequestToken", async () => {
    // Act
    await submit(request({ redriveCount: 1 }));

    // Assess
    expect(mediaConvertMock).toHaveReceivedCommandWith(CreateJobCommand, {
      ClientRequestToken: ATTEMPT_1,
      UserMetadata: expect.objectContaining({ correlationId: ATTEMPT_1 }),
    });
    expect(tokenStore()?.Key).toEqual({ pk: `task#${ATTEMPT_1}` });
  });

  it("marks a CreateJob pending before sending it, so a retry knows a job may exist", async () => {
    // Act
    await submit(request());

    // Assess
    expect(tokenStore()?.UpdateExpression).toContain("#pending = if_not_exists(#pending, :now)");
    expect(tokenStore()?.ExpressionAttributeNames?.["#pending"]).toBe("createJobPendingSince");
  });

  it("adopts the job a lost CreateJob created (found by correlation id with ListJobs) instead of a second one", async () => {
    // Prepare: an earlier try sent CreateJob at 10:00 and never heard back.
    givenPreviousTask({
      taskToken: "token-of-the-lost-try",
      createJobPendingSince: "2022-12-19T10:00:00.000Z",
    });
    mediaConvertMock.on(ListJobsCommand).resolves({
      Jobs: [
        job("1671476900000-other1", "someone-else", "2022-12-19T10:03:00.000Z"),
        job(JOB_ID, ATTEMPT_0, "2022-12-19T10:00:01.000Z"),
      ],
    });

    // Act
    const result = await submit(request());

    // Assess
    expect(result).toEqual({ correlationId: ATTEMPT_0, jobId: JOB_ID, created: false });
    expect(mediaConvertMock).toHaveReceivedCommandWith(ListJobsCommand, {
      Queue: "vod-ingest-dev",
      Order: "DESCENDING",
    });
    expect(mediaConvertMock).toHaveReceivedCommandTimes(CreateJobCommand, 0);
    expect(dynamoMock).toHaveReceivedCommandWith(UpdateCommand, {
      Key: { pk: `task#${ATTEMPT_0}` },
      ExpressionAttributeValues: { ":jobId": JOB_ID },
    });
  });

  it("creates the job when the lost CreateJob created none, reading back only to the pending time", async () => {
    // Prepare: page 1 holds newer foreign jobs, page 2 reaches jobs from before the lost call.
    givenPreviousTask({
      taskToken: "token-of-the-lost-try",
      createJobPendingSince: "2022-12-19T10:00:00.000Z",
    });
    mediaConvertMock
      .on(ListJobsCommand)
      .resolvesOnce({ Jobs: [job("j-new", "someone-else", "2022-12-19T10:02:00.000Z")], NextToken: "page-2" })
      .resolvesOnce({
        Jobs: [job("j-old", "someone-else", "2022-12-19T09:00:00.000Z")],
        NextToken: "page-3",
      });

    // Act
    const result = await submit(request());

    // Assess
    expect(result).toMatchObject({ jobId: JOB_ID, created: true });
    expect(mediaConvertMock).toHaveReceivedCommandTimes(ListJobsCommand, 2);
    expect(mediaConvertMock).toHaveReceivedCommandTimes(CreateJobCommand, 1);
  });

  it("does not search when the earlier try was refused (no pending mark)", async () => {
    // Prepare
    givenPreviousTask({ taskToken: "token-of-the-throttled-try" });

    // Act
    await submit(request());

    // Assess
    expect(mediaConvertMock).toHaveReceivedCommandTimes(ListJobsCommand, 0);
    expect(mediaConvertMock).toHaveReceivedCommandTimes(CreateJobCommand, 1);
  });

  it("clears the pending mark when CreateJob is refused, and keeps it when the outcome is unknown", async () => {
    // Prepare
    const throttled = new TooManyRequestsException({
      message: "Too many requests",
      $metadata: { httpStatusCode: 429 },
    });
    const timeout = Object.assign(new Error("socket hang up"), { name: "TimeoutError" });
    mediaConvertMock.on(CreateJobCommand).rejectsOnce(throttled).rejectsOnce(timeout);
    const clears = () => updatesTo(LEDGER_TABLE).filter((u) => u.UpdateExpression === "REMOVE #pending");

    // Act
    await expect(submit(request())).rejects.toMatchObject({ name: "TooManyRequestsException" });
    const afterRefusal = clears().length;
    await expect(submit(request())).rejects.toMatchObject({ name: "TimeoutError" });

    // Assess
    expect(afterRefusal).toBe(1);
    expect(clears()).toHaveLength(1);
  });

  it("closes the tasks of earlier attempts when a redriven execution submits", async () => {
    // Act
    await submit(request({ redriveCount: 1 }));

    // Assess
    expect(dynamoMock).toHaveReceivedCommandWith(UpdateCommand, {
      TableName: LEDGER_TABLE,
      Key: { pk: `task#${ATTEMPT_0}` },
      ConditionExpression: "attribute_exists(#waiting)",
      ExpressionAttributeValues: expect.objectContaining({ ":outcome": "SUPERSEDED" }),
    });
  });

  it("leaves a throttled CreateJob's error to admission (which requeues the title) and writes no row", async () => {
    // Prepare
    mediaConvertMock
      .on(CreateJobCommand)
      .rejects(
        new TooManyRequestsException({ message: "Too many requests", $metadata: { httpStatusCode: 429 } }),
      );

    // Act
    const invocation = submit(request());

    // Assess
    await expect(invocation).rejects.toMatchObject({ name: "TooManyRequestsException" });
    expect(updatesTo(CATALOGUE_TABLE)).toHaveLength(0);
  });

  it("refuses an asset id MediaConvert userMetadata could not carry, before touching anything", async () => {
    // Prepare
    const fixture = request();
    const bad = request({ upload: { ...fixture.upload, assetId: "lecture 01 %26 final" } });

    // Act
    const invocation = submit(bad);

    // Assess
    await expect(invocation).rejects.toThrow();
    expect(dynamoMock.calls()).toHaveLength(0);
    expect(mediaConvertMock.calls()).toHaveLength(0);
  });
});

/** A job as ListJobs returns it, reduced to what the search reads. */
function job(id: string, correlationId: string, createdAt: string) {
  return {
    Id: id,
    Role: ROLE_ARN,
    Settings: {},
    CreatedAt: new Date(createdAt),
    UserMetadata: { correlationId },
  };
}
