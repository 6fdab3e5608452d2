import { createHash } from "node:crypto";
import {
  ForbiddenException,
  NotFoundException,
  TooManyRequestsException,
  UnprocessableEntityException,
  type CreateAssetCommandInput,
  type CreateAssetCommandOutput,
  type DescribeAssetCommandInput,
  type DescribeAssetCommandOutput,
  type EgressEndpoint,
} from "@aws-sdk/client-mediapackage-vod";
import { ACCOUNT, PARTITION, REGION } from "../aws";
import type { Clock } from "../clock";
import type { S3Fake } from "./s3";
import { CDN_IDENTIFIER_HEADER } from "../../../infra/lib/origin-lock";

export interface PackagingConfigurationSpec {
  readonly id: string;
  /** Which manifest the configuration serves. */
  readonly packageType: "hls" | "dash" | "cmaf";
}

export interface MediaPackageVodOptions {
  /** Packaging group id → its packaging configurations. */
  readonly groups: Readonly<Record<string, readonly PackagingConfigurationSpec[]>>;
  /** QUEUED → PROCESSING → PLAYABLE takes this long (default 45 s). */
  readonly ingestMs?: number;
  /**
   * What ingest makes of a CMAF group's `.m3u8` (fragmented MP4), which the "supported inputs" page
   * does not list: `"failed"` (default: only documented inputs ingest) or `"playable"`.
   */
  readonly cmafSource?: "failed" | "playable";
  /**
   * The packaging group's CDN authorization (origin lock, on in every stack since delivery): egress
   * answers 403 to a request whose `X-MediaPackage-CDNIdentifier` is missing or differs. Absent: off.
   */
  readonly cdnIdentifier?: string;
}

/** What the egress endpoint answers one GET. */
export interface EgressResponse {
  readonly status: 200 | 403 | 404;
  /** Why it refused, for test messages. */
  readonly reason?: string;
  /** The manifest the URL names (the stand-in does not render manifests). */
  readonly asset?: string;
}

interface StoredAsset {
  readonly request: Required<
    Pick<CreateAssetCommandInput, "Id" | "PackagingGroupId" | "SourceArn" | "SourceRoleArn">
  > &
    CreateAssetCommandInput;
  readonly createdAt: number;
  readonly urls: Record<string, string>;
  /** Whether the source can be ingested, decided when the asset is created. */
  readonly ingestable: boolean;
}

/**
 * AWS Elemental MediaPackage VOD for CreateAsset and DescribeAsset.
 *
 * - CreateAsset validates the id (`[A-Za-z0-9_-]`), the packaging group, a same-partition S3
 *   `SourceArn` and an IAM role `SourceRoleArn`; an id already in use is refused with
 *   UnprocessableEntityException (422) — the API models no ConflictException, so that is the
 *   closest documented answer; the real message text is not documented.
 * - Every packaging configuration of the group gets an egress endpoint: QUEUED, PROCESSING after
 *   half the ingest time, then PLAYABLE; FAILED if the source object is missing or is a format
 *   the service does not ingest (see `cmafSource`).
 * - `denyNext` answers ForbiddenException (403, e.g. the role may not pass SourceRoleArn);
 *   `throttleNext` TooManyRequestsException.
 * - Egress (`egress`): with CDN authorization on, a request without the group's CDN identifier in
 *   `X-MediaPackage-CDNIdentifier` gets 403 ("MediaPackage … rejects requests that don't have the correct
 *   header", https://docs.aws.amazon.com/mediapackage/latest/ug/cdn-auth.html); an asset not yet
 *   PLAYABLE, or an unknown path, 404. Paths are `/out/v1/<assetHash>/<configurationHash>/<hash>/index.<ext>`
 *   as in AWS's samples: one prefix per asset (DELIVERY.md section 1, trap 16).
 * Not modelled: deletion, tags, SPEKE/DRM, the 10,000-assets-per-group quota.
 */
export class MediaPackageVodFake {
  readonly assets = new Map<string, StoredAsset>();
  readonly createAssetCalls: { input: CreateAssetCommandInput; at: number; result: string }[] = [];
  readonly describeAssetCalls: { input: DescribeAssetCommandInput; at: number }[] = [];
  private denials: { message: string }[] = [];
  private throttles = 0;
  private readonly ingestMs: number;

  constructor(
    private readonly clock: Clock,
    private readonly s3: S3Fake,
    private readonly options: MediaPackageVodOptions,
  ) {
    this.ingestMs = options.ingestMs ?? 45_000;
  }

  /** The next `count` CreateAsset calls are ForbiddenException. */
  denyNext(
    count = 1,
    message = "User is not authorized to perform: iam:PassRole on the SourceRoleArn",
  ): void {
    for (let i = 0; i < count; i++) this.denials.push({ message });
  }

  throttleNext(count = 1): void {
    this.throttles += count;
  }

  /** https://docs.aws.amazon.com/mediapackage-vod/latest/apireference/assets.html#assetspost */
  createAsset(input: CreateAssetCommandInput): CreateAssetCommandOutput {
    const now = this.clock.now();
    const refuse = (error: Error) => {
      this.createAssetCalls.push({ input, at: now, result: error.name });
      return error;
    };
    if (this.throttles > 0) {
      this.throttles--;
      throw refuse(new TooManyRequestsException({ message: "Too Many Requests", $metadata: meta(429) }));
    }
    const denial = this.denials.shift();
    if (denial) throw refuse(new ForbiddenException({ message: denial.message, $metadata: meta(403) }));
    const { Id, PackagingGroupId, SourceArn, SourceRoleArn } = input;
    if (!Id || !/^[A-Za-z0-9_-]+$/.test(Id)) throw refuse(unprocessable(`Invalid asset id: ${Id}`));
    if (!PackagingGroupId || !this.options.groups[PackagingGroupId]) {
      throw refuse(
        new NotFoundException({
          message: `Packaging group ${PackagingGroupId} not found`,
          $metadata: meta(404),
        }),
      );
    }
    const source = parseSourceArn(SourceArn);
    if (!source)
      throw refuse(
        unprocessable(`SourceArn must be an S3 object ARN in partition ${PARTITION}: ${SourceArn}`),
      );
    if (!SourceRoleArn || !/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/.test(SourceRoleArn)) {
      throw refuse(unprocessable(`SourceRoleArn must be an IAM role ARN: ${SourceRoleArn}`));
    }
    if (this.assets.has(Id)) throw refuse(unprocessable(`Asset with id ${Id} already exists`));

    const stored = this.s3.latest(source.bucket, source.key);
    const ingestable =
      stored?.content.kind === "output" &&
      (stored.content.container === "hls-ts" ||
        (stored.content.container === "cmaf" && this.options.cmafSource === "playable"));
    const urls: Record<string, string> = {};
    for (const configuration of this.options.groups[PackagingGroupId]!) {
      urls[configuration.id] = egressUrl(PackagingGroupId, configuration, Id);
    }
    const asset: StoredAsset = {
      request: { ...input, Id, PackagingGroupId, SourceArn: SourceArn!, SourceRoleArn },
      createdAt: now,
      urls,
      ingestable,
    };
    this.assets.set(Id, asset);
    this.createAssetCalls.push({ input, at: now, result: "created" });
    return { $metadata: meta(200), ...this.view(asset) };
  }

  /**
   * One GET on an egress URL, as the origin sees it (CloudFront adds the header; a viewer going to the
   * origin directly does not have it). Header names are case-insensitive; the query string is ignored.
   */
  egress(url: string, headers: Readonly<Record<string, string | undefined>> = {}): EgressResponse {
    const expected = this.options.cdnIdentifier;
    if (expected !== undefined) {
      const sent = Object.entries(headers).find(
        ([name]) => name.toLowerCase() === CDN_IDENTIFIER_HEADER.toLowerCase(),
      )?.[1];
      if (sent !== expected) {
        return {
          status: 403,
          reason: sent === undefined ? `no ${CDN_IDENTIFIER_HEADER}` : "wrong CDN identifier",
        };
      }
    }
    const { origin, pathname } = new URL(url);
    for (const asset of this.assets.values()) {
      const match = Object.values(asset.urls).find((u) => {
        const known = new URL(u);
        return known.origin === origin && known.pathname === pathname;
      });
      if (match === undefined) continue;
      if (this.view(asset).EgressEndpoints[0]?.Status !== "PLAYABLE") {
        return { status: 404, reason: `asset ${asset.request.Id} is not PLAYABLE` };
      }
      return { status: 200, asset: asset.request.Id };
    }
    return { status: 404, reason: `no asset serves ${pathname}` };
  }

  /** https://docs.aws.amazon.com/mediapackage-vod/latest/apireference/assets-id.html */
  describeAsset(input: DescribeAssetCommandInput): DescribeAssetCommandOutput {
    this.describeAssetCalls.push({ input, at: this.clock.now() });
    const asset = this.assets.get(input.Id ?? "");
    if (!asset) throw new NotFoundException({ message: `Asset ${input.Id} not found`, $metadata: meta(404) });
    return { $metadata: meta(200), ...this.view(asset) };
  }

  private view(asset: StoredAsset) {
    const elapsed = this.clock.now() - asset.createdAt;
    const status: EgressEndpoint["Status"] =
      elapsed >= this.ingestMs
        ? asset.ingestable
          ? "PLAYABLE"
          : "FAILED"
        : elapsed >= this.ingestMs / 2
          ? "PROCESSING"
          : "QUEUED";
    const { Id, PackagingGroupId, SourceArn, SourceRoleArn } = asset.request;
    return {
      Arn: `arn:${PARTITION}:mediapackage-vod:${REGION}:${ACCOUNT}:assets/${Id}`,
      CreatedAt: new Date(asset.createdAt).toISOString().replace(/\.\d{3}Z$/, "Z"),
      EgressEndpoints: Object.entries(asset.urls).map(([PackagingConfigurationId, Url]) => ({
        PackagingConfigurationId,
        Status: status,
        Url,
      })),
      Id,
      PackagingGroupId,
      ResourceId: asset.request.ResourceId ?? Id,
      SourceArn,
      SourceRoleArn,
      Tags: asset.request.Tags ?? {},
    };
  }
}

function parseSourceArn(arn: string | undefined): { bucket: string; key: string } | undefined {
  const match = new RegExp(`^arn:${PARTITION}:s3:::([^/]+)/(.+)$`, "s").exec(arn ?? "");
  return match ? { bucket: match[1]!, key: match[2]! } : undefined;
}

/**
 * `https://<hash>.egress.mediapackage-vod.<region>.amazonaws.com/out/v1/<assetHash>/<configurationHash>/<hash>/index.<ext>`:
 * the asset's hash first, so the HLS, DASH and CMAF URLs of one asset share `/out/v1/<assetHash>/` (the
 * shape of AWS's samples, which the session's cookie scope relies on).
 */
function egressUrl(groupId: string, configuration: PackagingConfigurationSpec, assetId: string): string {
  const extension = configuration.packageType === "dash" ? "mpd" : "m3u8";
  return `${EGRESS_ORIGIN}/out/v1/${md5(`${groupId}/${assetId}`)}/${md5(configuration.id)}/${md5(`${assetId}/${configuration.id}`)}/index.${extension}`;
}

function md5(text: string): string {
  return createHash("md5").update(text).digest("hex");
}

/** The account's MediaPackage VOD egress host (one per account and Region in AWS's samples). */
export const EGRESS_ORIGIN = `https://${md5(ACCOUNT)}.egress.mediapackage-vod.${REGION}.amazonaws.com`;

function unprocessable(message: string): UnprocessableEntityException {
  return new UnprocessableEntityException({ message, $metadata: meta(422) });
}

function meta(httpStatusCode: number) {
  return { httpStatusCode, attempts: 1, totalRetryDelay: 0 };
}
