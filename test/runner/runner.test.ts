import { SqsFake } from "./fakes/sqs";
import type { HistoryEvent } from "@aws-sdk/client-sfn";
import { Random } from "./aws";
import { patchedDateSystemTime, VirtualClock, interceptHandlerTimers } from "./clock";
import { LocalDynamo } from "./dynamodb";
import { matchesPattern } from "./eventbridge";
import { TaskTokens } from "./fakes/step-functions";
import { LambdaService, type LambdaHandler } from "./lambda";
import { executionStatusPattern } from "../../infra/lib/event-patterns";
import { WorkflowRunner } from "./runner";
import { assertSupportedNode, UnsupportedNodeError, Workflow } from "./workflow";

/**
 * The runner's own promises, on a small definition: how a thrown error reaches ErrorEquals, the
 * lambda:invoke result shape, token waits, heartbeats, redrive, DynamoDB error names.
 */

const START = Date.parse("2026-02-02T10:00:00Z");
const FN = "arn:aws:lambda:us-east-1:123456789012:function:";

class ServiceBusyError extends Error {
  override readonly name = "Vod.ServiceBusy";
}

/** A workflow with one Lambda task `work` (retried on Vod.ServiceBusy), then a token wait `wait`. */
function definition(extra: { heartbeatSeconds?: number } = {}): string {
  return JSON.stringify({
    StartAt: "Work",
    States: {
      Work: {
        Type: "Task",
        Resource: "arn:aws:states:::lambda:invoke",
        Parameters: { FunctionName: `${FN}work`, "Payload.$": "$" },
        ResultSelector: { "work.$": "$.Payload" },
        ResultPath: "$.result",
        Retry: [
          {
            ErrorEquals: ["Vod.ServiceBusy"],
            IntervalSeconds: 2,
            MaxAttempts: 2,
            BackoffRate: 2,
            JitterStrategy: "FULL",
          },
        ],
        Next: "Wait",
      },
      Wait: {
        Type: "Task",
        Resource: "arn:aws:states:::lambda:invoke.waitForTaskToken",
        Parameters: {
          FunctionName: `${FN}submit`,
          Payload: {
            "token.$": "$$.Task.Token",
            "redriveCount.$": "$$.Execution.RedriveCount",
            "input.$": "$",
          },
        },
        HeartbeatSeconds: extra.heartbeatSeconds ?? 60,
        TimeoutSeconds: 3600,
        ResultPath: "$.waited",
        End: true,
      },
    },
  });
}

describe("local workflow runner", () => {
  let clock: VirtualClock;
  let lambda: LambdaService;
  let tokens: TaskTokens;
  let workflow: Workflow;
  const cleanups: (() => void)[] = [];
  const tokensSeen: { token: string; redriveCount: number; input: unknown }[] = [];

  async function build(handlers: { work: LambdaHandler; submit?: LambdaHandler }, heartbeatSeconds?: number) {
    const systemTime = patchedDateSystemTime();
    systemTime.install(START);
    cleanups.push(() => systemTime.uninstall());
    clock = new VirtualClock(START, systemTime);
    cleanups.push(interceptHandlerTimers(clock));
    const random = new Random(7);
    lambda = new LambdaService(clock, random);
    tokens = new TaskTokens(clock, random);
    lambda.register({ name: "work", timeoutSeconds: 30, memoryMb: 128, load: async () => handlers.work });
    lambda.register({
      name: "submit",
      timeoutSeconds: 30,
      memoryMb: 128,
      load: async () =>
        handlers.submit ??
        ((event: unknown) => {
          tokensSeen.push(event as (typeof tokensSeen)[number]);
          return { submitted: true };
        }),
    });
    workflow = new Workflow({
      definition: definition({ heartbeatSeconds }),
      stateMachineName: "test",
      roleArn: "arn:aws:iam::123456789012:role/test",
      clock,
      random,
      lambda,
      tokens,
      sqs: new SqsFake(clock, random, []),
      dynamodb: (await LocalDynamo.instance()).client,
      onStatusChange: () => undefined,
    });
  }

  afterEach(() => {
    for (const cleanup of cleanups.splice(0).reverse()) cleanup();
    tokensSeen.length = 0;
  });
  afterAll(() => LocalDynamo.shutdown());

  it("refuses to run on Node.js older than 22, saying why", () => {
    expect(() => assertSupportedNode("20.11.1")).toThrow(UnsupportedNodeError);
    expect(() => assertSupportedNode("20.11.1")).toThrow(/Node\.js 22 or newer.*Promise\.withResolvers/);
    expect(() => assertSupportedNode(process.versions.node)).not.toThrow();
  });

  it("reports a thrown error's name as the error ErrorEquals matches, and retries Vod.ServiceBusy after a backoff on the clock", async () => {
    // Prepare
    let calls = 0;
    await build({
      work: async (event) => {
        calls++;
        if (calls === 1) throw new ServiceBusyError("MediaConvert is busy");
        return { doubled: (event as { n: number }).n * 2 };
      },
    });

    // Act
    const execution = workflow.start({ n: 21 });
    await clock.runUntil(() => tokensSeen.length === 1, 60_000);

    // Assess: the retry waited up to IntervalSeconds (FULL jitter), and `$.Payload` selected the result.
    expect(calls).toBe(2);
    const failed = execution.history.find((e) => e.type === "TaskFailed")!;
    expect(failed.taskFailedEventDetails).toMatchObject({
      resourceType: "lambda",
      resource: "invoke",
      error: "Vod.ServiceBusy",
    });
    expect(JSON.parse(failed.taskFailedEventDetails!.cause!)).toMatchObject({
      errorType: "Vod.ServiceBusy",
      errorMessage: "MediaConvert is busy",
    });
    expect(clock.now() - START).toBeLessThanOrEqual(2_000);
    expect(tokensSeen[0]!.input).toEqual({ n: 21, result: { work: { doubled: 42 } } });
    expect(tokensSeen[0]!.token.length).toBeGreaterThan(256);
  });

  it("does not retry an error a subclass of Error reports as plain `Error`", async () => {
    // Prepare
    class Forgetful extends Error {}
    await build({ work: () => Promise.reject(new Forgetful("no name set")) });

    // Act
    const execution = workflow.start({ n: 1 });
    await clock.runUntil(() => execution.closed, 60_000);
    await execution.done;

    // Assess
    expect(execution).toMatchObject({ status: "FAILED", error: "Error" });
  });

  it("resolves a token wait only through SendTaskSuccess, and answers TaskTimedOut on a closed token", async () => {
    // Prepare
    await build({ work: async () => ({}) });
    const execution = workflow.start({});
    await clock.runUntil(() => tokensSeen.length === 1, 60_000);
    await clock.advance(30_000);
    expect(execution.status).toBe("RUNNING");

    // Act
    tokens.sendTaskSuccess({ taskToken: tokensSeen[0]!.token, output: JSON.stringify({ done: true }) });
    await clock.runUntil(() => execution.closed, 60_000);
    await execution.done;

    // Assess
    expect(execution.status).toBe("SUCCEEDED");
    expect(execution.result).toMatchObject({ waited: { done: true } });
    expect(() => tokens.sendTaskHeartbeat({ taskToken: tokensSeen[0]!.token })).toThrow(
      expect.objectContaining({ name: "TaskTimedOut" }),
    );
    expect(() => tokens.sendTaskSuccess({ taskToken: "not-a-token", output: "{}" })).toThrow(
      expect.objectContaining({ name: "InvalidToken" }),
    );
    expect(types(execution.history)).toEqual([
      "ExecutionStarted",
      "TaskStateEntered",
      "TaskScheduled",
      "TaskStarted",
      "TaskSucceeded",
      "TaskStateExited",
      "TaskStateEntered",
      "TaskScheduled",
      "TaskStarted",
      "TaskSubmitted",
      "TaskSucceeded",
      "TaskStateExited",
      "ExecutionSucceeded",
    ]);
  });

  it("fails the wait with States.HeartbeatTimeout when heartbeats stop, and each heartbeat restarts the timer", async () => {
    // Prepare
    await build({ work: async () => ({}) }, 60);
    const execution = workflow.start({});
    await clock.runUntil(() => tokensSeen.length === 1, 60_000);

    // Act: heartbeats every 50 s keep it alive for 4 minutes, then they stop.
    for (let i = 0; i < 5; i++) {
      await clock.advance(50_000);
      tokens.sendTaskHeartbeat({ taskToken: tokensSeen[0]!.token });
    }
    const lastHeartbeat = clock.now();
    await clock.runUntil(() => execution.closed, 3_600_000);
    await execution.done;

    // Assess
    expect(execution).toMatchObject({ status: "FAILED", error: "States.HeartbeatTimeout" });
    expect(execution.stopDate! - lastHeartbeat).toBe(60_000);
    expect(execution.history.find((e) => e.type === "TaskTimedOut")?.taskTimedOutEventDetails?.error).toBe(
      "States.HeartbeatTimeout",
    );
  });

  it("redrives from the failed state with its original input, keeping earlier results and the execution ARN", async () => {
    // Prepare: the wait fails once.
    let workCalls = 0;
    await build({ work: async () => ({ call: ++workCalls }) });
    const execution = workflow.start({ title: "t" });
    await clock.runUntil(() => tokensSeen.length === 1, 60_000);
    tokens.sendTaskFailure({ taskToken: tokensSeen[0]!.token, error: "Vod.TranscodeFailed", cause: "{}" });
    await clock.runUntil(() => execution.closed, 60_000);
    await execution.done;
    expect(execution).toMatchObject({ status: "FAILED", error: "Vod.TranscodeFailed" });

    // Act
    const redriven = workflow.redrive(execution.executionArn);
    await clock.runUntil(() => tokensSeen.length === 2, 60_000);
    tokens.sendTaskSuccess({ taskToken: tokensSeen[1]!.token, output: "{}" });
    await clock.runUntil(() => redriven.closed, 60_000);
    await redriven.done;

    // Assess
    expect(redriven).toBe(execution);
    expect(redriven).toMatchObject({ status: "SUCCEEDED", redriveCount: 1 });
    expect(workCalls).toBe(1);
    expect(tokensSeen.map((t) => t.redriveCount)).toEqual([0, 1]);
    expect(tokensSeen[1]!.input).toEqual(tokensSeen[0]!.input);
    expect(types(execution.history)).toContain("ExecutionRedriven");
  });

  it("names DynamoDB errors of the optimized integration DynamoDB.<Exception>", async () => {
    // Prepare
    const dynamo = await LocalDynamo.instance();
    await dynamo.recreateTable({
      TableName: "runner-errors",
      BillingMode: "PAY_PER_REQUEST",
      AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
      KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
    });
    await build({ work: async () => ({}) });
    const tiny = new Workflow({
      definition: JSON.stringify({
        StartAt: "Put",
        States: {
          Put: {
            Type: "Task",
            Resource: "arn:aws:states:::dynamodb:updateItem",
            Parameters: {
              TableName: "runner-errors",
              Key: { id: { S: "a" } },
              UpdateExpression: "SET v = :v",
              ConditionExpression: "attribute_exists(id)",
              ExpressionAttributeValues: { ":v": { S: "x" } },
            },
            End: true,
          },
        },
      }),
      stateMachineName: "tiny",
      roleArn: "arn:aws:iam::123456789012:role/test",
      clock,
      random: new Random(3),
      lambda,
      tokens,
      sqs: new SqsFake(clock, new Random(3), []),
      dynamodb: dynamo.client,
      onStatusChange: () => undefined,
    });

    // Act
    const execution = tiny.start({});
    await clock.runUntil(() => execution.closed, 60_000);
    await execution.done;

    // Assess
    expect(execution).toMatchObject({ status: "FAILED", error: "DynamoDB.ConditionalCheckFailedException" });
  });

  it("also runs on wall-clock time (a local mode), with the runner's waits compressed", async () => {
    // Prepare: transcodes, deliveries and backoffs 100 times shorter than in AWS; ingest immediate.
    const runner = await WorkflowRunner.start({
      clock: { real: { timeScale: 100 } },
      reconcileIntervalMinutes: false,
      mediaPackage: { ingestMs: 0 },
    });
    try {
      // Act
      const upload = runner.upload("local/mode.mp4");
      await runner.settle(30_000);

      // Assess
      expect((await runner.row(upload.assetId))?.status).toBe("PUBLISHED");
    } finally {
      await runner.stop();
    }
  });

  it("matches events against patterns like EventBridge", () => {
    const pattern = executionStatusPattern("arn:sm");
    const event = (status: string, redriveCount: number) => ({
      source: "aws.states",
      "detail-type": "Step Functions Execution Status Change",
      detail: { stateMachineArn: "arn:sm", status, redriveCount },
    });
    expect(matchesPattern(pattern, event("FAILED", 0))).toBe(true);
    expect(matchesPattern(pattern, event("RUNNING", 0))).toBe(false);
    expect(matchesPattern(pattern, event("RUNNING", 1))).toBe(true);
    expect(matchesPattern(pattern, event("SUCCEEDED", 0))).toBe(false);
    expect(matchesPattern({ detail: { key: [{ prefix: "in/" }] } }, { detail: { key: "in/a.mp4" } })).toBe(
      true,
    );
    expect(matchesPattern({ detail: { key: [{ prefix: "in/" }] } }, { detail: { key: "out/a.mp4" } })).toBe(
      false,
    );
  });
});

function types(history: readonly HistoryEvent[]): string[] {
  return history.map((e) => e.type ?? "");
}
