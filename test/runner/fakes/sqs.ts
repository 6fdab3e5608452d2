import { createHash } from "node:crypto";
import {
  QueueDoesNotExist,
  type SendMessageCommandInput,
  type SendMessageCommandOutput,
} from "@aws-sdk/client-sqs";
import type { Random } from "../aws";
import type { Clock } from "../clock";

export interface QueuedMessage {
  readonly queueUrl: string;
  readonly messageId: string;
  readonly body: string;
  readonly attributes: SendMessageCommandInput["MessageAttributes"];
  readonly sentAt: number;
}

/** The SendMessage size limit (256 KiB). https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html */
const MAX_BODY_BYTES = 262_144;

/**
 * Amazon SQS for SendMessage: records every message per queue URL; an unknown URL is
 * QueueDoesNotExist, an empty or oversized body is refused. Receiving is left to the test.
 */
export class SqsFake {
  private readonly queues = new Map<string, QueuedMessage[]>();

  constructor(
    private readonly clock: Clock,
    private readonly random: Random,
    queueUrls: readonly string[],
  ) {
    for (const url of queueUrls) this.queues.set(url, []);
  }

  sendMessage(input: SendMessageCommandInput): SendMessageCommandOutput {
    const queue = this.queues.get(input.QueueUrl ?? "");
    if (!queue) {
      throw new QueueDoesNotExist({
        message: "The specified queue does not exist.",
        $metadata: { httpStatusCode: 400 },
      });
    }
    const body = input.MessageBody ?? "";
    if (body === "" || Buffer.byteLength(body, "utf8") > MAX_BODY_BYTES) {
      const error = new Error(`MessageBody must be 1 to ${MAX_BODY_BYTES} bytes`);
      error.name = "InvalidParameterValue";
      throw error;
    }
    const messageId = this.random.uuid();
    queue.push({
      queueUrl: input.QueueUrl!,
      messageId,
      body,
      attributes: input.MessageAttributes,
      sentAt: this.clock.now(),
    });
    return {
      $metadata: { httpStatusCode: 200 },
      MessageId: messageId,
      MD5OfMessageBody: createHash("md5").update(body).digest("hex"),
    };
  }

  /** Also used by the runner for Lambda on-failure destinations and EventBridge DLQs. */
  record(queueUrl: string, body: unknown): void {
    this.sendMessage({
      QueueUrl: queueUrl,
      MessageBody: typeof body === "string" ? body : JSON.stringify(body),
    });
  }

  messages(queueUrl: string): readonly QueuedMessage[] {
    return this.queues.get(queueUrl) ?? [];
  }

  /** Message bodies parsed as JSON. */
  bodies<T = unknown>(queueUrl: string): T[] {
    return this.messages(queueUrl).map((m) => JSON.parse(m.body) as T);
  }

  clear(): void {
    for (const queue of this.queues.values()) queue.length = 0;
  }
}
