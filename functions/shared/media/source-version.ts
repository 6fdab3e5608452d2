import { HeadObjectCommand } from "@aws-sdk/client-s3";
import type { SourceObject } from "../contract/workflow";
import { SourceSupersededError } from "../contract/errors";
import { s3 } from "../runtime/clients";

/**
 * MediaConvert cannot be pinned to the object version claim-upload claimed: a job's `FileInput` is
 * an `s3://bucket/key` path with no version id (CreateJob's Input,
 * https://docs.aws.amazon.com/mediaconvert/latest/apireference/jobs.html#jobs-model-input), and an
 * HTTP(S) input URL "can't include parameters", so not even `?versionId=` on a presigned URL
 * (https://docs.aws.amazon.com/mediaconvert/latest/ug/http-input-requirements.html). Probe's
 * `FileUrl` is the same kind of path. Both read the key's *current* version.
 *
 * So the claimed version is checked to still be the current one: before the job is created (no
 * transcode is paid for bytes that are already stale) and again before the asset is registered. S3
 * only ever adds versions on top, so "still current after the job ended" proves no newer bytes
 * existed while the job read its input; otherwise the newer upload has its own execution, and this
 * one ends as superseded instead of publishing the newer bytes under the older revision.
 * HeadObject without a version id answers the current version's `x-amz-version-id`
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html); it needs s3:GetObject.
 */
export async function assertSourceIsCurrent(source: Pick<SourceObject, "bucket" | "key" | "versionId">) {
  let current: string | undefined;
  try {
    ({ VersionId: current } = await s3.send(
      new HeadObjectCommand({ Bucket: source.bucket, Key: source.key }),
    ));
  } catch (error) {
    // The current version is a delete marker (HeadObject 404): the key was deleted after the claim,
    // and MediaConvert could not read it either. Not a newer upload: this fails the state, for people.
    if ((error as Error).name === "NotFound") {
      throw new Error(
        `the source s3://${source.bucket}/${source.key} was deleted after version ${source.versionId} was claimed`,
        { cause: error },
      );
    }
    throw error;
  }
  if (current !== source.versionId) {
    throw new SourceSupersededError(
      `s3://${source.bucket}/${source.key} has a newer version (${current ?? "unversioned"}) than the claimed ` +
        `${source.versionId}; MediaConvert reads the current version, so the newer upload's own execution publishes it`,
    );
  }
}
