/**
 * The EventBridge patterns of the stack's rules. infra/events.ts deploys them and the local
 * workflow runner's event bus (test/runner) routes with the very same objects, so a pattern is
 * written once. Generic over the values they filter on (a string here, a `pulumi.Input` in infra)
 * and free of Pulumi imports, so the runner loads them cheaply.
 */

/**
 * The characters an upload prefix may use: letters, digits, `-`, `_`, `.` and `/`. The rule's prefix
 * matches `detail.object.key` as the event carries it, and whether S3's EventBridge events URL-encode
 * the key is not documented (https://docs.aws.amazon.com/AmazonS3/latest/userguide/ev-events.html);
 * classic notifications do, form-style: space → `+`, other characters `%XX`
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html).
 * claim-upload resolves a key's encoding per event (functions/claim-upload/resolve-key.ts), but the
 * rule filters before any code runs: a prefix `my uploads/` would match no event if spaces arrive as
 * `+` or `%20`, `vidéos/` none if `é` arrives as `%C3%A9`, and uploads would vanish without a trace.
 * These characters read the same in every encoding (they are RFC 3986's unreserved ones, less `~`,
 * which form encoders escape, and the `/` S3 keeps as the folder delimiter); the key's *rest* may
 * use any characters. https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html
 */
export const UPLOAD_PREFIX_CHARACTERS = /^[A-Za-z0-9._/-]*$/;

/**
 * "Object Created" events of the source bucket, limited to keys under `prefix` when one is set
 * (`prefix` matches `UPLOAD_PREFIX_CHARACTERS`: infra/config.ts refuses others).
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/ev-events.html
 */
export function uploadPattern<Name>(bucketName: Name, prefix: string) {
  return {
    source: ["aws.s3"],
    "detail-type": ["Object Created"],
    detail: {
      bucket: { name: [bucketName] },
      ...(prefix === "" ? {} : { object: { key: [{ prefix }] } }),
    },
  };
}

/** Job states a waiting task reacts to; the others (INPUT_INFORMATION, NEW_WARNING, QUEUE_HOP) carry nothing it needs. */
export const JOB_STATES = ["PROGRESSING", "STATUS_UPDATE", "COMPLETE", "ERROR", "CANCELED"] as const;

/**
 * MediaConvert job state changes of jobs submitted by this stack (`userMetadata.stack`), so two
 * stacks in one account do not complete each other's tasks.
 * https://docs.aws.amazon.com/mediaconvert/latest/ug/mediaconvert_cwe_events.html
 */
export function jobEventPattern(stackMarker: string) {
  return {
    source: ["aws.mediaconvert"],
    "detail-type": ["MediaConvert Job State Change"],
    detail: { status: [...JOB_STATES], userMetadata: { stack: [stackMarker] } },
  };
}

/** The failures record-failure records. */
export const FAILED_STATUSES = ["FAILED", "TIMED_OUT", "ABORTED"] as const;

/**
 * Status changes of this stack's ingest executions that record-failure acts on: the failures, and
 * RUNNING only when it is a redrive (`redriveCount` > 0), so a normal start costs no invocation.
 * The detail carries DescribeExecution's fields, `redriveCount` among them.
 * https://docs.aws.amazon.com/step-functions/latest/dg/cw-events.html,
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html ($or, numeric)
 */
export function executionStatusPattern<Arn>(stateMachineArn: Arn) {
  return {
    source: ["aws.states"],
    "detail-type": ["Step Functions Execution Status Change"],
    detail: {
      stateMachineArn: [stateMachineArn],
      // A tuple, so each alternative keeps its own type (an array literal would merge them).
      $or: [
        { status: [...FAILED_STATUSES] },
        { status: ["RUNNING"], redriveCount: [{ numeric: [">", 0] }] },
      ] as const,
    },
  };
}
