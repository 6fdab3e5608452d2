import * as pulumi from "@pulumi/pulumi";
import { outputOf, policyOf, setupPulumiMocks, type Inputs } from "../test/pulumi/mocks";
import {
  AUTH_TTLS,
  cacheBehaviors,
  Delivery,
  type DeliveryArgs,
  MANAGED,
  manifestTtls,
  mediaCors,
  MEDIAPACKAGE_QUERY_STRINGS,
  SEGMENT_TTLS,
} from "./delivery";

const mocks = setupPulumiMocks();

beforeEach(() => mocks.reset());

const MEDIAPACKAGE_HOST = "0123456789abcdef.egress.mediapackage-vod.us-east-1.amazonaws.com";
const API_HOST = "a1b2c3d4e5.execute-api.us-east-1.amazonaws.com";
const CDN_IDENTIFIER = "9ceebbe7-1a2b-4c3d-8e9f-0a1b2c3d4e5f";
const KEY_GROUP = "5e0b7a9c-0000-4000-8000-000000000001";
const PLAYERS = ["https://app.example.com", "https://www.example.com"];

const base: DeliveryArgs = {
  mediaPackageDomainName: MEDIAPACKAGE_HOST,
  cdnIdentifier: CDN_IDENTIFIER,
  mediaPackageRegion: "us-east-1",
  outputBucket: {
    arn: "arn:aws:s3:::vod-output",
    regionalDomainName: "vod-output.s3.us-east-1.amazonaws.com",
  },
  entitlementDomainName: API_HOST,
  keyGroupId: KEY_GROUP,
  playerOrigins: [],
  priceClass: "PriceClass_100",
  geoAllowList: [],
  originShield: true,
  manifestMaxTtlSeconds: 60,
};

async function build(overrides: Partial<DeliveryArgs> = {}): Promise<Delivery> {
  const delivery = new Delivery("vod-delivery", { ...base, ...overrides });
  await mocks.settle();
  return delivery;
}

interface Behavior extends Inputs {
  pathPattern?: string;
}

/** Every behavior of the distribution, ordered ones first, the default last (pathPattern "*"). */
function behaviors(): Behavior[] {
  const inputs = mocks.resourceNamed("vod-delivery-distribution").inputs;
  return [
    ...(inputs.orderedCacheBehaviors as Behavior[]),
    { ...(inputs.defaultCacheBehavior as Behavior), pathPattern: "*" },
  ];
}
const behavior = (pattern: string) => {
  const found = behaviors().find((b) => b.pathPattern === pattern);
  if (found === undefined) throw new Error(`no behavior ${pattern}`);
  return found;
};
const origin = (id: string) =>
  (mocks.resourceNamed("vod-delivery-distribution").inputs.origins as Inputs[]).find(
    (o) => o.originId === id,
  )!;
const cachePolicy = (name: string) => mocks.resourceNamed(name, "aws:cloudfront/cachePolicy:CachePolicy");

const MEDIA_PATTERNS = ["/out/v1/*.m3u8", "/out/v1/*.mpd", "/out/v1/*", "*.m3u8", "*.mpd", "*"];

describe("Delivery", () => {
  it("routes sessions, the viewer page, MediaPackage and the output bucket, first match first", async () => {
    // Act
    await build();

    // Assess
    expect(behaviors().map((b) => [b.pathPattern, b.targetOriginId])).toEqual([
      ["/auth/*", "entitlement-api"],
      ["/viewer/*", "viewer-bucket"],
      ["/out/v1/*.m3u8", "mediapackage"],
      ["/out/v1/*.mpd", "mediapackage"],
      ["/out/v1/*", "mediapackage"],
      ["*.m3u8", "output-bucket"],
      ["*.mpd", "output-bucket"],
      ["*", "output-bucket"],
    ]);
  });

  it("requires signed cookies from the key group on every media behavior and on neither /auth/* nor /viewer/*", async () => {
    // Act
    await build();

    // Assess
    for (const pattern of MEDIA_PATTERNS) {
      expect([pattern, behavior(pattern).trustedKeyGroups]).toEqual([pattern, [KEY_GROUP]]);
      expect(behavior(pattern).allowedMethods).toEqual(["GET", "HEAD"]);
      expect(behavior(pattern).viewerProtocolPolicy).toBe("https-only");
    }
    expect(behavior("/auth/*").trustedKeyGroups).toBeUndefined();
    expect(behavior("/viewer/*").trustedKeyGroups).toBeUndefined();
    expect(behaviors().every((b) => b.trustedSigners === undefined)).toBe(true);
    expect(behavior("/viewer/*").responseHeadersPolicyId).toBe(MANAGED.securityHeaders);
    expect(behavior("/viewer/*").cachePolicyId).toBe(MANAGED.cachingOptimized);
  });

  it("passes sessions through uncached: Authorization in a 0/0/1 key, cookies and all headers but Host forwarded", async () => {
    // Act
    await build();

    // Assess
    const auth = behavior("/auth/*");
    expect(auth.originRequestPolicyId).toBe(MANAGED.allViewerExceptHostHeader);
    expect(auth.allowedMethods).toEqual(["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"]);
    expect(auth.cachePolicyId).toBe(cachePolicy("vod-delivery-auth").id);
    expect(cachePolicy("vod-delivery-auth").inputs).toMatchObject({ minTtl: 0, defaultTtl: 0, maxTtl: 1 });
    expect(
      cachePolicy("vod-delivery-auth").inputs.parametersInCacheKeyAndForwardedToOrigin.headersConfig,
    ).toEqual({
      headerBehavior: "whitelist",
      headers: { items: ["Authorization"] },
    });
    expect(AUTH_TTLS).toEqual({ min: 0, default: 0, max: 1 });
    expect(origin("entitlement-api")).toEqual({
      originId: "entitlement-api",
      domainName: API_HOST,
      customOriginConfig: {
        httpPort: 80,
        httpsPort: 443,
        originProtocolPolicy: "https-only",
        originSslProtocols: ["TLSv1.2"],
      },
    });
  });

  it("keeps manifests briefly and segments long, with MediaPackage's query strings only on its manifests", async () => {
    // Act
    await build({ manifestMaxTtlSeconds: 30 });

    // Assess
    const ttl = (name: string) => {
      const { minTtl, defaultTtl, maxTtl } = cachePolicy(name).inputs;
      return [minTtl, defaultTtl, maxTtl];
    };
    const queryStrings = (name: string) =>
      cachePolicy(name).inputs.parametersInCacheKeyAndForwardedToOrigin.queryStringsConfig;
    expect(ttl("vod-delivery-manifests-mediapackage")).toEqual([0, 2, 30]);
    expect(ttl("vod-delivery-manifests-bucket")).toEqual([0, 2, 30]);
    expect(ttl("vod-delivery-segments")).toEqual([0, 86_400, 31_536_000]);
    expect(queryStrings("vod-delivery-manifests-mediapackage")).toEqual({
      queryStringBehavior: "whitelist",
      queryStrings: { items: ["aws.manifestfilter", "start", "end"] },
    });
    expect(queryStrings("vod-delivery-manifests-bucket")).toEqual({ queryStringBehavior: "none" });
    expect(queryStrings("vod-delivery-segments")).toEqual({ queryStringBehavior: "none" });
    expect(behavior("/out/v1/*.m3u8").cachePolicyId).toBe(
      cachePolicy("vod-delivery-manifests-mediapackage").id,
    );
    expect(behavior("/out/v1/*.mpd").cachePolicyId).toBe(
      cachePolicy("vod-delivery-manifests-mediapackage").id,
    );
    expect(behavior("*.m3u8").cachePolicyId).toBe(cachePolicy("vod-delivery-manifests-bucket").id);
    expect(behavior("/out/v1/*").cachePolicyId).toBe(cachePolicy("vod-delivery-segments").id);
    expect(behavior("*").cachePolicyId).toBe(cachePolicy("vod-delivery-segments").id);
    // Nothing viewer-specific in any media key: one cached copy serves every viewer.
    for (const name of [
      "vod-delivery-manifests-mediapackage",
      "vod-delivery-manifests-bucket",
      "vod-delivery-segments",
    ]) {
      const key = cachePolicy(name).inputs.parametersInCacheKeyAndForwardedToOrigin;
      expect([name, key.cookiesConfig, key.headersConfig]).toEqual([
        name,
        { cookieBehavior: "none" },
        { headerBehavior: "none" },
      ]);
    }
  });

  it("locks the MediaPackage origin with the CDN identifier header, over TLS 1.2, behind Origin Shield in its Region", async () => {
    // Act
    await build({ mediaPackageRegion: "eu-west-1" });

    // Assess
    expect(origin("mediapackage")).toEqual({
      originId: "mediapackage",
      domainName: MEDIAPACKAGE_HOST,
      customOriginConfig: {
        httpPort: 80,
        httpsPort: 443,
        originProtocolPolicy: "https-only",
        originSslProtocols: ["TLSv1.2"],
      },
      customHeaders: [{ name: "X-MediaPackage-CDNIdentifier", value: CDN_IDENTIFIER }],
      originShield: { enabled: true, originShieldRegion: "eu-west-1" },
    });
  });

  it("leaves Origin Shield out when it is switched off", async () => {
    // Act
    await build({ originShield: false });

    // Assess
    expect(origin("mediapackage").originShield).toBeUndefined();
  });

  it("reads both buckets through one SigV4 origin access control, and the viewer bucket admits only this distribution", async () => {
    // Act
    const delivery = await build();

    // Assess
    const oac = mocks.resourceNamed("vod-delivery-oac");
    expect(oac.inputs).toMatchObject({
      originAccessControlOriginType: "s3",
      signingBehavior: "always",
      signingProtocol: "sigv4",
    });
    expect(origin("output-bucket")).toEqual({
      originId: "output-bucket",
      domainName: "vod-output.s3.us-east-1.amazonaws.com",
      originAccessControlId: oac.id,
    });
    expect(origin("viewer-bucket")).toEqual({
      originId: "viewer-bucket",
      domainName: "vod-delivery-viewer.s3.us-east-1.amazonaws.com",
      originAccessControlId: oac.id,
    });
    const distribution = mocks.resourceNamed("vod-delivery-distribution");
    expect(policyOf(mocks.resourceNamed("vod-delivery-viewer-policy")).Statement).toEqual([
      expect.objectContaining({ Sid: "DenyInsecureTransport", Effect: "Deny" }),
      {
        Sid: "CloudFrontReadsObjects",
        Effect: "Allow",
        Principal: { Service: "cloudfront.amazonaws.com" },
        Action: "s3:GetObject",
        Resource: "arn:aws:s3:::vod-delivery-viewer/*",
        Condition: { StringEquals: { "AWS:SourceArn": distribution.state.arn } },
      },
    ]);
    expect(mocks.resourceNamed("vod-delivery-viewer-public-access").inputs).toMatchObject({
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    expect(await outputOf(delivery.viewerBucketName)).toBe("vod-delivery-viewer");
  });

  it("adds no CORS policy when the only player is the distribution's own viewer page", async () => {
    // Act
    await build({ playerOrigins: [] });

    // Assess
    expect(mocks.resourcesOfType("aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy")).toEqual([]);
    for (const pattern of MEDIA_PATTERNS) expect(behavior(pattern).responseHeadersPolicyId).toBeUndefined();
  });

  it("answers the configured player origins exactly, with credentials, on every media behavior", async () => {
    // Act
    await build({ playerOrigins: PLAYERS });

    // Assess
    const cors = mocks.resourceNamed("vod-delivery-cors");
    expect(cors.inputs.corsConfig).toEqual({
      accessControlAllowCredentials: true,
      accessControlAllowOrigins: { items: PLAYERS },
      accessControlAllowMethods: { items: ["GET", "HEAD"] },
      accessControlAllowHeaders: { items: ["Range"] },
      accessControlExposeHeaders: { items: ["Content-Length", "Content-Range"] },
      accessControlMaxAgeSec: 600,
      originOverride: true,
    });
    for (const pattern of MEDIA_PATTERNS)
      expect([pattern, behavior(pattern).responseHeadersPolicyId]).toEqual([pattern, cors.id]);
    // Sessions get their CORS from API Gateway (which then ignores the function's CORS headers).
    expect(behavior("/auth/*").responseHeadersPolicyId).toBeUndefined();
  });

  it("serves the *.cloudfront.net name by default, the cheapest price class, no geo restriction and no WAF", async () => {
    // Act
    const delivery = await build();

    // Assess
    const inputs = mocks.resourceNamed("vod-delivery-distribution").inputs;
    expect(inputs.viewerCertificate).toEqual({ cloudfrontDefaultCertificate: true });
    expect(inputs.aliases).toBeUndefined();
    expect(inputs.priceClass).toBe("PriceClass_100");
    expect(inputs.restrictions).toEqual({ geoRestriction: { restrictionType: "none", locations: [] } });
    expect(inputs.webAclId).toBeUndefined();
    expect(mocks.resourcesOfType("aws:wafv2/webAcl:WebAcl")).toEqual([]);
    expect(delivery.webAclArn).toBeUndefined();
    const domain = mocks.resourceNamed("vod-delivery-distribution").state.domainName as string;
    expect(await outputOf(delivery.baseUrl)).toBe(`https://${domain}`);
    expect(await outputOf(delivery.viewerUrl)).toBe(`https://${domain}/viewer/index.html`);
    expect(await outputOf(delivery.playbackSessionUrl)).toBe(`https://${domain}/auth/v1/{assetId}/session`);
  });

  it("serves an alias with its us-east-1 certificate over TLS 1.2, and restricts to the allowed countries", async () => {
    // Prepare
    const certificateArn =
      "arn:aws:acm:us-east-1:123456789012:certificate/0b7d0e3c-1a2b-4c3d-8e9f-0a1b2c3d4e5f";

    // Act
    const delivery = await build({
      alias: { domainName: "cdn.example.com", certificateArn },
      geoAllowList: ["DE", "FR"],
      priceClass: "PriceClass_All",
    });

    // Assess
    const inputs = mocks.resourceNamed("vod-delivery-distribution").inputs;
    expect(inputs.aliases).toEqual(["cdn.example.com"]);
    expect(inputs.viewerCertificate).toEqual({
      acmCertificateArn: certificateArn,
      sslSupportMethod: "sni-only",
      minimumProtocolVersion: "TLSv1.2_2021",
    });
    expect(inputs.restrictions).toEqual({
      geoRestriction: { restrictionType: "whitelist", locations: ["DE", "FR"] },
    });
    expect(inputs.priceClass).toBe("PriceClass_All");
    expect(await outputOf(delivery.baseUrl)).toBe("https://cdn.example.com");
  });

  it("puts a CloudFront-scope web ACL in us-east-1 with separate per-IP rate rules for /auth/* and media", async () => {
    // Act
    const delivery = await build({ waf: { authRateLimit: 100, mediaRateLimit: 3000 } });

    // Assess
    const acl = mocks.resourceNamed("vod-delivery-waf");
    expect(acl.inputs.region).toBe("us-east-1");
    expect(acl.inputs.scope).toBe("CLOUDFRONT");
    expect(acl.inputs.defaultAction).toEqual({ allow: {} });
    const authPath = {
      byteMatchStatement: {
        fieldToMatch: { uriPath: {} },
        positionalConstraint: "STARTS_WITH",
        searchString: "/auth/",
        textTransformations: [{ priority: 0, type: "NONE" }],
      },
    };
    const rules = acl.inputs.rules as Inputs[];
    expect(rules.map((r) => [r.name, r.priority, r.action])).toEqual([
      ["auth-rate", 0, { block: {} }],
      ["media-rate", 1, { block: {} }],
    ]);
    expect(rules[0]!.statement).toEqual({
      rateBasedStatement: {
        limit: 100,
        aggregateKeyType: "IP",
        evaluationWindowSec: 300,
        scopeDownStatement: authPath,
      },
    });
    expect(rules[1]!.statement).toEqual({
      rateBasedStatement: {
        limit: 3000,
        aggregateKeyType: "IP",
        evaluationWindowSec: 300,
        scopeDownStatement: { notStatement: { statement: authPath } },
      },
    });
    expect(mocks.resourceNamed("vod-delivery-distribution").inputs.webAclId).toBe(acl.state.arn);
    expect(acl.state.arn).toMatch(/^arn:aws:wafv2:us-east-1:123456789012:global\/webacl\//);
    expect(await outputOf(delivery.webAclArn!)).toBe(acl.state.arn);
  });

  it("uploads the viewer page's files under viewer/ with their content types", async () => {
    // Act
    await build({
      viewerFiles: {
        "viewer/index.html": {
          source: new pulumi.asset.StringAsset("<!doctype html>"),
          contentType: "text/html",
        },
        "viewer/app.js": { source: new pulumi.asset.StringAsset("void 0"), contentType: "text/javascript" },
      },
    });

    // Assess
    const bucket = mocks.resourceNamed("vod-delivery-viewer", "aws:s3/bucket:Bucket");
    const files = mocks.resourcesOfType("aws:s3/bucketObjectv2:BucketObjectv2").map((r) => ({
      name: r.name,
      bucket: r.inputs.bucket as string,
      key: r.inputs.key as string,
      contentType: r.inputs.contentType as string,
    }));
    expect(files.sort((a, b) => a.key.localeCompare(b.key))).toEqual([
      {
        name: "vod-delivery-viewer-app.js",
        bucket: bucket.id,
        key: "viewer/app.js",
        contentType: "text/javascript",
      },
      {
        name: "vod-delivery-viewer-index.html",
        bucket: bucket.id,
        key: "viewer/index.html",
        contentType: "text/html",
      },
    ]);
  });

  it("refuses a viewer file outside viewer/, which no behavior would serve", () => {
    expect(
      () =>
        new Delivery("vod-delivery", {
          ...base,
          viewerFiles: {
            "index.html": { source: new pulumi.asset.StringAsset(""), contentType: "text/html" },
          },
        }),
    ).toThrow('viewer file "index.html" must be under viewer/');
    expect(mocks.resources).toEqual([]);
  });

  it("refuses a manifest TTL too short for the 2-second default", () => {
    expect(() => new Delivery("vod-delivery", { ...base, manifestMaxTtlSeconds: 1 })).toThrow(
      "manifest max TTL must be ≥ 2 s",
    );
  });
});

describe("mediaCors", () => {
  it("refuses a wildcard origin, which browsers reject with credentials", () => {
    expect(() => mediaCors(["*"])).toThrow("exact origin");
    expect(() => mediaCors(["https://*.example.com"])).toThrow("exact origin");
  });
});

describe("cacheBehaviors", () => {
  it("signs every behavior but the session and viewer ones, whatever the ids", () => {
    // Act
    const { orderedCacheBehaviors, defaultCacheBehavior } = cacheBehaviors({
      policies: { mediaPackageManifests: "m", bucketManifests: "b", segments: "s", auth: "a" },
      cors: undefined,
      keyGroupId: "kg",
    });

    // Assess
    const unsigned = orderedCacheBehaviors
      .filter((b) => b.trustedKeyGroups === undefined)
      .map((b) => b.pathPattern);
    expect(unsigned).toEqual(["/auth/*", "/viewer/*"]);
    expect(defaultCacheBehavior.trustedKeyGroups).toEqual(["kg"]);
  });
});

describe("TTLs", () => {
  it("keeps segments up to a year and manifests 2 s by default", () => {
    expect(SEGMENT_TTLS).toEqual({ min: 0, default: 86_400, max: 31_536_000 });
    expect(manifestTtls(60)).toEqual({ min: 0, default: 2, max: 60 });
    expect(MEDIAPACKAGE_QUERY_STRINGS).toEqual(["aws.manifestfilter", "start", "end"]);
  });
});
