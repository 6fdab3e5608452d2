import type { TaskItem } from "../ledger/items";

/** The rungs a 1080p source is planned for with the default top rung (what submit-job stores on a task). */
export const PLANNED_RENDITIONS: TaskItem["renditions"] = [
  { widthPx: 1920, heightPx: 1080, maxBitrate: 8_500_000 },
  { widthPx: 1280, heightPx: 720, maxBitrate: 6_000_000 },
  { widthPx: 854, heightPx: 480, maxBitrate: 2_500_000 },
];

/**
 * The manifests and poster a job writes under `prefix` (shared/media/output-layout.ts), as submit-job
 * stores them on the task with packagingSource "hls-ts".
 * @example taskOutputsUnder("s3://vod-output/a/r/").packagingManifest === "s3://vod-output/a/r/hls/index.m3u8"
 */
export function taskOutputsUnder(prefix: string): TaskItem["outputs"] {
  return {
    cmafHlsManifest: `${prefix}cmaf/index.m3u8`,
    cmafDashManifest: `${prefix}cmaf/index.mpd`,
    packagingManifest: `${prefix}hls/index.m3u8`,
    posterImage: `${prefix}poster/index_poster.0000001.jpg`,
  };
}

/** What tells one test's task from another's; everything else has a default. */
export interface TaskItemFields {
  readonly correlationId: string;
  readonly executionArn: string;
  readonly taskToken: string;
  readonly submittedAt: string;
  readonly outputPrefix: string;
}

/**
 * A task waiting on its job, as submit-job leaves it in the ledger: job recorded, `waiting` set, the
 * layout's paths as `outputs` and the planned rungs. `overrides` replace any field.
 * @example waitingTaskItem({ correlationId: "4306…", executionArn, taskToken: "token-1", submittedAt, outputPrefix }, { jobId: undefined })
 */
export function waitingTaskItem(fields: TaskItemFields, overrides: Partial<TaskItem> = {}): TaskItem {
  return {
    pk: `task#${fields.correlationId}`,
    correlationId: fields.correlationId,
    assetId: "lecture-01-final_3f9a2c",
    revision: "0a1b2c3d4e5f",
    executionArn: fields.executionArn,
    taskToken: fields.taskToken,
    jobId: "1671476818694-phptj0",
    submittedAt: fields.submittedAt,
    outputPrefix: fields.outputPrefix,
    packagingSource: "hls-ts",
    outputs: taskOutputsUnder(fields.outputPrefix),
    renditions: PLANNED_RENDITIONS,
    waiting: "1",
    ...overrides,
  };
}
