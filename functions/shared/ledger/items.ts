import type { Rendition, TranscodeResult } from "../contract/workflow";

/**
 * Ledger items (table `LEDGER_TABLE`, partition key `pk`): the pipeline's private bookkeeping.
 * - `claim#<sha256(bucket/key/versionId)>`: one per source version; a conditional put stops duplicates.
 * - `task#<correlationId>`: a waiting "Transcode To CMAF" task — its token and job. `waiting` is set
 *   while the task is open and removed when it closes, so the reconciler scans only open tasks.
 */
export interface ClaimItem {
  readonly pk: `claim#${string}`;
  readonly assetId: string;
  readonly executionArn: string;
  readonly claimedAt: string;
  /** Epoch seconds; DynamoDB TTL removes old claims. */
  readonly expiresAt: number;
}

export interface TaskItem {
  readonly pk: `task#${string}`;
  readonly correlationId: string;
  readonly assetId: string;
  readonly revision: string;
  readonly executionArn: string;
  readonly taskToken: string;
  readonly jobId?: string;
  /**
   * Set (ISO 8601) while a CreateJob of this attempt may have created a job whose id never reached us
   * (the response was lost, or submit-job died waiting for it); a retry looks for that job with
   * ListJobs before creating one. Removed when the job id is recorded or MediaConvert refused the call.
   */
  readonly createJobPendingSince?: string;
  readonly submittedAt: string;
  /** Output paths the job writes, so the reconciler can finish a task without the COMPLETE event. */
  readonly outputPrefix: string;
  /** The stack's packaging source mode when the job was submitted (what `outputs.packagingManifest` points at). */
  readonly packagingSource: "hls-ts" | "cmaf";
  /**
   * The manifests and poster this job writes (the output layout at submit time). The reconciler
   * finishes a task from these when the COMPLETE event never came: GetJob returns no file paths.
   */
  readonly outputs: Pick<
    TranscodeResult,
    "cmafHlsManifest" | "cmafDashManifest" | "packagingManifest" | "posterImage"
  >;
  /** The ladder rungs the job was asked for; the produced outputs' video details say which exist. */
  readonly renditions: readonly Rendition[];
  /** When MediaConvert started transcoding (left the queue), ISO 8601. */
  readonly startedAt?: string;
  readonly lastProgressPercent?: number;
  readonly lastProgressAt?: string;
  /** Present ("1") while the task waits; absent once completed or failed. */
  readonly waiting?: "1";
  /**
   * How the wait ended: SUCCEEDED / FAILED / CANCELED, CLOSED_ELSEWHERE (timed out, or closed by the
   * other path), or SUPERSEDED (the execution was redriven: a newer attempt owns the title).
   */
  readonly outcome?: "SUCCEEDED" | "FAILED" | "CANCELED" | "CLOSED_ELSEWHERE" | "SUPERSEDED";
  readonly closedAt?: string;
  /** Epoch seconds, set when the task closes; DynamoDB TTL removes closed tasks. */
  readonly expiresAt?: number;
}
