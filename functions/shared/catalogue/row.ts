import type { CmafGroupUrls, PlaybackUrls, Rendition, SourceFacts, SourceObject } from "../contract/workflow";

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

/** An error recorded on the catalogue row. */
export interface RowError {
  readonly code: string;
  readonly message: string;
  /** The state that failed ("Transcode To CMAF" …), or "Claim Upload" for rejections. */
  readonly state: string;
}

/**
 * A catalogue row (table `CATALOGUE_TABLE`, partition key `assetId`). Optional fields appear as
 * the title moves on (the transitions are in ./life-cycle.ts). Never holds whole jobs or events.
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
  /** CDN URLs of MediaPackage's formats (set by Publish; rows published before delivery hold egress URLs). */
  readonly playback?: PlaybackUrls;
  /** CDN URLs of the CMAF group served from the output bucket (set by Publish). */
  readonly cmafGroup?: CmafGroupUrls;
  /** `LADDER_VERSION` of the ladder the title's job encodes (shared/media/ladder.ts), set when transcoding starts. */
  readonly ladderVersion?: string;
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
