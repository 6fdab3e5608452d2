import { ACCOUNT, PARTITION, REGION } from "./aws";

/**
 * EventBridge events as AWS documents them, built by the fakes and delivered to the real handlers.
 */

/** Every EventBridge event's envelope. https://docs.aws.amazon.com/eventbridge/latest/ref/overiew-event-structure.html */
export interface EventBridgeEvent<TDetailType extends string = string, TDetail = unknown> {
  readonly version: "0";
  readonly id: string;
  readonly "detail-type": TDetailType;
  readonly source: string;
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: TDetail;
}

/** EventBridge `time`: whole seconds, UTC, `Z`. */
export function eventTime(nowMs: number): string {
  return new Date(nowMs).toISOString().replace(/\.\d{3}Z$/, "Z");
}

function envelope<TDetailType extends string, TDetail>(
  id: string,
  nowMs: number,
  source: string,
  detailType: TDetailType,
  resources: readonly string[],
  detail: TDetail,
): EventBridgeEvent<TDetailType, TDetail> {
  return {
    version: "0",
    id,
    "detail-type": detailType,
    source,
    account: ACCOUNT,
    time: eventTime(nowMs),
    region: REGION,
    resources,
    detail,
  };
}

/** "Object Created" detail, https://docs.aws.amazon.com/AmazonS3/latest/userguide/ev-events.html */
export interface ObjectCreatedDetail {
  readonly version: "0";
  readonly bucket: { readonly name: string };
  readonly object: {
    readonly key: string;
    readonly size: number;
    readonly etag: string;
    readonly "version-id": string;
    readonly sequencer: string;
  };
  readonly "request-id": string;
  readonly requester: string;
  readonly "source-ip-address": string;
  readonly reason: "PutObject" | "CopyObject" | "CompleteMultipartUpload" | "POST Object";
}

export type ObjectCreatedEvent = EventBridgeEvent<"Object Created", ObjectCreatedDetail>;

export function objectCreatedEvent(args: {
  id: string;
  nowMs: number;
  bucket: string;
  /** The key as the event carries it (see S3Fake `eventKey`). */
  key: string;
  size: number;
  etag: string;
  versionId: string;
  sequencer: string;
  requestId: string;
  reason?: ObjectCreatedDetail["reason"];
}): ObjectCreatedEvent {
  return envelope(args.id, args.nowMs, "aws.s3", "Object Created", [`arn:${PARTITION}:s3:::${args.bucket}`], {
    version: "0",
    bucket: { name: args.bucket },
    object: {
      key: args.key,
      size: args.size,
      etag: args.etag,
      "version-id": args.versionId,
      sequencer: args.sequencer,
    },
    "request-id": args.requestId,
    requester: ACCOUNT,
    "source-ip-address": "203.0.113.7",
    reason: args.reason ?? "PutObject",
  });
}

/**
 * "MediaConvert Job State Change" detail: the fields of the examples in
 * https://docs.aws.amazon.com/mediaconvert/latest/ug/mediaconvert_cwe_events.html (per status page).
 */
export interface JobStateChangeDetail {
  readonly timestamp: number;
  readonly accountId: string;
  readonly queue: string;
  readonly jobId: string;
  readonly status: string;
  readonly userMetadata: Readonly<Record<string, string>>;
  readonly [extra: string]: unknown;
}

export type JobStateChangeEvent = EventBridgeEvent<"MediaConvert Job State Change", JobStateChangeDetail>;

export function jobStateChangeEvent(id: string, nowMs: number, jobArn: string, detail: JobStateChangeDetail) {
  return envelope(id, nowMs, "aws.mediaconvert", "MediaConvert Job State Change", [jobArn], detail);
}

/**
 * "Step Functions Execution Status Change" detail: DescribeExecution's fields
 * (https://docs.aws.amazon.com/step-functions/latest/dg/cw-events.html,
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeExecution.html).
 */
export interface ExecutionStatusDetail {
  readonly executionArn: string;
  readonly stateMachineArn: string;
  readonly name: string;
  readonly status: "RUNNING" | "SUCCEEDED" | "FAILED" | "TIMED_OUT" | "ABORTED";
  readonly startDate: number;
  readonly stopDate: number | null;
  readonly input: string;
  readonly output: string | null;
  readonly inputDetails: { readonly included: boolean };
  readonly outputDetails: { readonly included: boolean } | null;
  readonly stateMachineVersionArn: null;
  readonly stateMachineAliasArn: null;
  readonly redriveCount: number;
  readonly redriveDate: number | null;
  readonly redriveStatus: "REDRIVABLE" | "NOT_REDRIVABLE" | "REDRIVABLE_BY_MAP_RUN";
  readonly redriveStatusReason: string;
  readonly error?: string | null;
  readonly cause?: string | null;
}

export type ExecutionStatusEvent = EventBridgeEvent<
  "Step Functions Execution Status Change",
  ExecutionStatusDetail
>;

export function executionStatusEvent(
  id: string,
  nowMs: number,
  detail: ExecutionStatusDetail,
): ExecutionStatusEvent {
  return envelope(
    id,
    nowMs,
    "aws.states",
    "Step Functions Execution Status Change",
    [detail.executionArn],
    detail,
  );
}

/** EventBridge Scheduler's default Lambda payload for a schedule without an input ("{}"). */
export function schedulerInput(): Record<string, never> {
  return {};
}
