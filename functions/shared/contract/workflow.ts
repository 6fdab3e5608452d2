/**
 * The data that travels between the states of statemachines/ingest.asl.json (the rows the pipeline
 * keeps in DynamoDB are in ../catalogue/row.ts and ../ledger/items.ts). State carries ids and URIs,
 * never whole service responses, and no user-chosen characters travel past the first state except
 * inside `source.key`.
 */

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

/** A frame rate as Probe reports it, `numerator / denominator` frames per second (30000/1001 is 29.97). */
export interface FrameRate {
  readonly numerator: number;
  readonly denominator: number;
}

/** What MediaConvert Probe told us about the source; drives the per-title ladder. */
export interface SourceFacts {
  readonly widthPx: number;
  readonly heightPx: number;
  readonly durationMs: number;
  readonly hasAudio: boolean;
  /**
   * The video track's rate; sizes the GOPs (functions/shared/media/gop.ts). Absent when Probe gave
   * none, and in claims made before it was recorded (an execution redriven across the deploy).
   */
  readonly frameRate?: FrameRate;
}

/** Output of the "Claim Upload" state (the claim-upload Lambda). */
export type ClaimResult =
  | { readonly outcome: "CLAIMED"; readonly upload: ClaimedUpload }
  | { readonly outcome: "REJECTED"; readonly assetId: string; readonly reason: string }
  | { readonly outcome: "DUPLICATE"; readonly assetId: string }
  | { readonly outcome: "IGNORED"; readonly reason: string };

/** A source this execution owns: the only work item later states see. */
export interface ClaimedUpload {
  /** `[A-Za-z0-9_-]`, stable per bucket+key (functions/claim-upload/asset-id.ts). */
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
  /**
   * s3:// URI of the `.m3u8` MediaPackage ingests: the HLS-TS group's, or the CMAF group's when the stack's
   * packaging source (`vod-ingest:packagingSource`, the *mode*) is `cmaf`. Named `packagingSource` before;
   * readers still accept that name (register-asset/schema.ts, ledger/tasks.ts `readTaskItem`).
   */
  readonly packagingManifest: string;
}

/** Payload of the "Register With MediaPackage" task (register-asset). */
export interface RegisterRequest {
  /** `$$.Execution.Id`, for the logs. */
  readonly executionArn: string;
  /**
   * `$$.Execution.RedriveCount`: each redrive grants the packaging wait again. Absent in executions
   * started before it was passed (redriven across the deploy): 0.
   */
  readonly redriveCount?: number;
  readonly upload: ClaimedUpload;
  readonly transcode: TranscodeResult;
}

/** Playback URLs on the CDN, one per MediaPackage packaging configuration. */
export interface PlaybackUrls {
  readonly hls: string;
  readonly dash: string;
  readonly cmaf: string;
}

/**
 * The CMAF group (HLS and DASH manifests over one fMP4 segment set) as the distribution serves it
 * straight from the output bucket: MediaConvert bills its output minutes on every job, so it is played,
 * not only stored (README "Every billed output is served"). CDN URLs.
 */
export interface CmafGroupUrls {
  readonly hls: string;
  readonly dash: string;
}

/** Output of "Register With MediaPackage"; "Publish To Catalogue" writes it to the row. */
export interface PackagingResult {
  readonly packagingAssetId: string;
  /** MediaPackage's just-in-time formats, as CDN URLs (never the origin's egress host). */
  readonly playback: PlaybackUrls;
  readonly cmafGroup: CmafGroupUrls;
}

/** The full state of an execution after the happy path (what each state adds, by ResultPath). */
export interface WorkflowState {
  readonly claim: ClaimResult;
  readonly transcode?: TranscodeResult;
  readonly packaging?: PackagingResult;
}
