import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { eventBridgeSendsToQueue } from "./policies";

/** SQS keeps a message at most 14 days (`MessageRetentionPeriod` 60–1,209,600 seconds). */
export const MAX_RETENTION_DAYS = 14;

export interface DeadLetterQueueArgs {
  /** Days a message stays in the queue (whole days, 1–14); config `dlqRetentionDays`, default 14. */
  readonly retentionDays: number;
}

/**
 * A dead-letter queue (ARCHITECTURE.md decision 4): a standard queue (EventBridge refuses FIFO
 * DLQs), encrypted with SQS-managed keys (SSE-SQS), so EventBridge, Lambda and Step Functions can
 * send to it with IAM or queue-policy permissions alone — no KMS key policy to keep in step.
 * @example const dlq = deadLetterQueue("vod-ingest-dlq", { retentionDays: 14 }, { parent: this });
 */
export function deadLetterQueue(
  name: string,
  args: DeadLetterQueueArgs,
  opts?: pulumi.CustomResourceOptions,
): aws.sqs.Queue {
  return new aws.sqs.Queue(
    name,
    {
      sqsManagedSseEnabled: true,
      messageRetentionSeconds: retentionSeconds(args.retentionDays),
    },
    opts,
  );
}

/**
 * The queue policy that lets EventBridge deliver failed events from the given rules to `queue`,
 * scoped with `aws:SourceArn`. A queue has one policy: pass every rule that uses this queue.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html#eb-dlq-perms
 * @example allowEventBridgeToSend("vod-ingest-dlq-policy", dlq, [uploadRule.arn], { parent: this });
 */
export function allowEventBridgeToSend(
  name: string,
  queue: aws.sqs.Queue,
  ruleArns: pulumi.Input<string>[],
  opts?: pulumi.CustomResourceOptions,
): aws.sqs.QueuePolicy {
  const policy = aws.iam.getPolicyDocumentOutput(
    { statements: [eventBridgeSendsToQueue(queue.arn, ruleArns)] },
    { parent: opts?.parent },
  );
  return new aws.sqs.QueuePolicy(name, { queueUrl: queue.url, policy: policy.json }, opts);
}

/**
 * Whole days → `messageRetentionSeconds`; throws on a value SQS would refuse.
 * @example retentionSeconds(14) === 1_209_600
 */
export function retentionSeconds(days: number): number {
  if (!Number.isInteger(days) || days < 1 || days > MAX_RETENTION_DAYS) {
    throw new RangeError(
      `DLQ retention must be a whole number of days from 1 to ${MAX_RETENTION_DAYS}, got ${days}`,
    );
  }
  return days * 86_400;
}
