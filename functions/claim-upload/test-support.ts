/**
 * Builders shared by the claim-upload tests: events from the AWS-documented fixture, SDK errors shaped
 * like the real ones, and a Lambda context for the middy handler.
 */
import { NotFound } from "@aws-sdk/client-s3";
import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import type { ProbeResult } from "@aws-sdk/client-mediaconvert";
import objectCreatedFixture from "./events/object-created.json";
import type { ObjectCreatedEvent } from "./schema";
import { lambdaContextFor } from "../shared/testing/lambda-context";

export const EXECUTION_ARN = "arn:aws:states:ca-central-1:111122223333:execution:vod-ingest:6f1c2d3e";
export const OTHER_EXECUTION_ARN = "arn:aws:states:ca-central-1:111122223333:execution:vod-ingest:9a8b7c6d";
export const BUCKET = objectCreatedFixture.detail.bucket.name;

export interface ObjectOverrides {
  readonly key?: string;
  readonly size?: number;
  readonly etag?: string;
  readonly versionId?: string;
  readonly sequencer?: string;
}

/** The documented "Object Created" example with the object's fields replaced (the fixture is cloned). */
export function objectCreated(overrides: ObjectOverrides = {}): ObjectCreatedEvent {
  const event = structuredClone(objectCreatedFixture) as ObjectCreatedEvent;
  const object = event.detail.object as Record<string, unknown>;
  if (overrides.key !== undefined) object.key = overrides.key;
  if (overrides.size !== undefined) object.size = overrides.size;
  if (overrides.etag !== undefined) object.etag = overrides.etag;
  if (overrides.versionId !== undefined) object["version-id"] = overrides.versionId;
  if (overrides.sequencer !== undefined) object.sequencer = overrides.sequencer;
  return event;
}

/** The "Claim Upload" task payload built by the ASL. */
export function claimPayload(event: ObjectCreatedEvent, executionArn = EXECUTION_ARN) {
  return { event, executionArn };
}

/** How SDK v3 reports a HeadObject 404 (no body, so no NoSuchKey code). */
export function notFound(): NotFound {
  return new NotFound({ message: "UnknownError", $metadata: { httpStatusCode: 404 } });
}

export function conditionalCheckFailed(): ConditionalCheckFailedException {
  return new ConditionalCheckFailedException({
    message: "The conditional request failed",
    $metadata: { httpStatusCode: 400 },
  });
}

/** A Probe result with one video track (and an audio track unless `audio` is false). */
export function probeResult(video: {
  width: number;
  height: number;
  seconds: number;
  audio?: boolean;
}): ProbeResult {
  return {
    Container: {
      Format: "mp4",
      Duration: video.seconds,
      Tracks: [
        {
          Index: 1,
          TrackType: "video",
          Codec: "AVC",
          Duration: video.seconds,
          VideoProperties: { Width: video.width, Height: video.height },
        },
        ...(video.audio === false
          ? []
          : [{ Index: 2, TrackType: "audio" as const, Codec: "AAC" as const, Duration: video.seconds }]),
      ],
    },
  };
}

/** Form-encodes a key the way classic S3 notifications do: space → "+", "/" kept, the rest %XX. */
export function formEncoded(key: string): string {
  return key
    .split("/")
    .map((segment) => encodeURIComponent(segment).replaceAll("%20", "+"))
    .join("/");
}

export const lambdaContext = lambdaContextFor("claim-upload", 60_000);
