import * as aws from "@pulumi/aws";
import { ACCOUNT_ID, policyOf, REGION, setupPulumiMocks, type RecordedResource } from "../test/pulumi/mocks";
import { Events, rateExpression, TARGET_RETRY_POLICY } from "./events";
import { jobEventPattern, uploadPattern } from "./lib/event-patterns";
import type { NodeFunction } from "./lib/node-function";

const mocks = setupPulumiMocks();

beforeEach(() => mocks.reset());

const MACHINE_ARN = `arn:aws:states:${REGION}:${ACCOUNT_ID}:stateMachine:vod-ingest-dev-ingest`;
const FN = `arn:aws:lambda:${REGION}:${ACCOUNT_ID}:function`;
const queueArn = (name: string) => `arn:aws:sqs:${REGION}:${ACCOUNT_ID}:${name}`;

/** A function as nodeFunction returns it, without bundling a handler. */
function fakeFunction(name: string): NodeFunction {
  const role = new aws.iam.Role(`${name}-role`, { assumeRolePolicy: "{}" });
  const logGroup = new aws.cloudwatch.LogGroup(`${name}-logs`, {});
  const policy = new aws.iam.RolePolicy(`${name}-policy`, { role: role.id, policy: "{}" });
  const fn = new aws.lambda.Function(name, { role: role.arn });
  return { function: fn, role, logGroup, policy };
}

async function build(uploadPrefix = ""): Promise<Events> {
  const events = new Events("vod-events", {
    sourceBucketName: "vod-source",
    uploadPrefix,
    stackMarker: "vod-ingest-dev",
    stateMachineArn: MACHINE_ARN,
    handleJobEvent: fakeFunction("handle-job-event"),
    recordFailure: fakeFunction("record-failure"),
    reconcileJobs: fakeFunction("reconcile-jobs"),
    reconcileIntervalMinutes: 5,
    dlqRetentionDays: 14,
  });
  await mocks.settle();
  return events;
}

const rule = (name: string) => mocks.resourceNamed(name, "aws:cloudwatch/eventRule:EventRule");
const patternOf = (resource: RecordedResource) => JSON.parse(resource.inputs.eventPattern as string);
const targetOf = (ruleName: string) =>
  mocks.resourcesOfType("aws:cloudwatch/eventTarget:EventTarget").find((t) => t.inputs.rule === ruleName);

describe("event patterns", () => {
  it("matches every Object Created event of the source bucket when there is no prefix", async () => {
    await build();
    expect(patternOf(rule("vod-events-upload"))).toEqual({
      source: ["aws.s3"],
      "detail-type": ["Object Created"],
      detail: { bucket: { name: ["vod-source"] } },
    });
  });

  it("matches only keys under the upload prefix when one is set", async () => {
    await build("incoming/");
    expect(patternOf(rule("vod-events-upload"))).toEqual({
      source: ["aws.s3"],
      "detail-type": ["Object Created"],
      detail: { bucket: { name: ["vod-source"] }, object: { key: [{ prefix: "incoming/" }] } },
    });
  });

  it("matches only this stack's MediaConvert jobs, in the states a waiting task reacts to", async () => {
    await build();
    expect(patternOf(rule("vod-events-job-event"))).toEqual({
      source: ["aws.mediaconvert"],
      "detail-type": ["MediaConvert Job State Change"],
      detail: {
        status: ["PROGRESSING", "STATUS_UPDATE", "COMPLETE", "ERROR", "CANCELED"],
        userMetadata: { stack: ["vod-ingest-dev"] },
      },
    });
  });

  it("matches failed, timed-out, aborted and redriven executions of this state machine", async () => {
    await build();
    expect(patternOf(rule("vod-events-execution-status"))).toEqual({
      source: ["aws.states"],
      "detail-type": ["Step Functions Execution Status Change"],
      detail: {
        stateMachineArn: [MACHINE_ARN],
        $or: [
          { status: ["FAILED", "TIMED_OUT", "ABORTED"] },
          { status: ["RUNNING"], redriveCount: [{ numeric: [">", 0] }] },
        ],
      },
    });
  });

  it("builds the same shapes without Pulumi", () => {
    expect(uploadPattern("b", "").detail).toEqual({ bucket: { name: ["b"] } });
    expect(jobEventPattern("s").detail.userMetadata).toEqual({ stack: ["s"] });
  });
});

describe("Events", () => {
  it("retries every rule target for a day and dead-letters what is left", async () => {
    // Act
    await build();

    // Assess
    const targets = mocks.resourcesOfType("aws:cloudwatch/eventTarget:EventTarget");
    // By rule name: registration order follows when each target's inputs resolve.
    const byRule = targets.map((t) => [t.inputs.rule, t.inputs.deadLetterConfig]).sort();
    expect(byRule).toEqual([
      ["vod-events-execution-status", { arn: queueArn("vod-events-execution-events-dlq") }],
      ["vod-events-job-event", { arn: queueArn("vod-events-job-events-dlq") }],
      ["vod-events-upload", { arn: queueArn("vod-events-uploads-dlq") }],
    ]);
    for (const target of targets) expect(target.inputs.retryPolicy).toEqual(TARGET_RETRY_POLICY);
    expect(TARGET_RETRY_POLICY).toEqual({ maximumRetryAttempts: 185, maximumEventAgeInSeconds: 86_400 });
  });

  it("starts executions with a role that may start only this state machine", async () => {
    // Act
    await build();

    // Assess
    expect(targetOf("vod-events-upload")?.inputs).toMatchObject({
      arn: MACHINE_ARN,
      roleArn: mocks.resourceNamed("vod-events-start-role").state.arn,
    });
    // Only EventBridge acting for this account's upload rule may assume it (confused deputy).
    expect(policyOf(mocks.resourceNamed("vod-events-start-role"), "assumeRolePolicy").Statement).toEqual([
      {
        Effect: "Allow",
        Action: "sts:AssumeRole",
        Principal: { Service: "events.amazonaws.com" },
        Condition: {
          StringEquals: { "aws:SourceAccount": ACCOUNT_ID },
          ArnEquals: { "aws:SourceArn": rule("vod-events-upload").state.arn },
        },
      },
    ]);
    expect(policyOf(mocks.resourceNamed("vod-events-start-policy")).Statement).toEqual([
      { Sid: "StartIngest", Effect: "Allow", Action: "states:StartExecution", Resource: MACHINE_ARN },
    ]);
  });

  it("lets each rule, and only that rule, invoke its function and fill its DLQ", async () => {
    // Act
    await build();

    // Assess
    const permissions = mocks.resourcesOfType("aws:lambda/permission:Permission").map((p) => p.inputs);
    expect(permissions).toEqual([
      {
        action: "lambda:InvokeFunction",
        function: "handle-job-event",
        principal: "events.amazonaws.com",
        sourceArn: rule("vod-events-job-event").state.arn,
      },
      {
        action: "lambda:InvokeFunction",
        function: "record-failure",
        principal: "events.amazonaws.com",
        sourceArn: rule("vod-events-execution-status").state.arn,
      },
    ]);
    expect(targetOf("vod-events-job-event")?.inputs.arn).toBe(`${FN}:handle-job-event`);
    expect(targetOf("vod-events-execution-status")?.inputs.arn).toBe(`${FN}:record-failure`);
    const queuePolicies = mocks.resourcesOfType("aws:sqs/queuePolicy:QueuePolicy");
    expect(queuePolicies.map((p) => [p.inputs.queueUrl, policyOf(p).Statement[0]?.Condition])).toEqual([
      [
        expect.stringContaining("vod-events-uploads-dlq"),
        { ArnEquals: { "aws:SourceArn": rule("vod-events-upload").state.arn } },
      ],
      [
        expect.stringContaining("vod-events-job-events-dlq"),
        { ArnEquals: { "aws:SourceArn": rule("vod-events-job-event").state.arn } },
      ],
      [
        expect.stringContaining("vod-events-execution-events-dlq"),
        { ArnEquals: { "aws:SourceArn": rule("vod-events-execution-status").state.arn } },
      ],
    ]);
  });

  it("sends failed asynchronous invocations of the job-event, failure and reconciler functions to their own queues", async () => {
    // Act
    await build();

    // Assess
    const configs = mocks.resourcesOfType("aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig");
    const byFunction = [...configs].sort((a, b) =>
      String(a.inputs.functionName).localeCompare(String(b.inputs.functionName)),
    );
    expect(byFunction.map((c) => c.inputs)).toEqual([
      {
        functionName: "handle-job-event",
        maximumRetryAttempts: 2,
        maximumEventAgeInSeconds: 3600,
        destinationConfig: { onFailure: { destination: queueArn("vod-events-job-event-failures") } },
      },
      {
        functionName: "reconcile-jobs",
        maximumRetryAttempts: 0,
        maximumEventAgeInSeconds: 300,
        destinationConfig: { onFailure: { destination: queueArn("vod-events-reconciler-failures") } },
      },
      {
        functionName: "record-failure",
        maximumRetryAttempts: 2,
        maximumEventAgeInSeconds: 21_600,
        destinationConfig: { onFailure: { destination: queueArn("vod-events-execution-event-failures") } },
      },
    ]);
    // Lambda refuses the destination unless the function's role may send to it.
    expect(policyOf(mocks.resourceNamed("vod-events-job-event-async-send")).Statement).toEqual([
      { Effect: "Allow", Action: "sqs:SendMessage", Resource: queueArn("vod-events-job-event-failures") },
    ]);
    expect(mocks.resourceNamed("vod-events-job-event-async-send").inputs.role).toBe("handle-job-event-role");
    expect(policyOf(mocks.resourceNamed("vod-events-execution-status-async-send")).Statement).toEqual([
      {
        Effect: "Allow",
        Action: "sqs:SendMessage",
        Resource: queueArn("vod-events-execution-event-failures"),
      },
    ]);
    expect(mocks.resourceNamed("vod-events-execution-status-async-send").inputs.role).toBe(
      "record-failure-role",
    );
    // Scheduler invokes the reconciler asynchronously: a run that throws lands in a queue too.
    expect(policyOf(mocks.resourceNamed("vod-events-reconciler-async-send")).Statement).toEqual([
      { Effect: "Allow", Action: "sqs:SendMessage", Resource: queueArn("vod-events-reconciler-failures") },
    ]);
    expect(mocks.resourceNamed("vod-events-reconciler-async-send").inputs.role).toBe("reconcile-jobs-role");
  });

  it("runs the reconciler on schedule with retries, a DLQ and a role limited to both", async () => {
    // Act
    await build();

    // Assess
    const [schedule] = mocks.resourcesOfType("aws:scheduler/schedule:Schedule");
    const role = mocks.resourceNamed("vod-events-scheduler-role");
    expect(schedule?.inputs).toMatchObject({
      scheduleExpression: "rate(5 minutes)",
      flexibleTimeWindow: { mode: "OFF" },
      target: {
        arn: `${FN}:reconcile-jobs`,
        roleArn: role.state.arn,
        retryPolicy: { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 300 },
        deadLetterConfig: { arn: queueArn("vod-events-reconciler-dlq") },
      },
    });
    // Only Scheduler acting for this account's default schedule group may assume it.
    expect(policyOf(role, "assumeRolePolicy").Statement).toEqual([
      {
        Effect: "Allow",
        Action: "sts:AssumeRole",
        Principal: { Service: "scheduler.amazonaws.com" },
        Condition: {
          StringEquals: { "aws:SourceAccount": ACCOUNT_ID },
          ArnEquals: { "aws:SourceArn": `arn:aws:scheduler:${REGION}:${ACCOUNT_ID}:schedule-group/default` },
        },
      },
    ]);
    expect(policyOf(mocks.resourceNamed("vod-events-scheduler-policy")).Statement).toEqual([
      {
        Sid: "RunReconciler",
        Effect: "Allow",
        Action: "lambda:InvokeFunction",
        Resource: `${FN}:reconcile-jobs`,
      },
      {
        Sid: "DeadLetter",
        Effect: "Allow",
        Action: "sqs:SendMessage",
        Resource: queueArn("vod-events-reconciler-dlq"),
      },
    ]);
  });

  it("keeps every dead letter encrypted for the configured 14 days", async () => {
    // Act
    const events = await build();

    // Assess
    const queues = mocks.resourcesOfType("aws:sqs/queue:Queue");
    expect(queues.map((q) => q.name)).toEqual([
      "vod-events-uploads-dlq",
      "vod-events-job-events-dlq",
      "vod-events-job-event-failures",
      "vod-events-execution-events-dlq",
      "vod-events-execution-event-failures",
      "vod-events-reconciler-dlq",
      "vod-events-reconciler-failures",
    ]);
    for (const queue of queues) {
      expect(queue.inputs).toMatchObject({
        sqsManagedSseEnabled: true,
        messageRetentionSeconds: 14 * 86_400,
      });
    }
    expect(Object.keys(events.queues)).toHaveLength(queues.length);
  });
});

describe("rateExpression", () => {
  it("uses the singular unit for one minute and the plural otherwise", () => {
    expect(rateExpression(1)).toBe("rate(1 minute)");
    expect(rateExpression(15)).toBe("rate(15 minutes)");
  });

  it("refuses fractions and zero", () => {
    expect(() => rateExpression(0)).toThrow("whole number of minutes");
    expect(() => rateExpression(2.5)).toThrow("whole number of minutes");
  });
});
