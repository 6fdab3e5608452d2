import type { CreateJobCommandInput, JobSettings } from "@aws-sdk/client-mediaconvert";
import type { TaskItem } from "../shared/ledger/items";
import type { PackagingSource } from "./job-settings";
import type { OutputLayout } from "../shared/media/output-layout";
import { tagProblem } from "../shared/contract/tags";

/**
 * MediaConvert userMetadata: at most 10 pairs, values up to 256 characters; MediaConvert refuses some
 * characters (a value holding `%26` was rejected — aws-samples/aws-media-services-vod-automation#5), so
 * only `[A-Za-z0-9_-]` ids go there.
 * https://docs.aws.amazon.com/mediaconvert/latest/ug/user-metadata-tags.html
 */
const USER_METADATA_VALUE = /^[A-Za-z0-9_-]{1,256}$/;

export interface JobRequestOptions {
  readonly settings: JobSettings;
  readonly assetId: string;
  /** Also the ClientRequestToken (≤ 64 ASCII characters). */
  readonly correlationId: string;
  /** userMetadata `stack`: the event rule of this stack filters on it. */
  readonly stackMarker: string;
  readonly queueArn: string;
  readonly roleArn: string;
  /** The stack's tags (`JOB_TAGS`, shared/contract/tags.ts `stackTags`), put on the job. */
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * The CreateJob request of one title. `ClientRequestToken` makes a repeat within one minute return the
 * same job (https://docs.aws.amazon.com/mediaconvert/latest/apireference/idempotency.html); beyond that
 * window the ledger's recorded job id is what stops a second job. `StatusUpdateInterval` SECONDS_60
 * makes MediaConvert send a STATUS_UPDATE event (a heartbeat) about every minute while it transcodes.
 * The task token never goes to MediaConvert: it does not fit userMetadata (≤ 256) and lives in the ledger.
 * `Tags` carry the stack's tags and `BillingTagsSource: JOB` (the documented default, stated) makes
 * billing reports show them for the job's output minutes; tagging at CreateJob is authorized as
 * `mediaconvert:TagResource` as well as CreateJob (Service Authorization Reference, MediaConvert).
 * https://docs.aws.amazon.com/mediaconvert/latest/apireference/jobs.html#jobs-prop-createjobrequest-tags
 *
 * @example createJobInput({ settings, assetId: "lecture-01", correlationId: "3f…", stackMarker: "vod-dev",
 *   queueArn, roleArn }).UserMetadata // { assetId: "lecture-01", correlationId: "3f…", stack: "vod-dev" }
 */
export function createJobInput(options: JobRequestOptions): CreateJobCommandInput {
  const { settings, assetId, correlationId, stackMarker, queueArn, roleArn, tags } = options;
  const userMetadata = { assetId, correlationId, stack: stackMarker };
  for (const [key, value] of Object.entries(userMetadata)) {
    if (!USER_METADATA_VALUE.test(value)) {
      throw new RangeError(
        `userMetadata ${key} must match [A-Za-z0-9_-]{1,256}, got ${JSON.stringify(value)}`,
      );
    }
  }
  if (correlationId.length > 64) throw new RangeError("ClientRequestToken allows at most 64 characters");
  const problem = tagProblem(tags);
  if (problem !== undefined) throw new RangeError(`job tags: ${problem}`);
  return {
    Role: roleArn,
    Queue: queueArn,
    Settings: settings,
    UserMetadata: userMetadata,
    ClientRequestToken: correlationId,
    StatusUpdateInterval: "SECONDS_60",
    Tags: { ...tags },
    BillingTagsSource: "JOB",
  };
}

/**
 * The paths a task's job writes, kept on the task so the reconciler can finish it from GetJob alone
 * (GetJob returns no file paths). MediaPackage ingests the HLS-TS manifest, or the CMAF group's `.m3u8`
 * with packagingSource "cmaf".
 */
export function taskOutputs(layout: OutputLayout, packagingSource: PackagingSource): TaskItem["outputs"] {
  return {
    cmafHlsManifest: layout.cmaf.hlsManifest,
    cmafDashManifest: layout.cmaf.dashManifest,
    packagingManifest: packagingSource === "cmaf" ? layout.cmaf.hlsManifest : layout.hls.manifest,
    posterImage: layout.poster.image,
  };
}
