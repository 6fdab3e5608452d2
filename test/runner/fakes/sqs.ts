import { createHash } from "node:crypto";
import {
  QueueDoesNotExist,
  type ChangeMessageVisibilityBatchCommandInput,
  type ChangeMessageVisibilityBatchCommandOutput,
  type SendMessageCommandInput,
  type SendMessageCommandOutput,
} from "@aws-sdk/client-sqs";
import type { Random } from "../aws";
import type { Clock, TimerHandle } from "../clock";

export interface QueuedMessage {
  readonly queueUrl: string;
  readonly messageId: string;
  readonly body: string;
  readonly attributes: SendMessageCommandInput["MessageAttributes"];
  readonly sentAt: number;
  /** Receives so far (ApproximateReceiveCount). */
  receiveCount: number;
  firstReceivedAt?: number;
  /** Not returned by ReceiveMessage before this time (the visibility timeout of its last receive). */
  invisibleUntil: number;
  /** The receipt handle of the latest receive: only it may delete the message or change its visibility. */
  receiptHandle?: string;
}

/** A queue's attributes that change how it hands out messages (what infra sets on the admission queue). */
export interface QueueBehaviour {
  /** VisibilityTimeout, seconds (SQS default 30). */
  readonly visibilityTimeoutSeconds?: number;
  /** RedrivePolicy: after this many receives the next receive moves the message to `deadLetterQueueUrl`. */
  readonly redrive?: { readonly maxReceiveCount: number; readonly deadLetterQueueUrl: string };
}

/** The SendMessage size limit (256 KiB). https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html */
const MAX_BODY_BYTES = 262_144;
/** ChangeMessageVisibility: 0 to 43,200 seconds (12 hours); a batch holds at most 10 entries. */
const MAX_VISIBILITY_SECONDS = 43_200;
const MAX_BATCH_ENTRIES = 10;
/** ReceiveMessage MaxNumberOfMessages: 1 to 10. */
const MAX_RECEIVE = 10;

/**
 * Amazon SQS, standard queues: SendMessage (size limit, unknown queue), ReceiveMessage with the
 * visibility timeout and receive count, DeleteMessage and ChangeMessageVisibilityBatch by the latest
 * receipt handle, and a redrive policy that moves a message received `maxReceiveCount` times to its
 * dead-letter queue on the next receive. `onAvailable` tells a poller (an event source mapping) that a
 * message became receivable. Order is first-sent first (a standard queue only promises best effort).
 */
export class SqsFake {
  private readonly queues = new Map<string, QueuedMessage[]>();
  private readonly behaviour = new Map<string, QueueBehaviour>();
  private readonly listeners = new Map<string, () => void>();
  private readonly wakeups = new Map<string, TimerHandle>();

  constructor(
    private readonly clock: Clock,
    private readonly random: Random,
    queueUrls: readonly string[],
  ) {
    for (const url of queueUrls) this.queues.set(url, []);
  }

  /** Sets a queue's visibility timeout and redrive policy. */
  configure(queueUrl: string, behaviour: QueueBehaviour): void {
    this.queue(queueUrl);
    this.behaviour.set(queueUrl, behaviour);
  }

  /** Calls `listener` whenever a message of the queue becomes receivable. */
  onAvailable(queueUrl: string, listener: () => void): void {
    this.listeners.set(queueUrl, listener);
  }

  sendMessage(input: SendMessageCommandInput): SendMessageCommandOutput {
    const queue = this.queue(input.QueueUrl ?? "");
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
      receiveCount: 0,
      invisibleUntil: this.clock.now(),
    });
    this.notify(input.QueueUrl!);
    return {
      $metadata: { httpStatusCode: 200 },
      MessageId: messageId,
      MD5OfMessageBody: md5(body),
    };
  }

  /** Also used by the runner for Lambda on-failure destinations and EventBridge DLQs. */
  record(queueUrl: string, body: unknown): void {
    this.sendMessage({
      QueueUrl: queueUrl,
      MessageBody: typeof body === "string" ? body : JSON.stringify(body),
    });
  }

  /**
   * ReceiveMessage: up to `max` receivable messages, each hidden for the visibility timeout and given a
   * new receipt handle. A message already received `maxReceiveCount` times moves to the dead-letter
   * queue instead of being returned.
   */
  receive(queueUrl: string, max: number): QueuedMessage[] {
    if (!Number.isInteger(max) || max < 1 || max > MAX_RECEIVE)
      throw new RangeError(`MaxNumberOfMessages must be 1 to ${MAX_RECEIVE}, got ${max}`);
    const queue = this.queue(queueUrl);
    const { visibilityTimeoutSeconds = 30, redrive } = this.behaviour.get(queueUrl) ?? {};
    const now = this.clock.now();
    const received: QueuedMessage[] = [];
    for (const message of [...queue]) {
      if (received.length >= max) break;
      if (message.invisibleUntil > now) continue;
      if (redrive && message.receiveCount >= redrive.maxReceiveCount) {
        queue.splice(queue.indexOf(message), 1);
        this.queue(redrive.deadLetterQueueUrl).push({ ...message, queueUrl: redrive.deadLetterQueueUrl });
        continue;
      }
      message.receiveCount++;
      message.firstReceivedAt ??= now;
      message.receiptHandle = `${message.messageId}#${message.receiveCount}#${this.random.hex(8)}`;
      message.invisibleUntil = now + visibilityTimeoutSeconds * 1000;
      received.push(message);
    }
    this.armWakeup(queueUrl);
    return received;
  }

  /** DeleteMessage by the latest receipt handle (an outdated handle deletes nothing, as SQS may). */
  deleteMessage(queueUrl: string, receiptHandle: string): void {
    const queue = this.queue(queueUrl);
    const index = queue.findIndex((m) => m.receiptHandle === receiptHandle);
    if (index >= 0) queue.splice(index, 1);
  }

  changeMessageVisibilityBatch(
    input: ChangeMessageVisibilityBatchCommandInput,
  ): ChangeMessageVisibilityBatchCommandOutput {
    const queue = this.queue(input.QueueUrl ?? "");
    const entries = input.Entries ?? [];
    if (entries.length === 0 || entries.length > MAX_BATCH_ENTRIES) {
      const error = new Error(`Entries must hold 1 to ${MAX_BATCH_ENTRIES} entries, got ${entries.length}`);
      error.name = entries.length === 0 ? "EmptyBatchRequest" : "TooManyEntriesInBatchRequest";
      throw error;
    }
    const Successful: { Id: string }[] = [];
    const Failed: { Id: string; SenderFault: boolean; Code: string; Message: string }[] = [];
    for (const entry of entries) {
      const seconds = entry.VisibilityTimeout ?? -1;
      const message = queue.find((m) => m.receiptHandle === entry.ReceiptHandle);
      if (!Number.isInteger(seconds) || seconds < 0 || seconds > MAX_VISIBILITY_SECONDS) {
        Failed.push({
          Id: entry.Id!,
          SenderFault: true,
          Code: "InvalidParameterValue",
          Message: `VisibilityTimeout ${seconds}`,
        });
      } else if (!message) {
        Failed.push({
          Id: entry.Id!,
          SenderFault: true,
          Code: "ReceiptHandleIsInvalid",
          Message: "unknown receipt handle",
        });
      } else {
        message.invisibleUntil = this.clock.now() + seconds * 1000;
        Successful.push({ Id: entry.Id! });
      }
    }
    this.armWakeup(input.QueueUrl!);
    return { $metadata: { httpStatusCode: 200 }, Successful, Failed };
  }

  /** Messages in the queue (received or not, not yet deleted). */
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

  private queue(queueUrl: string): QueuedMessage[] {
    const queue = this.queues.get(queueUrl);
    if (!queue) {
      throw new QueueDoesNotExist({
        message: "The specified queue does not exist.",
        $metadata: { httpStatusCode: 400 },
      });
    }
    return queue;
  }

  private notify(queueUrl: string): void {
    this.listeners.get(queueUrl)?.();
  }

  /** Wakes the queue's poller when the next hidden message becomes receivable again. */
  private armWakeup(queueUrl: string): void {
    if (!this.listeners.has(queueUrl)) return;
    this.clock.cancel(this.wakeups.get(queueUrl));
    const now = this.clock.now();
    const next = Math.min(
      ...this.queue(queueUrl)
        .filter((m) => m.invisibleUntil > now)
        .map((m) => m.invisibleUntil),
    );
    if (!Number.isFinite(next)) return;
    this.wakeups.set(
      queueUrl,
      this.clock.schedule(next - now, () => this.notify(queueUrl), { label: `visibility of ${queueUrl}` }),
    );
  }
}

function md5(body: string): string {
  return createHash("md5").update(body).digest("hex");
}
