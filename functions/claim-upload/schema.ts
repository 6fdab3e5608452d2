import * as z from "zod/mini";
import { eventBridgeEvent } from "../shared/events/eventbridge";
import { ObjectCreatedDetailSchema } from "../shared/events/s3-object-created";

const { object } = ObjectCreatedDetailSchema.shape;

/**
 * The S3 "Object Created" event as EventBridge delivers it (shared/events/s3-object-created.ts), with
 * the fields this state relies on made required: `size`, `etag`, `version-id` (the source bucket is
 * versioned) and `sequencer` are all present on Object Created events
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/ev-events.html). An event without them is
 * a wiring bug (wrong rule, unversioned bucket): failing loudly beats guessing.
 *
 * @example see events/object-created.json (the AWS documentation's example).
 */
export const ObjectCreatedEventSchema = eventBridgeEvent(
  "aws.s3",
  "Object Created",
  z.extend(ObjectCreatedDetailSchema, {
    object: z.extend(object, {
      size: z.int().check(z.nonnegative()),
      etag: z.string().check(z.minLength(1)),
      "version-id": z.string().check(z.minLength(1)),
      sequencer: z.string().check(z.regex(/^[0-9A-Fa-f]+$/, "sequencer must be hexadecimal")),
    }),
  }),
);

/**
 * Payload of the "Claim Upload" task (statemachines/ingest.asl.json):
 * `{ "event.$": "$", "executionArn.$": "$$.Execution.Id" }`.
 */
export const ClaimPayloadSchema = z.object({
  event: ObjectCreatedEventSchema,
  executionArn: z.string().check(z.regex(/^arn:[^:]+:states:[^:]+:\d{12}:execution:[^:]+:[^:]+$/)),
});

export type ObjectCreatedEvent = z.output<typeof ObjectCreatedEventSchema>;
export type ClaimPayload = z.output<typeof ClaimPayloadSchema>;
