import { outputOf, policyOf, setupPulumiMocks } from "../test/pulumi/mocks";
import { Alarms, type AlarmsArgs, checkLabels, DLQ_PERIOD_SECONDS, FAILURE_PERIOD_SECONDS } from "./alarms";

const mocks = setupPulumiMocks();

beforeEach(() => mocks.reset());

const STATE_MACHINE_ARN = "arn:aws:states:us-east-1:123456789012:stateMachine:vod-ingest";
const MEDIACONVERT_QUEUE_ARN = "arn:aws:mediaconvert:us-east-1:123456789012:queues/vod-jobs";
const TOPIC_ARN = "arn:aws:sns:us-east-1:123456789012:vod-alarms-topic";

function args(overrides: Partial<AlarmsArgs> = {}): AlarmsArgs {
  return {
    deadLetterQueues: [
      { label: "uploads", queueName: "vod-uploads-dlq" },
      { label: "failures", queueName: "vod-failures" },
    ],
    stateMachineArn: STATE_MACHINE_ARN,
    mediaConvertQueueArn: MEDIACONVERT_QUEUE_ARN,
    admissionQueue: { queueName: "vod-admission", maxWaitSeconds: 480 },
    alarmEmail: "",
    ...overrides,
  };
}

async function build(overrides: Partial<AlarmsArgs> = {}): Promise<Alarms> {
  const alarms = new Alarms("vod-alarms", args(overrides));
  await mocks.settle();
  return alarms;
}

const NOTIFY = { alarmActions: [TOPIC_ARN], okActions: [TOPIC_ARN] };

describe("checkLabels", () => {
  it("accepts distinct lower-case labels", () => {
    expect(() =>
      checkLabels([
        { label: "uploads", queueName: "a" },
        { label: "job-events", queueName: "b" },
      ]),
    ).not.toThrow();
  });

  it.each(["Uploads", "job events", "-x", ""])(
    "refuses the label %p, which would make a bad logical name",
    (label) => {
      expect(() => checkLabels([{ label, queueName: "q" }])).toThrow(`label "${label}"`);
    },
  );

  it("refuses a label used twice, which would collide", () => {
    expect(() =>
      checkLabels([
        { label: "uploads", queueName: "a" },
        { label: "uploads", queueName: "b" },
      ]),
    ).toThrow('"uploads" is used twice');
  });
});

describe("Alarms", () => {
  it("publishes to a topic encrypted with its own key, and exposes the topic ARN", async () => {
    // Act
    const alarms = await build();

    // Assess
    const key = mocks.resourceNamed("vod-alarms-key", "aws:kms/key:Key");
    const topic = mocks.resourceNamed("vod-alarms-topic", "aws:sns/topic:Topic");
    expect(topic.inputs).toEqual({ kmsMasterKeyId: key.state.arn });
    expect(key.inputs).toMatchObject({ enableKeyRotation: true, deletionWindowInDays: 7 });
    expect(await outputOf(alarms.topicArn)).toBe(TOPIC_ARN);
  });

  it("lets the account manage the key and CloudWatch alarms use it, and nobody else", async () => {
    // Act
    await build();

    // Assess
    expect(policyOf(mocks.resourceNamed("vod-alarms-key"))).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "AccountOwnsKey",
          Effect: "Allow",
          Principal: { AWS: "arn:aws:iam::123456789012:root" },
          Action: "kms:*",
          Resource: "*",
        },
        {
          Sid: "CloudWatchAlarmsPublish",
          Effect: "Allow",
          Principal: { Service: "cloudwatch.amazonaws.com" },
          Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
          Resource: "*",
        },
      ],
    });
  });

  it("alarms as soon as any dead-letter queue holds a message", async () => {
    // Act
    await build();

    // Assess
    const expected = (queueName: string) => ({
      namespace: "AWS/SQS",
      metricName: "ApproximateNumberOfMessagesVisible",
      dimensions: { QueueName: queueName },
      statistic: "Maximum",
      period: DLQ_PERIOD_SECONDS,
      evaluationPeriods: 1,
      threshold: 0,
      comparisonOperator: "GreaterThanThreshold",
      treatMissingData: "notBreaching",
      ...NOTIFY,
    });
    expect(mocks.resourceNamed("vod-alarms-dlq-uploads").inputs).toMatchObject(expected("vod-uploads-dlq"));
    expect(mocks.resourceNamed("vod-alarms-dlq-failures").inputs).toMatchObject(expected("vod-failures"));
    expect(DLQ_PERIOD_SECONDS).toBe(60);
  });

  it("names the queue in each dead-letter alarm's description", async () => {
    // Act
    await build();

    // Assess
    expect(mocks.resourceNamed("vod-alarms-dlq-uploads").inputs.alarmDescription).toContain(
      "uploads dead-letter queue",
    );
  });

  it("alarms when an execution fails or times out, summing both AWS/States metrics", async () => {
    // Act
    await build();

    // Assess
    const alarm = mocks.resourceNamed(
      "vod-alarms-executions-failed",
      "aws:cloudwatch/metricAlarm:MetricAlarm",
    );
    const metric = (metricName: string) => ({
      namespace: "AWS/States",
      metricName,
      dimensions: { StateMachineArn: STATE_MACHINE_ARN },
      stat: "Sum",
      period: FAILURE_PERIOD_SECONDS,
    });
    expect(alarm.inputs).toMatchObject({
      metricQueries: [
        { id: "failed", returnData: false, metric: metric("ExecutionsFailed") },
        { id: "timedOut", returnData: false, metric: metric("ExecutionsTimedOut") },
        {
          id: "failedOrTimedOut",
          expression: "failed + timedOut",
          label: "Executions failed or timed out",
          returnData: true,
        },
      ],
      evaluationPeriods: 1,
      threshold: 0,
      comparisonOperator: "GreaterThanThreshold",
      treatMissingData: "notBreaching",
      ...NOTIFY,
    });
    // A metric-math alarm must not also name a single metric.
    expect(alarm.inputs.metricName).toBeUndefined();
    expect(alarm.inputs.namespace).toBeUndefined();
    expect(alarm.inputs.statistic).toBeUndefined();
    expect(alarm.inputs.period).toBeUndefined();
  });

  it("alarms when a MediaConvert job in the pipeline's queue errors", async () => {
    // Act
    await build();

    // Assess
    expect(mocks.resourceNamed("vod-alarms-jobs-errored").inputs).toMatchObject({
      namespace: "AWS/MediaConvert",
      metricName: "JobsErroredCount",
      dimensions: { Queue: MEDIACONVERT_QUEUE_ARN },
      statistic: "Sum",
      period: FAILURE_PERIOD_SECONDS,
      evaluationPeriods: 1,
      threshold: 0,
      comparisonOperator: "GreaterThanThreshold",
      treatMissingData: "notBreaching",
      ...NOTIFY,
    });
  });

  it("creates exactly one alarm per dead-letter queue plus the two failure alarms and the admission wait alarm", async () => {
    // Act
    await build();

    // Assess
    const names = mocks.resourcesOfType("aws:cloudwatch/metricAlarm:MetricAlarm").map((a) => a.name);
    expect(names.sort()).toEqual([
      "vod-alarms-admission-waiting",
      "vod-alarms-dlq-failures",
      "vod-alarms-dlq-uploads",
      "vod-alarms-executions-failed",
      "vod-alarms-jobs-errored",
    ]);
  });

  it("subscribes nobody when no e-mail address is configured", async () => {
    // Act
    await build({ alarmEmail: "" });

    // Assess
    expect(mocks.resourcesOfType("aws:sns/topicSubscription:TopicSubscription")).toEqual([]);
  });

  it("subscribes the configured e-mail address to the topic", async () => {
    // Act
    await build({ alarmEmail: "ops@example.com" });

    // Assess
    const subscriptions = mocks.resourcesOfType("aws:sns/topicSubscription:TopicSubscription");
    expect(subscriptions.map((s) => [s.name, s.inputs])).toEqual([
      ["vod-alarms-email", { topic: TOPIC_ARN, protocol: "email", endpoint: "ops@example.com" }],
    ]);
  });

  it("refuses a bad dead-letter label before creating anything", async () => {
    // Act / Assess
    expect(
      () => new Alarms("vod-alarms", args({ deadLetterQueues: [{ label: "Bad Label", queueName: "q" }] })),
    ).toThrow('label "Bad Label"');
    await mocks.settle();
    expect(mocks.resources).toEqual([]);
  });
});
