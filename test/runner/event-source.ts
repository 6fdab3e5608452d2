import { createHash } from "node:crypto";
import type { SQSEvent, SQSRecord } from "aws-lambda";
import { REGION } from "./aws";
import type { Clock } from "./clock";
import type { LambdaService } from "./lambda";
import type { QueuedMessage, SqsFake } from "./fakes/sqs";

export interface SqsEventSourceOptions {
  readonly queueUrl: string;
  readonly queueArn: string;
  readonly functionName: string;
  /** BatchSize (1–10 without a batching window). */
  readonly batchSize: number;
  /** ScalingConfig.MaximumConcurrency: invocations at once (2–1000). */
  readonly maximumConcurrency: number;
}

/** A batch an event source mapping handed to its function, and what became of it. */
export interface SqsBatchRecord {
  readonly executionArns: readonly string[];
  readonly size: number;
  outcome?: "ok" | "error";
  /** Messages the function reported as failed (ReportBatchItemFailures). */
  failed?: number;
}

/**
 * A Lambda event source mapping on a standard queue with ReportBatchItemFailures: whenever messages
 * are receivable and fewer than MaximumConcurrency invocations run, it receives up to BatchSize and
 * invokes the function synchronously with an `aws:sqs` event; on success it deletes every message
 * except those in `batchItemFailures`, on a function error it deletes none (they return after their
 * visibility timeout). https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html
 */
export class SqsEventSource {
  private running = 0;
  readonly batches: SqsBatchRecord[] = [];

  constructor(
    private readonly clock: Clock,
    private readonly sqs: SqsFake,
    private readonly lambda: LambdaService,
    private readonly options: SqsEventSourceOptions,
  ) {
    if (options.maximumConcurrency < 2 || options.maximumConcurrency > 1000)
      throw new RangeError(`MaximumConcurrency must be 2 to 1000, got ${options.maximumConcurrency}`);
    sqs.onAvailable(options.queueUrl, () => this.poll());
  }

  /** Invokes as many batches as the concurrency allows. */
  poll(): void {
    while (this.running < this.options.maximumConcurrency) {
      const messages = this.sqs.receive(this.options.queueUrl, this.options.batchSize);
      if (messages.length === 0) return;
      this.running++;
      void this.invoke(messages).finally(() => {
        this.running--;
        this.poll();
      });
    }
  }

  private async invoke(messages: QueuedMessage[]): Promise<void> {
    const executionArns = messages.map((m) => executionOf(m.body)).filter((a): a is string => !!a);
    const batch: SqsBatchRecord = { executionArns, size: messages.length };
    this.batches.push(batch);
    const event: SQSEvent = { Records: messages.map((m) => this.record(m)) };
    const result = await this.lambda.invoke(this.options.functionName, event, {
      kind: "queue",
      queueUrl: this.options.queueUrl,
      executionArns,
    });
    if (!result.ok) {
      batch.outcome = "error";
      return;
    }
    const failures = new Set(
      (
        (result.payload as { batchItemFailures?: { itemIdentifier: string }[] } | null)?.batchItemFailures ??
        []
      ).map((f) => f.itemIdentifier),
    );
    batch.outcome = "ok";
    batch.failed = failures.size;
    for (const message of messages) {
      if (!failures.has(message.messageId))
        this.sqs.deleteMessage(this.options.queueUrl, message.receiptHandle!);
    }
  }

  /** The record shape of an SQS event. https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html */
  private record(message: QueuedMessage): SQSRecord {
    return {
      messageId: message.messageId,
      receiptHandle: message.receiptHandle!,
      body: message.body,
      attributes: {
        ApproximateReceiveCount: String(message.receiveCount),
        SentTimestamp: String(message.sentAt),
        SenderId: "AROAEXAMPLEROLEID:states",
        ApproximateFirstReceiveTimestamp: String(message.firstReceivedAt ?? this.clock.now()),
      },
      messageAttributes: {},
      md5OfBody: createHash("md5").update(message.body).digest("hex"),
      eventSource: "aws:sqs",
      eventSourceARN: this.options.queueArn,
      awsRegion: REGION,
    };
  }
}

function executionOf(body: string): string | undefined {
  try {
    const arn = (JSON.parse(body) as { executionArn?: unknown }).executionArn;
    return typeof arn === "string" ? arn : undefined;
  } catch {
    return undefined;
  }
}
