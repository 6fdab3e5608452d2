import { createHash } from "node:crypto";
import {
  ForbiddenException,
  NotFoundException,
  ServiceUnavailableException,
  TooManyRequestsException,
  UnprocessableEntityException,
  type CreateAssetCommandInput,
  type CreateAssetCommandOutput,
  type DeleteAssetCommandInput,
  type DeleteAssetCommandOutput,
  type ListAssetsCommandInput,
  type ListAssetsCommandOutput,
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
  /**
   * Assets a packaging group may hold: "Maximum Assets per Packaging Group", default 10,000 (a soft
   * quota, https://docs.aws.amazon.com/mediapackage/latest/ug/vod-quotas.html). A test sets a small one.
   */
  readonly assetQuota?: number;
}

/** What the egress endpoint answers one GET. */
export interface EgressResponse {
  readonly status: 200 | 403 | 404;
  /** Why it refused, for test messages. */
  readonly reason?: string;
  /** The manifest the URL names (the stand-in does not render manifests). */
  readonly asset?: string;
}

/** The VOD quotas page's default for "Maximum Assets per Packaging Group". */
export const DEFAULT_ASSET_QUOTA = 10_000;

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
 * - The assets-per-group quota (`assetQuota`): CreateAsset beyond it answers TooManyRequestsException
 *   (429, "The client has exceeded their resource or throttling limits", the API's only error for
 *   either), with the message MediaPackage gives for both: "Too many requests, please try again.
 *   Resource limit exceeded" (https://docs.aws.amazon.com/mediapackage/latest/ug/endpoints-create.html).
 *   DeleteAsset frees a place; ListAssets pages a group's assets.
 * - `outage(fromMs, untilMs)`: every API call in the window answers ServiceUnavailableException (503,
 *   one of the errors the API reference lists for the asset operations:
 *   https://docs.aws.amazon.com/mediapackage-vod/latest/apireference/assets.html). Egress is not affected.
 * Not modelled: tags, SPEKE/DRM.
 */
export class MediaPackageVodFake {
  readonly assets = new Map<string, StoredAsset>();
  readonly createAssetCalls: { input: CreateAssetCommandInput; at: number; result: string }[] = [];
  readonly describeAssetCalls: { input: DescribeAssetCommandInput; at: number }[] = [];
  readonly deleteAssetCalls: { input: DeleteAssetCommandInput; at: number; result: string }[] = [];
  readonly listAssetsCalls: ListAssetsCommandInput[] = [];
  private denials: { message: string }[] = [];
  private throttles = 0;
  private readonly outages: { fromMs: number; untilMs: number }[] = [];
  /** API calls refused by an outage. */
  outageRefusals = 0;
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

  /** The API is down from `fromMs` until `untilMs` (the runner's clock, epoch ms). */
  outage(fromMs: number, untilMs: number): void {
    if (!(untilMs > fromMs)) throw new Error(`an outage must end after it starts: ${fromMs}..${untilMs}`);
    this.outages.push({ fromMs, untilMs });
  }

  private refuseDuringOutage(operation: string): void {
    const now = this.clock.now();
    if (!this.outages.some((o) => now >= o.fromMs && now < o.untilMs)) return;
    this.outageRefusals++;
    throw new ServiceUnavailableException({
      message: `${operation}: Service Unavailable`,
      $metadata: meta(503),
    });
  }

  /** https://docs.aws.amazon.com/mediapackage-vod/latest/apireference/assets.html#assetspost */
  createAsset(input: CreateAssetCommandInput): CreateAssetCommandOutput {
    const now = this.clock.now();
    const refuse = (error: Error) => {
      this.createAssetCalls.push({ input, at: now, result: error.name });
      return error;
    };
    try {
      this.refuseDuringOutage("CreateAsset");
    } catch (error) {
      throw refuse(error as Error);
    }
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
    const inGroup = [...this.assets.values()].filter((a) => a.request.PackagingGroupId === PackagingGroupId);
    if (inGroup.length >= (this.options.assetQuota ?? DEFAULT_ASSET_QUOTA)) {
      throw refuse(
        new TooManyRequestsException({
          message: "Too many requests, please try again. Resource limit exceeded",
          $metadata: meta(429),
        }),
      );
    }

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
    this.refuseDuringOutage("DescribeAsset");
    const asset = this.assets.get(input.Id ?? "");
    if (!asset) throw new NotFoundException({ message: `Asset ${input.Id} not found`, $metadata: meta(404) });
    return { $metadata: meta(200), ...this.view(asset) };
  }

  /** https://docs.aws.amazon.com/mediapackage-vod/latest/apireference/assets-id.html#assets-iddelete */
  deleteAsset(input: DeleteAssetCommandInput): DeleteAssetCommandOutput {
    const at = this.clock.now();
    this.refuseDuringOutage("DeleteAsset");
    if (!this.assets.delete(input.Id ?? "")) {
      this.deleteAssetCalls.push({ input, at, result: "NotFoundException" });
      throw new NotFoundException({ message: `Asset ${input.Id} not found`, $metadata: meta(404) });
    }
    this.deleteAssetCalls.push({ input, at, result: "deleted" });
    return { $metadata: meta(202) };
  }

  /**
   * A group's assets (or all), `MaxResults` (1 to 1,000) a page, continued with `NextToken`.
   * https://docs.aws.amazon.com/mediapackage-vod/latest/apireference/assets.html#assetsget
   */
  listAssets(input: ListAssetsCommandInput): ListAssetsCommandOutput {
    this.listAssetsCalls.push(input);
    this.refuseDuringOutage("ListAssets");
    const limit = input.MaxResults ?? 50;
    if (limit < 1 || limit > 1000) throw unprocessable("maxResults must be from 1 to 1000");
    const all = [...this.assets.values()].filter(
      (a) => input.PackagingGroupId === undefined || a.request.PackagingGroupId === input.PackagingGroupId,
    );
    const start = input.NextToken === undefined ? 0 : Number(input.NextToken);
    const page = all.slice(start, start + limit);
    return {
      $metadata: meta(200),
      Assets: page.map((a) => {
        const { EgressEndpoints: _endpoints, Tags: _tags, ...shallow } = this.view(a);
        return shallow;
      }),
      ...(start + limit < all.length ? { NextToken: String(start + limit) } : {}),
    };
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
