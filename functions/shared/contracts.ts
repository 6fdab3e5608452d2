/**
 * The data that travels between the states of statemachines/ingest.asl.json, and the rows the
 * pipeline keeps in DynamoDB. State carries ids and URIs, never whole service responses, and no
 * user-chosen characters travel past the first state except inside `source.key`.
 */

/** Catalogue statuses, in the order a title normally moves through them. */
export const ASSET_STATUSES = [
  "INGESTING",
  "TRANSCODING",
  "PACKAGING",
  "PUBLISHED",
  "REJECTED",
  "FAILED",
] as const;
export type AssetStatus = (typeof ASSET_STATUSES)[number];

/** The uploaded object, with the key resolved to its real S3 form (see claim-upload/resolve-key.ts). */
export interface SourceObject {
  readonly bucket: string;
  readonly key: string;
  readonly versionId: string;
  readonly size: number;
  readonly etag: string;
  /** S3's event `sequencer`: orders events for one key, so an older version never overwrites a newer row. */
  readonly sequencer: string;
}

/** What MediaConvert Probe told us about the source; drives the per-title ladder. */
export interface SourceFacts {
  readonly widthPx: number;
  readonly heightPx: number;
  readonly durationMs: number;
  readonly hasAudio: boolean;
}

/** Output of the "Claim Upload" state (the claim-upload Lambda). */
export type ClaimResult =
  | { readonly outcome: "CLAIMED"; readonly upload: ClaimedUpload }
  | { readonly outcome: "REJECTED"; readonly assetId: string; readonly reason: string }
  | { readonly outcome: "DUPLICATE"; readonly assetId: string }
  | { readonly outcome: "IGNORED"; readonly reason: string };

/** A source this execution owns: the only work item later states see. */
export interface ClaimedUpload {
  /** `[A-Za-z0-9_-]`, stable per bucket+key (functions/shared/asset-id.ts). */
  readonly assetId: string;
  /** 12 hex chars, stable per source version: names output folders and the MediaPackage asset. */
  readonly revision: string;
  readonly source: SourceObject;
  readonly facts: SourceFacts;
}

/** Payload of the "Transcode To CMAF" task (lambda:invoke.waitForTaskToken → submit-job). */
export interface TranscodeRequest {
  readonly taskToken: string;
  readonly executionArn: string;
  /** `$$.Execution.RedriveCount`: a redriven execution submits a fresh job. */
  readonly redriveCount: number;
  readonly upload: ClaimedUpload;
}

/** One rendition MediaConvert actually produced. */
export interface Rendition {
  readonly widthPx: number;
  readonly heightPx: number;
  /** Target (QVBR max) bitrate of the rung, bits per second. */
  readonly maxBitrate: number;
}

/** Sent with SendTaskSuccess by handle-job-event or reconcile-jobs: the "Transcode To CMAF" result. */
export interface TranscodeResult {
  readonly jobId: string;
  readonly durationMs: number;
  readonly renditions: readonly Rendition[];
  /** s3:// URIs in the output bucket. */
  readonly cmafHlsManifest: string;
  readonly cmafDashManifest: string;
  readonly posterImage: string;
  /** The `.m3u8` MediaPackage ingests (HLS-TS group, or the CMAF group's with packagingSource=cmaf). */
  readonly packagingSource: string;
}

/** Payload of the "Register With MediaPackage" task (register-asset). */
export interface RegisterRequest {
  /** `$$.Execution.Id`, for the logs. */
  readonly executionArn: string;
  readonly upload: ClaimedUpload;
  readonly transcode: TranscodeResult;
}

/** Playback URLs, one per MediaPackage packaging configuration. */
export interface PlaybackUrls {
  readonly hls: string;
  readonly dash: string;
  readonly cmaf: string;
}

/** Output of "Register With MediaPackage"; "Publish To Catalogue" writes it to the row. */
export interface PackagingResult {
  readonly packagingAssetId: string;
  readonly playback: PlaybackUrls;
}

/** The full state of an execution after the happy path (what each state adds, by ResultPath). */
export interface WorkflowState {
  readonly claim: ClaimResult;
  readonly transcode?: TranscodeResult;
  readonly packaging?: PackagingResult;
}

/** An error recorded on the catalogue row. */
export interface RowError {
  readonly code: string;
  readonly message: string;
  /** The state that failed ("Transcode To CMAF" …), or "Claim Upload" for rejections. */
  readonly state: string;
}

/**
 * A catalogue row (table `CATALOGUE_TABLE`, partition key `assetId`). Optional fields appear as
 * the title moves on. Never holds whole jobs or events.
 */
export interface CatalogueRow {
  readonly assetId: string;
  readonly status: AssetStatus;
  /** File name of the source without folders, for people. */
  readonly title: string;
  readonly revision: string;
  readonly source: SourceObject;
  readonly facts?: SourceFacts;
  readonly job?: { readonly id: string; readonly progressPercent: number; readonly submittedAt: string };
  readonly packagingAssetId?: string;
  readonly playback?: PlaybackUrls;
  readonly durationMs?: number;
  readonly renditions?: readonly Rendition[];
  readonly posterImage?: string;
  readonly error?: RowError;
  readonly execution: { readonly arn: string; readonly consoleUrl: string; readonly redriveCount?: number };
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly publishedAt?: string;
  /**
   * Set (ISO 8601) by the operator's unpublish command: no new playback sessions are minted for the title;
   * cookies already minted stay valid until they expire (functions/mint-playback-session/README.md).
   */
  readonly unpublishedAt?: string;
  /**
   * When set, only viewers whose entitlement claim (`ENTITLEMENT_CLAIM`, default `cognito:groups`) holds this
   * value may watch; absent = any signed-in viewer (functions/mint-playback-session/entitlement.ts).
   */
  readonly entitlement?: string;
}

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
  readonly packagingSource: "hls-ts" | "cmaf";
  /**
   * The manifests and poster this job writes (the output layout at submit time). The reconciler
   * finishes a task from these when the COMPLETE event never came: GetJob returns no file paths.
   */
  readonly outputs: Pick<
    TranscodeResult,
    "cmafHlsManifest" | "cmafDashManifest" | "packagingSource" | "posterImage"
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
