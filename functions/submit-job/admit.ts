import { ChangeMessageVisibilityBatchCommand } from "@aws-sdk/client-sqs";
import type { SQSBatchItemFailure, SQSBatchResponse, SQSRecord } from "aws-lambda";
import { TranscodeRequestSchema } from "./schema";
import { describe, isTransient } from "../shared/runtime/errors";
import { sqs } from "../shared/runtime/clients";
import { logger, metrics } from "../shared/runtime/powertools";
import { isTaskClosedError, sendHeartbeat, sendTaskError } from "../shared/transcode/callback";
import { ADMISSION_TIME_RESERVE_SECONDS } from "../shared/contract/admission";
import type { TranscodeRequest } from "../shared/contract/workflow";
import { InvalidTaskInputError, ServiceBusyError } from "../shared/contract/errors";
import { issuesText } from "../shared/runtime/schema-issues";
import type { Pacer } from "./pacer";
import { submitJob, type SubmitJobConfig } from "./submit-job";

export interface AdmissionConfig extends SubmitJobConfig {
  /** The admission queue (retry delays are set on its messages). */
  readonly admissionQueueUrl: string;
  /** Receives after which a title that still cannot be submitted fails its task (ADMISSION_MAX_RECEIVES). */
  readonly maxReceives: number;
}

/** What became of one message. `retry`: it stays in the queue and comes back after `delaySeconds`. */
type Outcome =
  | { readonly kind: "done" }
  | { readonly kind: "retry"; readonly delaySeconds: number; readonly throttled: boolean };

const DONE: Outcome = { kind: "done" };

/** Longest retry delay of a message (seconds), and the delay of a message left untried because its batch paused. */
const MAX_RETRY_DELAY_SECONDS = 300;
const PAUSED_DELAY_SECONDS = 5;

/**
 * One batch from the admission queue, in order: each title's task is heartbeated first (a title whose
 * task closed while it waited — heartbeat timeout, stopped or redriven execution — is dropped, so no job
 * is created for it), then submitted (`submitJob`: one job per execution attempt, even when the same
 * message comes twice), CreateJob calls paced by `pacer`. A title that cannot be submitted now (throttled,
 * a 5xx, DynamoDB busy) goes back to the queue with a backoff instead of failing its execution; after a
 * throttle the rest of the batch goes back too. A title that can never be submitted (stale source, a job
 * MediaConvert refuses, an invalid message) fails its task with the error's name, as a failed Lambda task
 * would, and "Transcode To CMAF"'s Retry and Catch route it. Returns the messages to keep
 * (ReportBatchItemFailures): https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html
 */
export async function admitBatch(
  records: readonly SQSRecord[],
  config: AdmissionConfig,
  pacer: Pacer,
  remainingMs: () => number,
  random: () => number = Math.random,
): Promise<SQSBatchResponse> {
  const keep: { record: SQSRecord; delaySeconds: number }[] = [];
  let paused = false;
  for (const record of records) {
    // A turn must leave time for the title's own calls before Lambda's timeout.
    const outOfTime = remainingMs() < pacer.wait() + ADMISSION_TIME_RESERVE_SECONDS * 1000;
    if (paused || outOfTime) {
      keep.push({ record, delaySeconds: PAUSED_DELAY_SECONDS });
      continue;
    }
    const outcome = await admitOne(record, config, pacer, random);
    if (outcome.kind === "retry") {
      keep.push({ record, delaySeconds: outcome.delaySeconds });
      if (outcome.throttled) paused = true;
    }
  }
  await pacer.settle();
  if (keep.length > 0) await delayRetries(config.admissionQueueUrl, keep);
  const batchItemFailures: SQSBatchItemFailure[] = keep.map(({ record }) => ({
    itemIdentifier: record.messageId,
  }));
  return { batchItemFailures };
}

async function admitOne(
  record: SQSRecord,
  config: AdmissionConfig,
  pacer: Pacer,
  random: () => number,
): Promise<Outcome> {
  const receives = Number(record.attributes.ApproximateReceiveCount) || 1;
  const request = parseRequest(record);
  if (!request.ok) {
    logger.error("admission message does not match the transcode request", {
      error: describe(request.problem),
    });
    // Without a token there is no task to fail: the message stays until the dead-letter queue (alarmed) takes it.
    if (request.taskToken === undefined)
      return { kind: "retry", delaySeconds: MAX_RETRY_DELAY_SECONDS, throttled: false };
    return failed(request.problem, request.taskToken, receives, config, random);
  }
  const { taskToken } = request.value;
  logger.appendKeys({ assetId: request.value.upload.assetId, messageId: record.messageId });
  try {
    // Also restarts the task's heartbeat clock: the title has HeartbeatSeconds for what follows.
    if (!(await sendHeartbeat(taskToken, logger))) {
      logger.warn("the title's task closed while it waited for admission: no job created", { receives });
      metrics.addMetric("AdmissionDropped", "Count", 1);
      return DONE;
    }
    const waitedSeconds = Math.max(0, (Date.now() - Number(record.attributes.SentTimestamp)) / 1000);
    const result = await submitJob(request.value, config, { beforeCreateJob: () => pacer.turn() });
    metrics.addMetric("AdmissionWaitSeconds", "Seconds", waitedSeconds);
    logger.info("admitted", { jobId: result.jobId, created: result.created, waitedSeconds, receives });
    return DONE;
  } catch (error) {
    return failed(error, taskToken, receives, config, random);
  } finally {
    logger.removeKeys(["assetId", "messageId", "executionName", "correlationId"]);
  }
}

/** A failed try: back to the queue while a repeat may cure it, else the task fails with the error's name. */
async function failed(
  error: unknown,
  taskToken: string,
  receives: number,
  config: AdmissionConfig,
  random: () => number,
): Promise<Outcome> {
  if (isTaskClosedError(error)) return DONE;
  const transient = !(error instanceof ServiceBusyError) && isTransient(error);
  if (transient && receives < config.maxReceives) {
    const throttled = isThrottle(error);
    logger.warn("could not submit the title now; it goes back to the queue", {
      error: describe(error),
      receives,
      throttled,
    });
    if (throttled) metrics.addMetric("CreateJobThrottled", "Count", 1);
    return { kind: "retry", delaySeconds: retryDelaySeconds(receives, random), throttled };
  }
  // Still failing on the last receive: Vod.ServiceBusy, which the Task's retrier answers with a fresh message.
  const failure = transient ? new ServiceBusyError("MediaConvert or DynamoDB", error) : error;
  logger.error("the title cannot be submitted: its task fails", { error: describe(failure), receives });
  try {
    await sendTaskError(
      taskToken,
      errorName(failure),
      failure instanceof Error ? failure.message : String(failure),
      logger,
    );
    return DONE;
  } catch (sendError) {
    // Step Functions itself is busy: keep the message and say so again later.
    if (isTransient(sendError))
      return { kind: "retry", delaySeconds: retryDelaySeconds(receives, random), throttled: false };
    throw sendError;
  }
}

type Parsed =
  | { readonly ok: true; readonly value: TranscodeRequest }
  | { readonly ok: false; readonly problem: InvalidTaskInputError; readonly taskToken?: string };

/** The message body as "Transcode To CMAF" sent it, or what is wrong with it (and its token, if it has one). */
function parseRequest(record: SQSRecord): Parsed {
  let body: unknown;
  try {
    body = JSON.parse(record.body);
  } catch {
    body = undefined;
  }
  const parsed = TranscodeRequestSchema.safeParse(body);
  if (parsed.success) return { ok: true, value: parsed.data };
  const token = (body as { taskToken?: unknown } | undefined)?.taskToken;
  return {
    ok: false,
    problem: new InvalidTaskInputError(`admission message ${record.messageId}: ${issuesText(parsed.error)}`),
    taskToken: typeof token === "string" && token.length > 0 ? token : undefined,
  };
}

/** Full-jitter exponential backoff by receive count: 2 s, 4 s, … up to 5 minutes, at least 1 s. */
export function retryDelaySeconds(receives: number, random: () => number): number {
  const cap = Math.min(MAX_RETRY_DELAY_SECONDS, 2 ** Math.min(receives, 16));
  return Math.max(1, Math.round(random() * cap));
}

/** MediaConvert (and DynamoDB) throttling: the account's request rate is shared, so the whole batch waits. */
function isThrottle(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return (
    e?.$metadata?.httpStatusCode === 429 ||
    ["TooManyRequestsException", "ThrottlingException", "ProvisionedThroughputExceededException"].includes(
      e?.name ?? "",
    )
  );
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : "Error";
}

/**
 * Sets each kept message's visibility to its retry delay (one ChangeMessageVisibilityBatch call, at
 * most 10 entries: one batch). Best effort: if it fails, the queue's visibility timeout applies.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ChangeMessageVisibilityBatch.html
 */
async function delayRetries(
  queueUrl: string,
  keep: readonly { record: SQSRecord; delaySeconds: number }[],
): Promise<void> {
  try {
    const { Failed } = await sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: queueUrl,
        Entries: keep.map(({ record, delaySeconds }, i) => ({
          Id: String(i),
          ReceiptHandle: record.receiptHandle,
          VisibilityTimeout: delaySeconds,
        })),
      }),
    );
    if (Failed && Failed.length > 0) logger.warn("some retry delays were not set", { failed: Failed });
  } catch (error) {
    logger.warn("retry delays not set; the queue's visibility timeout applies", { error: describe(error) });
  }
}
