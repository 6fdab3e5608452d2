import type { Job } from "@aws-sdk/client-mediaconvert";
import type { TaskItem } from "../shared/ledger/items";
import type { TranscodeResult } from "../shared/contract/workflow";
import type { JobFacts, JobState } from "../shared/transcode/decision";
import { producedRenditions } from "../shared/transcode/renditions";

const JOB_STATES: readonly JobState[] = ["SUBMITTED", "PROGRESSING", "COMPLETE", "ERROR", "CANCELED"];

/**
 * What GetJob says about a job, in the decision's terms (`Status`, `JobPercentComplete`,
 * `Timing.SubmitTime/StartTime`, `ErrorCode`, `ErrorMessage`).
 * @see https://docs.aws.amazon.com/mediaconvert/latest/apireference/jobs-id.html
 */
export function factsFromJob(job: Job): JobFacts {
  const state = JOB_STATES.find((s) => s === job.Status);
  if (!job.Id || !state) throw new Error(`GetJob returned a job without a known Id/Status (${job.Status})`);
  return {
    jobId: job.Id,
    state,
    percentComplete: job.JobPercentComplete,
    submittedAt: job.Timing?.SubmitTime?.toISOString(),
    startedAt: job.Timing?.StartTime?.toISOString(),
    errorCode: job.ErrorCode,
    errorMessage: job.ErrorMessage,
  };
}

/**
 * The "Transcode To CMAF" result of a COMPLETE job found without its event. GetJob returns no file
 * paths, so manifests and poster are the ones submit-job stored on the task (the same output layout
 * the job was built from); renditions and duration come from the job's output details.
 */
export function transcodeResultFromJob(job: Job, task: TaskItem): TranscodeResult {
  const outputs = (job.OutputGroupDetails ?? []).flatMap((g) => g.OutputDetails ?? []);
  const videoDetails = outputs.flatMap((o) =>
    o.VideoDetails?.WidthInPx && o.VideoDetails.HeightInPx
      ? [{ widthPx: o.VideoDetails.WidthInPx, heightPx: o.VideoDetails.HeightInPx }]
      : [],
  );
  const renditions = producedRenditions(task.renditions, videoDetails);
  const durations = outputs.flatMap((o) => o.DurationInMs ?? []);
  return {
    jobId: job.Id ?? task.jobId ?? "",
    durationMs: Math.max(0, ...durations),
    renditions: renditions.length > 0 ? renditions : [...task.renditions],
    cmafHlsManifest: task.outputs.cmafHlsManifest,
    cmafDashManifest: task.outputs.cmafDashManifest,
    posterImage: task.outputs.posterImage,
    packagingManifest: task.outputs.packagingManifest,
  };
}
