import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
  ADMISSION_MAX_RECEIVES,
  admissionBatchSize,
  admissionVisibilityTimeoutSeconds,
  createJobIntervalMs,
} from "../functions/shared/contract/admission";
import { deadLetterQueue, retentionSeconds, MAX_RETENTION_DAYS } from "./lib/dead-letter-queue";
import { FUNCTION_SIZING } from "./lib/function-table";

export interface AdmissionArgs {
  /** CreateJob calls per second, all submitters together (config `createJobRate`). */
  readonly createJobRate: number;
  /** Submitters at once: the mapping's MaximumConcurrency (config `admissionConcurrency`, 2–1000). */
  readonly concurrency: number;
  /** submit-job's ARN; resolved after the functions exist (they need this queue's URL first). */
  readonly submitterFunctionArn: pulumi.Input<string>;
  /** Days the dead-letter queue keeps a message (config `dlqRetentionDays`). */
  readonly dlqRetentionDays: number;
}

/**
 * Admission in front of MediaConvert's CreateJob (functions/shared/contract/admission.ts): the queue
 * "Transcode To CMAF" sends every title to, with its task token, and the event source mapping through
 * which submit-job drains it at a bounded concurrency, pacing its CreateJob calls to `createJobRate`.
 * Titles wait here, visible (queue depth and age of the oldest title, alarmed in Alarms), and are never
 * lost: a message is deleted only once its title was submitted, dropped because its task closed, or
 * failed back to the state machine; one a crashing submitter never finishes goes to the DLQ.
 */
export class Admission extends pulumi.ComponentResource {
  public readonly queueUrl: pulumi.Output<string>;
  public readonly queueArn: pulumi.Output<string>;
  public readonly queueName: pulumi.Output<string>;
  public readonly deadLetterQueue: aws.sqs.Queue;

  constructor(name: string, args: AdmissionArgs, opts?: pulumi.ComponentResourceOptions) {
    super("vod:admission:Admission", name, {}, opts);
    const child = { parent: this };
    const timeoutSeconds = FUNCTION_SIZING["submit-job"].timeoutSeconds;
    if (!Number.isInteger(args.concurrency) || args.concurrency < 2 || args.concurrency > 1000)
      throw new RangeError(
        `admissionConcurrency must be a whole number from 2 to 1000, got ${args.concurrency}`,
      );
    const intervalMs = createJobIntervalMs(args.createJobRate, args.concurrency);

    this.deadLetterQueue = deadLetterQueue(`${name}-dlq`, { retentionDays: args.dlqRetentionDays }, child);
    const queue = new aws.sqs.Queue(
      `${name}-queue`,
      {
        // Message bodies carry task tokens: encrypted at rest (SSE-SQS), readable only by submit-job's role.
        sqsManagedSseEnabled: true,
        visibilityTimeoutSeconds: admissionVisibilityTimeoutSeconds(timeoutSeconds),
        // A title waits minutes, never days; the longest retention keeps a stalled backlog while an operator looks.
        messageRetentionSeconds: retentionSeconds(MAX_RETENTION_DAYS),
        redrivePolicy: pulumi.jsonStringify({
          deadLetterTargetArn: this.deadLetterQueue.arn,
          maxReceiveCount: ADMISSION_MAX_RECEIVES,
        }),
      },
      child,
    );

    new aws.lambda.EventSourceMapping(
      `${name}-submitter`,
      {
        eventSourceArn: queue.arn,
        functionName: args.submitterFunctionArn,
        batchSize: admissionBatchSize(intervalMs, timeoutSeconds),
        maximumBatchingWindowInSeconds: 0,
        // Only the messages submit-job names go back to the queue; the rest of the batch is deleted.
        functionResponseTypes: ["ReportBatchItemFailures"],
        scalingConfig: { maximumConcurrency: args.concurrency },
      },
      child,
    );

    this.queueUrl = queue.url;
    this.queueArn = queue.arn;
    this.queueName = queue.name;
    this.registerOutputs({
      queueUrl: this.queueUrl,
      queueArn: this.queueArn,
      deadLetterQueueUrl: this.deadLetterQueue.url,
    });
  }
}
