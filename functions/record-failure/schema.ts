import * as z from "zod/mini";
import { eventBridgeEvent } from "../shared/events/eventbridge";

/**
 * `detail` of a "Step Functions Execution Status Change" event. AWS: "the detail section in the event data
 * provides the same information as the DescribeExecution API"; the fields below are DescribeExecution's that
 * the documented examples show (executionArn … output, inputDetails/outputDetails), plus error/cause and the
 * redrive fields. Everything that may be absent or null is optional, so a field AWS leaves out never makes us
 * drop a failure: error and cause are re-read from the execution history when missing.
 * https://docs.aws.amazon.com/step-functions/latest/dg/cw-events.html
 */
export const ExecutionStatusChangeDetailSchema = z.object({
  executionArn: z.string().check(z.startsWith("arn:")),
  stateMachineArn: z.string(),
  name: z.string(),
  /** RUNNING | SUCCEEDED | FAILED | TIMED_OUT | ABORTED (PENDING_REDRIVE in DescribeExecution); kept open. */
  status: z.string(),
  /** Epoch milliseconds. */
  startDate: z.number(),
  stopDate: z.nullish(z.number()),
  /** The execution input as a JSON string; left out (see inputDetails) when input + output exceed 248 KB. */
  input: z.nullish(z.string()),
  inputDetails: z.nullish(z.object({ included: z.boolean() })),
  output: z.nullish(z.string()),
  outputDetails: z.nullish(z.object({ included: z.boolean() })),
  error: z.nullish(z.string()),
  cause: z.nullish(z.string()),
  /** 0 until the execution is redriven; counts successful redrives. */
  redriveCount: z.optional(z.int().check(z.nonnegative())),
  redriveDate: z.nullish(z.number()),
  redriveStatus: z.nullish(z.string()),
  redriveStatusReason: z.nullish(z.string()),
});

/**
 * The EventBridge envelope (shared/events/eventbridge.ts) around Step Functions' status-change event.
 *
 * @example
 * ```json
 * {
 *   "version": "0", "id": "315c1398-40ff-a850-213b-158f73e60175",
 *   "detail-type": "Step Functions Execution Status Change", "source": "aws.states",
 *   "account": "123456789012", "time": "2024-06-01T10:42:21Z", "region": "us-east-1",
 *   "resources": ["arn:aws:states:us-east-1:123456789012:execution:vod-ingest:0f4e…"],
 *   "detail": { "executionArn": "arn:aws:states:…", "status": "FAILED", "startDate": 1717237271984, … }
 * }
 * ```
 */
export const ExecutionStatusChangeSchema = eventBridgeEvent(
  "aws.states",
  "Step Functions Execution Status Change",
  ExecutionStatusChangeDetailSchema,
);

export type ExecutionStatusChange = z.output<typeof ExecutionStatusChangeSchema>;
export type ExecutionStatusChangeDetail = z.output<typeof ExecutionStatusChangeDetailSchema>;
