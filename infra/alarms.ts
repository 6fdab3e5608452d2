import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { accountOwnsKey, cloudWatchAlarmsUseKey } from "./lib/policies";

/**
 * Period of the dead-letter-queue alarms. Queue depth is a level, not an event: the alarm stays
 * in ALARM while a message waits, so the shortest period SQS reports (one minute) only makes the
 * first e-mail faster.
 */
export const DLQ_PERIOD_SECONDS = 60;

/**
 * Period of the alarms on failure counts (executions, MediaConvert jobs). Each failure is one
 * datapoint that then goes missing again, so the alarm returns to OK one period later; five
 * minutes folds a burst of failures into one ALARM/OK pair of e-mails instead of one per minute.
 */
export const FAILURE_PERIOD_SECONDS = 300;

/** One dead-letter queue to watch. */
export interface WatchedQueue {
  /** Short name used in the alarm's logical name and description: lower case, digits and "-". */
  readonly label: string;
  /** The queue's name (the `QueueName` dimension of AWS/SQS metrics), not its URL or ARN. */
  readonly queueName: pulumi.Input<string>;
}

export interface AlarmsArgs {
  /** Every dead-letter queue of the stack; each gets an alarm when it holds a message. */
  readonly deadLetterQueues: readonly WatchedQueue[];
  /** The ingest state machine; alarms on failed and timed-out executions. */
  readonly stateMachineArn: pulumi.Input<string>;
  /** The MediaConvert queue jobs are submitted to; alarms on errored jobs. */
  readonly mediaConvertQueueArn: pulumi.Input<string>;
  /** The admission queue: alarms when its oldest title has waited `maxWaitSeconds` (lib/timing.ts). */
  readonly admissionQueue: { readonly queueName: pulumi.Input<string>; readonly maxWaitSeconds: number };
  /** Address subscribed to the alarm topic; "" subscribes nobody. Config `alarmEmail`, default "". */
  readonly alarmEmail: string;
}

/**
 * Tells people when the pipeline needs a human (ARCHITECTURE.md decision 4): a message in any
 * dead-letter queue, a title waiting too long for admission, a failed or timed-out execution, an errored MediaConvert job. Every alarm
 * notifies the topic on ALARM and on OK; with no data (an idle stack) an alarm stays OK.
 *
 * The topic is encrypted with a customer managed key of its own, because CloudWatch cannot
 * publish to a topic encrypted with the AWS managed key `alias/aws/sns` (its key policy does not
 * admit CloudWatch and cannot be changed). The key costs about 1 USD a month.
 */
export class Alarms extends pulumi.ComponentResource {
  public readonly topicArn: pulumi.Output<string>;

  constructor(name: string, args: AlarmsArgs, opts?: pulumi.ComponentResourceOptions) {
    checkLabels(args.deadLetterQueues);
    super("vod:alarms:Alarms", name, {}, opts);

    const identity = aws.getCallerIdentityOutput({}, { parent: this });
    const partition = aws.getPartitionOutput({}, { parent: this });
    const keyPolicy = aws.iam.getPolicyDocumentOutput(
      { statements: [accountOwnsKey(partition.partition, identity.accountId), cloudWatchAlarmsUseKey()] },
      { parent: this },
    );
    const key = new aws.kms.Key(
      `${name}-key`,
      {
        description: `Encrypts the alarm topic of ${name}`,
        enableKeyRotation: true,
        // The shortest wait KMS allows: a destroyed stack should not leave a key billing for a month.
        deletionWindowInDays: 7,
        policy: keyPolicy.json,
      },
      { parent: this },
    );

    const topic = new aws.sns.Topic(`${name}-topic`, { kmsMasterKeyId: key.arn }, { parent: this });
    const actions = { alarmActions: [topic.arn], okActions: [topic.arn] };

    if (args.alarmEmail !== "") {
      // SNS sends a confirmation e-mail; nothing is delivered until the link in it is followed.
      new aws.sns.TopicSubscription(
        `${name}-email`,
        { topic: topic.arn, protocol: "email", endpoint: args.alarmEmail },
        { parent: this },
      );
    }

    for (const queue of args.deadLetterQueues) {
      new aws.cloudwatch.MetricAlarm(
        `${name}-dlq-${queue.label}`,
        {
          alarmDescription:
            `A message is waiting in the ${queue.label} dead-letter queue: work that failed after every retry. ` +
            "Read it (it names the asset and the error), fix the cause, then redrive or delete it.",
          namespace: "AWS/SQS",
          metricName: "ApproximateNumberOfMessagesVisible",
          dimensions: { QueueName: queue.queueName },
          statistic: "Maximum",
          period: DLQ_PERIOD_SECONDS,
          evaluationPeriods: 1,
          threshold: 0,
          comparisonOperator: "GreaterThanThreshold",
          // SQS stops publishing metrics for a queue idle for six hours: that means empty, not broken.
          treatMissingData: "notBreaching",
          ...actions,
        },
        { parent: this },
      );
    }

    new aws.cloudwatch.MetricAlarm(
      `${name}-admission-waiting`,
      {
        alarmDescription:
          `A title has waited ${args.admissionQueue.maxWaitSeconds} s for admission to MediaConvert, half its ` +
          "transcode heartbeat: past the heartbeat it times out unsubmitted. Raise createJobRate (within the " +
          "account's CreateJob rate) or expect to redrive the executions that fail.",
        namespace: "AWS/SQS",
        metricName: "ApproximateAgeOfOldestMessage",
        dimensions: { QueueName: args.admissionQueue.queueName },
        statistic: "Maximum",
        period: DLQ_PERIOD_SECONDS,
        evaluationPeriods: 1,
        threshold: args.admissionQueue.maxWaitSeconds,
        comparisonOperator: "GreaterThanThreshold",
        treatMissingData: "notBreaching",
        ...actions,
      },
      { parent: this },
    );

    new aws.cloudwatch.MetricAlarm(
      `${name}-executions-failed`,
      {
        alarmDescription:
          "An ingest execution failed or timed out. The catalogue row says which asset and state; " +
          "fix the cause, then redrive the execution from the Step Functions console.",
        metricQueries: failedExecutionsQueries(args.stateMachineArn),
        evaluationPeriods: 1,
        threshold: 0,
        comparisonOperator: "GreaterThanThreshold",
        treatMissingData: "notBreaching",
        ...actions,
      },
      { parent: this },
    );

    new aws.cloudwatch.MetricAlarm(
      `${name}-jobs-errored`,
      {
        alarmDescription:
          "A MediaConvert job in the pipeline's queue ended in ERROR. The job's error code and message are on " +
          "the catalogue row of its asset and in the MediaConvert console.",
        namespace: "AWS/MediaConvert",
        metricName: "JobsErroredCount",
        // MediaConvert publishes per-queue metrics with the queue's ARN as the Queue dimension.
        dimensions: { Queue: args.mediaConvertQueueArn },
        statistic: "Sum",
        period: FAILURE_PERIOD_SECONDS,
        evaluationPeriods: 1,
        threshold: 0,
        comparisonOperator: "GreaterThanThreshold",
        treatMissingData: "notBreaching",
        ...actions,
      },
      { parent: this },
    );

    this.topicArn = topic.arn;
    this.registerOutputs({ topicArn: this.topicArn });
  }
}

/**
 * Metric math for "executions that failed or timed out": the sum of the two AWS/States counts.
 * Arithmetic treats a missing datapoint as 0, so a period with only timeouts still counts; FILL is
 * not used because in an alarm it can pin the latest datapoint to the fill value.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html#metric-math-syntax-arithmetic
 */
export function failedExecutionsQueries(
  stateMachineArn: pulumi.Input<string>,
): aws.types.input.cloudwatch.MetricAlarmMetricQuery[] {
  const count = (id: string, metricName: string): aws.types.input.cloudwatch.MetricAlarmMetricQuery => ({
    id,
    returnData: false,
    metric: {
      namespace: "AWS/States",
      metricName,
      dimensions: { StateMachineArn: stateMachineArn },
      stat: "Sum",
      period: FAILURE_PERIOD_SECONDS,
    },
  });
  return [
    count("failed", "ExecutionsFailed"),
    count("timedOut", "ExecutionsTimedOut"),
    {
      id: "failedOrTimedOut",
      label: "Executions failed or timed out",
      expression: "failed + timedOut",
      returnData: true,
    },
  ];
}

/** Labels become logical names: they must be name-safe and unique (renaming one replaces its alarm). */
export function checkLabels(queues: readonly WatchedQueue[]): void {
  const seen = new Set<string>();
  for (const { label } of queues) {
    if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(label)) {
      throw new Error(
        `dead-letter queue label "${label}" must be lower case letters and digits joined by "-"`,
      );
    }
    if (seen.has(label)) throw new Error(`dead-letter queue label "${label}" is used twice`);
    seen.add(label);
  }
}
