/**
 * The EventBridge patterns of the stack's rules. infra/events.ts deploys them and the local
 * workflow runner's event bus (test/runner) routes with the very same objects, so a pattern is
 * written once. Generic over the values they filter on (a string here, a `pulumi.Input` in infra)
 * and free of Pulumi imports, so the runner loads them cheaply.
 */

/**
 * "Object Created" events of the source bucket, limited to keys under `prefix` when one is set.
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
