import { S3EventNotificationEventBridgeSchema } from "@aws-lambda-powertools/parser/schemas/s3";
import { z } from "zod";

const detail = S3EventNotificationEventBridgeSchema.shape.detail;

/**
 * The S3 "Object Created" event as EventBridge delivers it, with the fields this state relies on made
 * required: `size`, `etag`, `version-id` (the source bucket is versioned) and `sequencer` are all
 * present on Object Created events
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/ev-events.html). An event without them is
 * a wiring bug (wrong rule, unversioned bucket): failing loudly beats guessing.
 *
 * `source-ip-address` is loosened to any string: Powertools 2.35 validates it as IPv4 only, and an
 * upload over S3's dual-stack (IPv6) endpoints would otherwise fail to parse and never be ingested.
 *
 * @example see events/object-created.json (the AWS documentation's example).
 */
export const ObjectCreatedEventSchema = S3EventNotificationEventBridgeSchema.extend({
  source: z.literal("aws.s3"),
  "detail-type": z.literal("Object Created"),
  detail: detail.extend({
    object: detail.shape.object.extend({
      size: z.number().int().nonnegative(),
      etag: z.string().min(1),
      "version-id": z.string().min(1),
      sequencer: z.string().regex(/^[0-9A-Fa-f]+$/, "sequencer must be hexadecimal"),
    }),
    "source-ip-address": z.string().optional(),
  }),
});

/**
 * Payload of the "Claim Upload" task (statemachines/ingest.asl.json):
 * `{ "event.$": "$", "executionArn.$": "$$.Execution.Id" }`.
 */
export const ClaimPayloadSchema = z.object({
  event: ObjectCreatedEventSchema,
  executionArn: z.string().regex(/^arn:[^:]+:states:[^:]+:\d{12}:execution:[^:]+:[^:]+$/),
});

export type ObjectCreatedEvent = z.infer<typeof ObjectCreatedEventSchema>;
export type ClaimPayload = z.infer<typeof ClaimPayloadSchema>;
