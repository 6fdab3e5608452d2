import type { Job } from "@aws-sdk/client-mediaconvert";
import type { TaskItem } from "../shared/ledger/items";
import getJobComplete from "./events/get-job-complete.json";
import { lambdaContextFor } from "../shared/testing/lambda-context";

export const JOB_ID = "1671476818694-phptj0";
export const OUTPUT_PREFIX = "s3://vod-output/lecture-01-final_3f9a2c/0a1b2c3d4e5f/";
/** The reconciler's clock in these tests. */
export const NOW = new Date("2022-12-20T12:00:00.000Z");

/** `minutes` before NOW, as an ISO 8601 string. */
export function minutesAgo(minutes: number): string {
  return new Date(NOW.getTime() - minutes * 60_000).toISOString();
}

/** A task waiting on `jobId`, as submit-job left it (the layout's paths stored as `outputs`). */
export function waitingTask(id: string, overrides: Partial<TaskItem> = {}): TaskItem {
  const correlationId = id.padEnd(32, "0");
  return {
    pk: `task#${correlationId}`,
    correlationId,
    assetId: "lecture-01-final_3f9a2c",
    revision: "0a1b2c3d4e5f",
    executionArn: `arn:aws:states:us-west-2:111122223333:execution:vod-ingest:${id}`,
    taskToken: `token-${id}`,
    jobId: JOB_ID,
    submittedAt: minutesAgo(30),
    outputPrefix: OUTPUT_PREFIX,
    packagingSource: "hls-ts",
    outputs: {
      cmafHlsManifest: `${OUTPUT_PREFIX}cmaf/index.m3u8`,
      cmafDashManifest: `${OUTPUT_PREFIX}cmaf/index.mpd`,
      packagingManifest: `${OUTPUT_PREFIX}hls/index.m3u8`,
      posterImage: `${OUTPUT_PREFIX}poster/index_poster.0000001.jpg`,
    },
    renditions: [
      { widthPx: 1920, heightPx: 1080, maxBitrate: 8_500_000 },
      { widthPx: 1280, heightPx: 720, maxBitrate: 6_000_000 },
      { widthPx: 854, heightPx: 480, maxBitrate: 2_500_000 },
    ],
    waiting: "1",
    ...overrides,
  };
}

/**
 * A GetJob `Job` as the SDK returns it (dates as Date), from events/get-job-complete.json with
 * `overrides` applied. GetJob returns no output file paths: only durations and video details.
 */
export function mediaConvertJob(overrides: Partial<Job> = {}): Job {
  const { Job: fixture } = structuredClone(getJobComplete);
  return {
    ...fixture,
    Status: fixture.Status as Job["Status"],
    CurrentPhase: fixture.CurrentPhase as Job["CurrentPhase"],
    StatusUpdateInterval: fixture.StatusUpdateInterval as Job["StatusUpdateInterval"],
    CreatedAt: new Date(fixture.CreatedAt),
    Timing: {
      SubmitTime: new Date(fixture.Timing.SubmitTime),
      StartTime: new Date(fixture.Timing.StartTime),
      FinishTime: new Date(fixture.Timing.FinishTime),
    },
    ...overrides,
  };
}

export const lambdaContext = lambdaContextFor("reconcile-jobs", 300_000);
