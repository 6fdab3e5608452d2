import * as z from "zod/mini";
import { eventBridgeEvent } from "./eventbridge";

/**
 * `detail` of the S3 "Object Created" event as S3 sends it to EventBridge, with the fields S3's
 * documentation lists ("Event message detail field": version, bucket.name, object.key/size/etag/
 * version-id/sequencer, request-id, requester, source-ip-address, reason) and its "Object Created"
 * example shows. https://docs.aws.amazon.com/AmazonS3/latest/userguide/ev-events.html
 *
 * Loose on purpose: every object field but the key is optional (`version-id` is absent on unversioned
 * buckets), and `source-ip-address` is any string (an upload through S3's dual-stack endpoints comes
 * from an IPv6 address). A reader that needs a field makes it required (claim-upload/schema.ts).
 */
export const ObjectCreatedDetailSchema = z.object({
  version: z.string(),
  bucket: z.object({ name: z.string() }),
  object: z.object({
    key: z.string(),
    size: z.optional(z.number().check(z.nonnegative())),
    etag: z.optional(z.string()),
    "version-id": z.optional(z.string()),
    sequencer: z.optional(z.string()),
  }),
  "request-id": z.string(),
  requester: z.string(),
  "source-ip-address": z.optional(z.string()),
  /** PutObject, POST Object, CopyObject or CompleteMultipartUpload. */
  reason: z.optional(z.string()),
});

/** The whole EventBridge event the ingest rule starts an execution with (its input). */
export const ObjectCreatedEventSchema = eventBridgeEvent(
  "aws.s3",
  "Object Created",
  ObjectCreatedDetailSchema,
);
