import type { TaskItem } from "../shared/ledger/items";
import type { MediaConvertJobStateChange } from "./mediaconvert-event";
import canceled from "./events/canceled.json";
import complete from "./events/complete.json";
import error from "./events/error.json";
import progressing from "./events/progressing.json";
import statusUpdate from "./events/status-update.json";
import { lambdaContextFor } from "../shared/testing/lambda-context";

/** The execution whose attempt 0 the fixtures' userMetadata.correlationId stands for. */
export const EXECUTION_ARN =
  "arn:aws:states:us-west-2:111122223333:execution:vod-ingest:2f0c7d1e-0b7a-4c55-9a33-5f8a1d2e7c10";
/** correlationIdFor(EXECUTION_ARN, 0), as in the fixtures. */
export const CORRELATION_ID = "4306848e75a22d412fed3f08a68cd465";
export const JOB_ID = "1671476818694-phptj0";
export const TASK_TOKEN = "AQCEAAAAKgAAAAMAAAAAAAAAAeK0y0mNnFw1Q2k7ZfVt3bB4oX8yXQ==";
export const ASSET_ID = "lecture-01-final_3f9a2c";
export const REVISION = "0a1b2c3d4e5f";
export const OUTPUT_PREFIX = `s3://vod-output/${ASSET_ID}/${REVISION}/`;

const fixtures = { canceled, complete, error, progressing, "status-update": statusUpdate };

/** A fresh copy of a documented-shape fixture (safe to mutate). */
export function jobEvent(name: keyof typeof fixtures): MediaConvertJobStateChange {
  return structuredClone(fixtures[name]) as MediaConvertJobStateChange;
}

/**
 * The task submit-job left in the ledger for the fixtures' job. Its stored `outputs` deliberately
 * differ from the event's paths ("layout/…"), so a test can tell which source a path came from.
 */
export function waitingTask(overrides: Partial<TaskItem> = {}): TaskItem {
  return {
    pk: `task#${CORRELATION_ID}`,
    correlationId: CORRELATION_ID,
    assetId: ASSET_ID,
    revision: REVISION,
    executionArn: EXECUTION_ARN,
    taskToken: TASK_TOKEN,
    jobId: JOB_ID,
    submittedAt: "2022-12-19T19:00:00.000Z",
    outputPrefix: OUTPUT_PREFIX,
    packagingSource: "hls-ts",
    outputs: {
      cmafHlsManifest: `${OUTPUT_PREFIX}layout/cmaf/index.m3u8`,
      cmafDashManifest: `${OUTPUT_PREFIX}layout/cmaf/index.mpd`,
      packagingManifest: `${OUTPUT_PREFIX}layout/hls/index.m3u8`,
      posterImage: `${OUTPUT_PREFIX}layout/poster/index_poster.0000001.jpg`,
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

export const lambdaContext = lambdaContextFor("handle-job-event", 30_000);
