import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { PriceClass } from "./config";
import { AUTH_PATH_PATTERN } from "./entitlement";
import { cloudFrontReadsBucket } from "./lib/policies";
import { CDN_IDENTIFIER_HEADER } from "./lib/origin-lock";
import { secureBucket } from "./storage";

/**
 * Managed CloudFront policies used as they are (ids are fixed by AWS; hard-coded rather than
 * looked up, so preview needs no API call).
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-managed-cache-policies.html
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-managed-origin-request-policies.html
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-managed-response-headers-policies.html
 */
export const MANAGED = {
  /** CachingOptimized: 1 / 86400 / 31536000 s, nothing in the key, gzip + brotli. */
  cachingOptimized: "658327ea-f89d-4fab-a63d-7e88639e58f6",
  /** AllViewerExceptHostHeader: every header, cookie and query string except Host (API Gateway needs its own Host). */
  allViewerExceptHostHeader: "b689b0a8-53d0-40ab-baf2-68738e2966ac",
  /** SecurityHeadersPolicy: HSTS, X-Content-Type-Options nosniff, X-Frame-Options SAMEORIGIN, Referrer-Policy, X-XSS-Protection. */
  securityHeaders: "67f7725c-6f97-4210-82d7-5512b31e9d03",
} as const;

/**
 * Query strings MediaPackage VOD acts on, kept in the manifest cache key for the MediaPackage origin
 * only: `aws.manifestfilter` (manifest filtering), `start` / `end` (time-shift windows). Any other
 * query string is ignored by MediaPackage and would only fragment the cache. Sources: the managed
 * "Elemental-MediaPackage" cache policy's query strings (without `m`, which is live-only) and the
 * CloudFront guide's "live-streaming" page, step 3 (DELIVERY.md section 2).
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-managed-cache-policies.html
 */
export const MEDIAPACKAGE_QUERY_STRINGS = ["aws.manifestfilter", "start", "end"] as const;

/** Path prefix of every MediaPackage VOD egress URL (`/out/v1/<asset hash>/<config hash>/<…>/index.m3u8`). */
export const MEDIAPACKAGE_PATH = "/out/v1/";
/** The viewer page's folder, in the viewer bucket and on the CDN host. */
export const VIEWER_PATH = "/viewer/";
/** Manifest extensions (HLS multivariant/media playlists, DASH MPD); everything else is a segment or image. */
export const MANIFEST_EXTENSIONS = ["m3u8", "mpd"] as const;

/** Cache lifetimes (seconds) per kind of object; see cachePolicies(). */
export interface Ttls {
  readonly min: number;
  readonly default: number;
  readonly max: number;
}

/**
 * Segments never change under their URL (every revision writes a new folder; MediaPackage segment
 * URLs are content-addressed), so they may stay a year; the origin's own max-age wins inside
 * [min, max] (MediaPackage sends 14 days for segments).
 * https://docs.aws.amazon.com/mediapackage/latest/userguide/cdns.html
 */
export const SEGMENT_TTLS: Ttls = { min: 0, default: 86_400, max: 31_536_000 };
/**
 * The session route is never cached: 0 / 0 / 1 rather than 0 / 0 / 0 because a policy whose TTLs
 * are all 0 cannot put headers in the cache key, and `Authorization` reaches the origin only
 * through the key (an origin request policy cannot forward it). The function answers
 * `Cache-Control: no-store`. https://repost.aws/knowledge-center/cloudfront-authorization-header
 */
export const AUTH_TTLS: Ttls = { min: 0, default: 0, max: 1 };
/** Manifests: a short default so a takedown or a re-publish shows within seconds. */
export function manifestTtls(maxSeconds: number): Ttls {
  if (!Number.isInteger(maxSeconds) || maxSeconds < 2)
    throw new RangeError(`manifest max TTL must be ≥ 2 s, got ${maxSeconds}`);
  return { min: 0, default: 2, max: maxSeconds };
}

/** The origin ids of the distribution. */
export const ORIGIN = {
  mediaPackage: "mediapackage",
  outputBucket: "output-bucket",
  entitlement: "entitlement-api",
  viewer: "viewer-bucket",
} as const;

/** A WAF rate rule: requests per IP per evaluation window (300 s) before WAF blocks the IP. */
export interface WafArgs {
  /** For /auth/* (config `wafAuthRateLimit`, default 100). */
  readonly authRateLimit: number;
  /** For every other path (config `wafMediaRateLimit`, default 3000). */
  readonly mediaRateLimit: number;
}

/** Inputs of the distribution. */
export interface DeliveryArgs {
  /** MediaPackage egress host without scheme (Packaging.egressDomainName). */
  readonly mediaPackageDomainName: pulumi.Input<string>;
  /** The value CloudFront sends in X-MediaPackage-CDNIdentifier (Packaging.cdnIdentifier, secret). */
  readonly cdnIdentifier: pulumi.Input<string>;
  /** Region of the packaging group: Origin Shield's Region. */
  readonly mediaPackageRegion: pulumi.Input<string>;
  /** The output bucket, served directly (CMAF group, posters) through OAC. */
  readonly outputBucket: {
    readonly arn: pulumi.Input<string>;
    readonly regionalDomainName: pulumi.Input<string>;
  };
  /** Host of the entitlement API (EntitlementApi.originDomainName), behind /auth/*. */
  readonly entitlementDomainName: pulumi.Input<string>;
  /** Key group that signs media (SigningKeys.keyGroupId). */
  readonly keyGroupId: pulumi.Input<string>;
  /** Exact player origins for credentialed CORS (config `deliveryPlayerOrigins`, default []). */
  readonly playerOrigins: readonly string[];
  /** Alias and its us-east-1 ACM certificate (config `deliveryDomain` / `deliveryCertificateArn`); default none. */
  readonly alias?: { readonly domainName: string; readonly certificateArn: string };
  /** Config `deliveryPriceClass`, default PriceClass_100. */
  readonly priceClass: PriceClass;
  /** Allowed countries (config `deliveryGeoAllowList`); [] = none. */
  readonly geoAllowList: readonly string[];
  /** Origin Shield for the MediaPackage origin (config `deliveryOriginShield`, default true). */
  readonly originShield: boolean;
  /** Config `manifestMaxTtlSeconds`, default 60. */
  readonly manifestMaxTtlSeconds: number;
  /** A web ACL with the two rate rules (config `wafEnabled`, default off). */
  readonly waf?: WafArgs;
  /** Files of the viewer page, by key under `viewer/` (e.g. "viewer/index.html"); default none. */
  readonly viewerFiles?: Readonly<
    Record<string, { readonly source: pulumi.asset.Asset; readonly contentType: string }>
  >;
}

/**
 * The stack's only public surface: one CloudFront distribution in front of
 * - MediaPackage VOD egress (`/out/v1/*`, origin-locked by the CDN identifier header),
 * - the output bucket (the CMAF group's HLS + DASH over one fMP4 set, posters; OAC),
 * - the entitlement API (`/auth/*`: cookies minted on the CDN host itself, so they are first-party),
 * - the viewer bucket (`/viewer/*`, the player page; OAC).
 * Every media behavior requires signed cookies from the key group; `/auth/*` and `/viewer/*` do not
 * (a viewer must reach them to get cookies at all).
 *
 * Order of creation (no cycle): EntitlementApi → Delivery → (viewer sign-in, session function) →
 * SessionRoute; the output bucket's policy names this distribution through a deferred output.
 */
export class Delivery extends pulumi.ComponentResource {
  public readonly distributionId: pulumi.Output<string>;
  public readonly distributionArn: pulumi.Output<string>;
  /** `dXXXX.cloudfront.net`. */
  public readonly domainName: pulumi.Output<string>;
  /** `https://<alias or dXXXX.cloudfront.net>`: CDN_BASE_URL for the session and register-asset functions. */
  public readonly baseUrl: pulumi.Output<string>;
  /** The viewer page. */
  public readonly viewerUrl: pulumi.Output<string>;
  /** `https://<cdn>/auth/v1/{assetId}/session`. */
  public readonly playbackSessionUrl: pulumi.Output<string>;
  public readonly viewerBucketName: pulumi.Output<string>;
  /** The web ACL's ARN, or undefined when WAF is off. */
  public readonly webAclArn: pulumi.Output<string> | undefined;

  constructor(name: string, args: DeliveryArgs, opts?: pulumi.ComponentResourceOptions) {
    const manifest = manifestTtls(args.manifestMaxTtlSeconds);
    for (const key of Object.keys(args.viewerFiles ?? {})) {
      if (!key.startsWith(VIEWER_PATH.slice(1))) {
        throw new Error(`viewer file "${key}" must be under ${VIEWER_PATH.slice(1)}`);
      }
    }
    super("vod:delivery:Delivery", name, {}, opts);
    const child = { parent: this };

    // Cache policies: what each kind of object is keyed on and how long it lives at the edge.
    const policies = {
      mediaPackageManifests: new aws.cloudfront.CachePolicy(
        `${name}-manifests-mediapackage`,
        cachePolicy("Manifests from MediaPackage", manifest, true, [...MEDIAPACKAGE_QUERY_STRINGS]),
        child,
      ).id,
      bucketManifests: new aws.cloudfront.CachePolicy(
        `${name}-manifests-bucket`,
        cachePolicy("Manifests from the output bucket", manifest, true, []),
        child,
      ).id,
      // Compression off: fMP4/TS segments are already compressed.
      segments: new aws.cloudfront.CachePolicy(
        `${name}-segments`,
        cachePolicy("Media segments (immutable)", SEGMENT_TTLS, false, []),
        child,
      ).id,
      auth: new aws.cloudfront.CachePolicy(
        `${name}-auth`,
        {
          comment: "Session API: never cached; Authorization reaches the origin through the key",
          minTtl: AUTH_TTLS.min,
          defaultTtl: AUTH_TTLS.default,
          maxTtl: AUTH_TTLS.max,
          parametersInCacheKeyAndForwardedToOrigin: {
            headersConfig: { headerBehavior: "whitelist", headers: { items: ["Authorization"] } },
            cookiesConfig: { cookieBehavior: "none" },
            queryStringsConfig: { queryStringBehavior: "none" },
            enableAcceptEncodingGzip: false,
            enableAcceptEncodingBrotli: false,
          },
        },
        child,
      ).id,
    };
    const cors =
      args.playerOrigins.length === 0
        ? undefined
        : new aws.cloudfront.ResponseHeadersPolicy(
            `${name}-cors`,
            {
              comment: "Credentialed CORS for the player origins",
              corsConfig: mediaCors(args.playerOrigins),
            },
            child,
          ).id;

    // One OAC (SigV4, always) for both buckets: CloudFront signs its S3 requests; the bucket
    // policies accept them only from this distribution.
    const oac = new aws.cloudfront.OriginAccessControl(
      `${name}-oac`,
      {
        description: "CloudFront reads the output and viewer buckets",
        originAccessControlOriginType: "s3",
        signingBehavior: "always",
        signingProtocol: "sigv4",
      },
      child,
    );

    const viewerBucket = new aws.s3.Bucket(`${name}-viewer`, { forceDestroy: true }, child);

    const webAcl =
      args.waf === undefined
        ? undefined
        : new aws.wafv2.WebAcl(
            `${name}-waf`,
            {
              // "To work with CloudFront, you must also specify the region us-east-1" (@pulumi/aws
              // wafv2/webAcl.d.ts, `scope`); v7 takes the region per resource, whatever the stack's.
              region: "us-east-1",
              scope: "CLOUDFRONT",
              description: "Per-IP rate limits: sessions and media apart",
              defaultAction: { allow: {} },
              rules: rateRules(args.waf),
              visibilityConfig: visibility("vod-delivery"),
            },
            child,
          );

    const distribution = new aws.cloudfront.Distribution(
      `${name}-distribution`,
      {
        enabled: true,
        comment: "Video on demand: media, sessions, viewer",
        httpVersion: "http2and3",
        isIpv6Enabled: true,
        priceClass: args.priceClass,
        aliases: args.alias === undefined ? undefined : [args.alias.domainName],
        viewerCertificate:
          args.alias === undefined
            ? { cloudfrontDefaultCertificate: true }
            : {
                acmCertificateArn: args.alias.certificateArn,
                sslSupportMethod: "sni-only",
                minimumProtocolVersion: "TLSv1.2_2021",
              },
        restrictions: { geoRestriction: geoRestriction(args.geoAllowList) },
        webAclId: webAcl?.arn,
        origins: [
          {
            originId: ORIGIN.mediaPackage,
            domainName: args.mediaPackageDomainName,
            customOriginConfig: {
              httpPort: 80,
              httpsPort: 443,
              originProtocolPolicy: "https-only",
              originSslProtocols: ["TLSv1.2"],
            },
            customHeaders: [{ name: CDN_IDENTIFIER_HEADER, value: args.cdnIdentifier }],
            originShield: args.originShield
              ? { enabled: true, originShieldRegion: args.mediaPackageRegion }
              : undefined,
          },
          {
            originId: ORIGIN.outputBucket,
            domainName: args.outputBucket.regionalDomainName,
            originAccessControlId: oac.id,
          },
          {
            originId: ORIGIN.entitlement,
            domainName: args.entitlementDomainName,
            customOriginConfig: {
              httpPort: 80,
              httpsPort: 443,
              originProtocolPolicy: "https-only",
              originSslProtocols: ["TLSv1.2"],
            },
          },
          {
            originId: ORIGIN.viewer,
            domainName: viewerBucket.bucketRegionalDomainName,
            originAccessControlId: oac.id,
          },
        ],
        ...cacheBehaviors({ policies, cors, keyGroupId: args.keyGroupId }),
      },
      child,
    );

    secureBucket(`${name}-viewer`, viewerBucket, this, [
      cloudFrontReadsBucket(viewerBucket.arn, distribution.arn),
    ]);
    for (const [key, file] of Object.entries(args.viewerFiles ?? {})) {
      new aws.s3.BucketObjectv2(
        `${name}-viewer-${key.slice(VIEWER_PATH.length - 1).replace(/[^A-Za-z0-9_.-]/g, "-")}`,
        { bucket: viewerBucket.id, key, source: file.source, contentType: file.contentType },
        child,
      );
    }

    this.distributionId = distribution.id;
    this.distributionArn = distribution.arn;
    this.domainName = distribution.domainName;
    this.baseUrl =
      args.alias === undefined
        ? pulumi.interpolate`https://${distribution.domainName}`
        : pulumi.output(`https://${args.alias.domainName}`);
    this.viewerUrl = pulumi.interpolate`${this.baseUrl}${VIEWER_PATH}index.html`;
    this.playbackSessionUrl = pulumi.interpolate`${this.baseUrl}/auth/v1/{assetId}/session`;
    this.viewerBucketName = viewerBucket.bucket;
    this.webAclArn = webAcl?.arn;
    this.registerOutputs({
      distributionId: this.distributionId,
      distributionArn: this.distributionArn,
      domainName: this.domainName,
      baseUrl: this.baseUrl,
      viewerUrl: this.viewerUrl,
      playbackSessionUrl: this.playbackSessionUrl,
      viewerBucketName: this.viewerBucketName,
      webAclArn: this.webAclArn,
    });
  }
}

type CachePolicyArgs = aws.cloudfront.CachePolicyArgs;
type OrderedBehavior = aws.types.input.cloudfront.DistributionOrderedCacheBehavior;
type DefaultBehavior = aws.types.input.cloudfront.DistributionDefaultCacheBehavior;

/** A cache policy with nothing but the given query strings in its key (no cookies, no headers). */
export function cachePolicy(
  comment: string,
  ttls: Ttls,
  compress: boolean,
  queryStrings: string[],
): CachePolicyArgs {
  return {
    comment,
    minTtl: ttls.min,
    defaultTtl: ttls.default,
    maxTtl: ttls.max,
    parametersInCacheKeyAndForwardedToOrigin: {
      cookiesConfig: { cookieBehavior: "none" },
      headersConfig: { headerBehavior: "none" },
      queryStringsConfig:
        queryStrings.length === 0
          ? { queryStringBehavior: "none" }
          : { queryStringBehavior: "whitelist", queryStrings: { items: queryStrings } },
      enableAcceptEncodingGzip: compress,
      enableAcceptEncodingBrotli: compress,
    },
  };
}

/**
 * Credentialed CORS for media: the exact player origins (never `*`, which browsers reject with
 * credentials; `*` in allow-headers is literal then too), GET/HEAD, `Range` allowed, the length
 * headers exposed. `originOverride`: the edge's answer wins over anything an origin sends.
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/understanding-response-headers-policies.html
 */
export function mediaCors(
  origins: readonly string[],
): aws.types.input.cloudfront.ResponseHeadersPolicyCorsConfig {
  if (origins.length === 0 || origins.some((o) => o.includes("*"))) {
    throw new Error("credentialed CORS needs at least one exact origin and no *");
  }
  return {
    accessControlAllowCredentials: true,
    accessControlAllowOrigins: { items: [...origins] },
    accessControlAllowMethods: { items: ["GET", "HEAD"] },
    accessControlAllowHeaders: { items: ["Range"] },
    accessControlExposeHeaders: { items: ["Content-Length", "Content-Range"] },
    accessControlMaxAgeSec: 600,
    originOverride: true,
  };
}

/** `none`, or an allow list of countries. */
export function geoRestriction(
  allow: readonly string[],
): aws.types.input.cloudfront.DistributionRestrictionsGeoRestriction {
  return allow.length === 0
    ? { restrictionType: "none", locations: [] }
    : { restrictionType: "whitelist", locations: [...allow] };
}

/**
 * The behaviors, first match wins:
 * 1. `/auth/*` → API: all methods, Authorization in the key, every cookie and header but Host
 *    forwarded (so Set-Cookie comes back), never cached, **not** signed.
 * 2. `/viewer/*` → viewer bucket: the page, cached, not signed.
 * 3. `/out/v1/*.m3u8`, `/out/v1/*.mpd` → MediaPackage manifests (its query strings in the key).
 * 4. `/out/v1/*` → MediaPackage segments.
 * 5. `*.m3u8`, `*.mpd` → output-bucket manifests (CMAF group).
 * 6. default → output-bucket segments and posters.
 * 3–6 require signed cookies (`trustedKeyGroups`), GET/HEAD only: the players' media requests are
 * simple requests (no preflight, which would carry no cookies and be refused).
 * Asset ids end in `-<8 hex>` (functions/shared/asset-id.ts), so no asset folder is ever `auth`,
 * `viewer` or `out`.
 */
export function cacheBehaviors(ids: {
  readonly policies: {
    readonly mediaPackageManifests: pulumi.Input<string>;
    readonly bucketManifests: pulumi.Input<string>;
    readonly segments: pulumi.Input<string>;
    readonly auth: pulumi.Input<string>;
  };
  readonly cors: pulumi.Input<string> | undefined;
  readonly keyGroupId: pulumi.Input<string>;
}): { orderedCacheBehaviors: OrderedBehavior[]; defaultCacheBehavior: DefaultBehavior } {
  const media = (targetOriginId: string, cachePolicyId: pulumi.Input<string>, compress: boolean) => ({
    targetOriginId,
    cachePolicyId,
    responseHeadersPolicyId: ids.cors,
    viewerProtocolPolicy: "https-only",
    allowedMethods: ["GET", "HEAD"],
    cachedMethods: ["GET", "HEAD"],
    compress,
    trustedKeyGroups: [ids.keyGroupId],
  });
  const manifests = (prefix: string, origin: string, policy: pulumi.Input<string>) =>
    MANIFEST_EXTENSIONS.map((ext) => ({ pathPattern: `${prefix}*.${ext}`, ...media(origin, policy, true) }));
  return {
    orderedCacheBehaviors: [
      {
        pathPattern: AUTH_PATH_PATTERN,
        targetOriginId: ORIGIN.entitlement,
        cachePolicyId: ids.policies.auth,
        originRequestPolicyId: MANAGED.allViewerExceptHostHeader,
        viewerProtocolPolicy: "https-only",
        allowedMethods: ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"],
        cachedMethods: ["GET", "HEAD"],
        compress: false,
      },
      {
        pathPattern: `${VIEWER_PATH}*`,
        targetOriginId: ORIGIN.viewer,
        cachePolicyId: MANAGED.cachingOptimized,
        responseHeadersPolicyId: MANAGED.securityHeaders,
        viewerProtocolPolicy: "redirect-to-https",
        allowedMethods: ["GET", "HEAD"],
        cachedMethods: ["GET", "HEAD"],
        compress: true,
      },
      ...manifests(MEDIAPACKAGE_PATH, ORIGIN.mediaPackage, ids.policies.mediaPackageManifests),
      { pathPattern: `${MEDIAPACKAGE_PATH}*`, ...media(ORIGIN.mediaPackage, ids.policies.segments, false) },
      ...manifests("", ORIGIN.outputBucket, ids.policies.bucketManifests),
    ],
    defaultCacheBehavior: media(ORIGIN.outputBucket, ids.policies.segments, false),
  };
}

type WafRule = aws.types.input.wafv2.WebAclRule;

/**
 * Two per-IP rate rules, 5-minute window: `/auth/*` (sessions: a viewer needs one every ~4 minutes)
 * and everything else (media: a CMAF ladder is ~30 requests a minute per viewer, and households
 * share an IP behind NAT). One rule for both would either block video or let session abuse through.
 * https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-rate-based-high-level-settings.html
 */
export function rateRules(waf: WafArgs): WafRule[] {
  const startsWithAuth = {
    byteMatchStatement: {
      fieldToMatch: { uriPath: {} },
      positionalConstraint: "STARTS_WITH",
      searchString: AUTH_PATH_PATTERN.slice(0, -1),
      textTransformations: [{ priority: 0, type: "NONE" }],
    },
  };
  const rule = (name: string, priority: number, limit: number, scopeDownStatement: object): WafRule => ({
    name,
    priority,
    action: { block: {} },
    statement: {
      rateBasedStatement: { limit, aggregateKeyType: "IP", evaluationWindowSec: 300, scopeDownStatement },
    },
    visibilityConfig: visibility(name),
  });
  return [
    rule("auth-rate", 0, waf.authRateLimit, startsWithAuth),
    rule("media-rate", 1, waf.mediaRateLimit, { notStatement: { statement: startsWithAuth } }),
  ];
}

function visibility(metricName: string): aws.types.input.wafv2.WebAclVisibilityConfig {
  return { cloudwatchMetricsEnabled: true, metricName, sampledRequestsEnabled: true };
}
