import { SendMessageCommand } from "@aws-sdk/client-sqs";
import { sqs } from "../shared/runtime/clients";
import type { RowError } from "../shared/catalogue/row";
import type { SourceRef } from "./execution-story";
import type { FailureStatus } from "./failure-description";

/**
 * The body of a message on the failed-executions queue: enough to act on without opening anything else — which
 * title, which uploaded object, what went wrong where, and the execution to redrive.
 *
 * @example
 * ```json
 * {
 *   "assetId": "lecture-01-final-3f9a2c",
 *   "source": { "bucket": "vod-source-123456789012", "key": "courses/lecture 01 (final).mov", "versionId": "3HL4kqtJ…" },
 *   "status": "FAILED",
 *   "error": { "code": "MediaConvert.1010", "message": "Unable to open input file …", "state": "Transcode To CMAF" },
 *   "failedState": "Transcode To CMAF",
 *   "executionArn": "arn:aws:states:us-east-1:123456789012:execution:vod-ingest:0f4e…",
 *   "consoleUrl": "https://us-east-1.console.aws.amazon.com/states/home?region=us-east-1#/v2/executions/details/arn:…",
 *   "redriveCount": 0,
 *   "failedAt": "2024-06-01T10:42:21.881Z"
 * }
 * ```
 */
export interface FailureMessage {
  /** null when the execution failed before "Claim Upload" produced one. */
  readonly assetId: string | null;
  /** The claimed object; before the claim, the object named by the S3 event (key as EventBridge delivered it). */
  readonly source: SourceRef | null;
  readonly status: FailureStatus;
  readonly error: RowError;
  readonly failedState: string;
  readonly executionArn: string;
  readonly consoleUrl: string;
  readonly redriveCount: number;
  /** ISO 8601: the execution's stopDate, else the event's time. */
  readonly failedAt: string;
}

/** Puts one failure on the failed-executions queue. */
export async function sendFailureMessage(queueUrl: string, message: FailureMessage): Promise<void> {
  await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(message) }));
}
