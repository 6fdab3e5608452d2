/**
 * The names of ingest.asl.json's states, for code that must name one: record-failure (which state
 * failed, which catalogue status a redriven state resumes), claim-upload (the rejection's state),
 * the local workflow runner and the bench. ingest-states.test.ts checks these against the ASL, so
 * a state renamed, added or removed there fails a test until it is renamed, added or removed here.
 * The names show in the console and in metrics: they are in the operator's words.
 */
import type { AssetStatus } from "../functions/shared/catalogue/row";

/** The Task states: each does work, may fail, and is where a redrive resumes. */
export const TASK_STATES = {
  claimUpload: "Claim Upload",
  transcode: "Transcode To CMAF",
  register: "Register With MediaPackage",
  publish: "Publish To Catalogue",
} as const;

/** The other states: a Choice that routes and Succeed states that end. */
export const FLOW_STATES = {
  routeUpload: "Route Upload",
  published: "Published",
  superseded: "Superseded By Newer Upload",
  sourceRejected: "Source Rejected",
  nothingToDo: "Nothing To Do",
} as const;

/** A Task state's name, e.g. `"Transcode To CMAF"`. */
export type TaskStateName = (typeof TASK_STATES)[keyof typeof TASK_STATES];

/**
 * The catalogue status of a title while each Task state works on it; record-failure puts a row
 * back to it when a redrive resumes there. A Task state without one fails `tsc`.
 */
export const TASK_STATE_STATUS: Readonly<Record<TaskStateName, AssetStatus>> = {
  [TASK_STATES.claimUpload]: "INGESTING",
  [TASK_STATES.transcode]: "TRANSCODING",
  [TASK_STATES.register]: "PACKAGING",
  [TASK_STATES.publish]: "PACKAGING",
};

/**
 * Minutes of MediaPackage VOD outage "Register With MediaPackage" rides out: its Vod.ServiceBusy
 * retrier's expected total wait (FULL jitter waits half of each capped delay on average) is at least
 * twice this, so a title that meets an outage this long publishes without an operator. ingest.asl.test.ts
 * holds the retrier to it; the bench's fault profile (test/runner/faults.ts) injects an outage this long.
 */
export const PACKAGING_OUTAGE_MINUTES = 10;
