import { readFileSync } from "node:fs";
import * as path from "node:path";
import { generateKeyPairSync } from "node:crypto";
import { parse } from "yaml";
import { setStackConfig, setupPulumiMocks } from "../test/pulumi/mocks";
import {
  checkCdnIdentifier,
  checkSigningSecret,
  ConfigError,
  DEFAULT_CONFIG,
  loadConfig,
  parseConfig,
  type RawConfig,
  type VodConfig,
} from "./config";

/** SubjectPublicKeyInfo PEM of a fresh key (`openssl rsa -pubout` form). */
function publicPem(type: "rsa" | "ec" = "rsa", modulusLength = 2048): string {
  const { publicKey } =
    type === "rsa"
      ? generateKeyPairSync("rsa", { modulusLength })
      : generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  return publicKey.export({ type: "spki", format: "pem" }).toString();
}
const KEY_A = publicPem();
const KEY_B = publicPem();

setupPulumiMocks();

afterEach(() => setStackConfig({}));

/** The `vod-ingest:*` values of Pulumi.dev.yaml, keyed without the namespace. */
function devStackValues(): Record<string, unknown> {
  const file = parse(readFileSync(path.join(__dirname, "..", "Pulumi.dev.yaml"), "utf8")) as {
    config: Record<string, unknown>;
  };
  return Object.fromEntries(
    Object.entries(file.config)
      .filter(([key]) => key.startsWith("vod-ingest:"))
      .map(([key, value]) => [key.slice("vod-ingest:".length), value]),
  );
}

/** The ConfigError `fn` throws (fails the test when it throws nothing or something else). */
function configErrorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error("expected a ConfigError, nothing was thrown");
}

describe("parseConfig", () => {
  it("fills every key with the default when nothing is set", () => {
    expect(parseConfig({})).toEqual(DEFAULT_CONFIG);
  });

  it("has the defaults that Pulumi.dev.yaml documents, key for key", () => {
    // Prepare
    const documented = devStackValues();

    // Assess
    expect(Object.keys(documented).sort()).toEqual(Object.keys(DEFAULT_CONFIG).sort());
    expect(documented).toEqual(DEFAULT_CONFIG);
  });

  it("reads Pulumi.dev.yaml's values as the defaults", () => {
    expect(parseConfig(devStackValues() as RawConfig)).toEqual(DEFAULT_CONFIG);
  });

  it("accepts numbers given as the strings the Pulumi CLI passes", () => {
    // Act
    const config = parseConfig({ ladderTopRung: "720", logRetentionDays: "14", dlqRetentionDays: "7" });

    // Assess
    expect([config.ladderTopRung, config.logRetentionDays, config.dlqRetentionDays]).toEqual([720, 14, 7]);
  });

  it("normalises extensions to lower case without dots, from a list or a comma-separated string", () => {
    expect(parseConfig({ acceptedExtensions: [".MP4", " mov "] }).acceptedExtensions).toEqual(["mp4", "mov"]);
    expect(parseConfig({ acceptedExtensions: "mp4,mxf" }).acceptedExtensions).toEqual(["mp4", "mxf"]);
  });

  it("accepts an existing queue ARN and an e-mail address", () => {
    // Act
    const config = parseConfig({
      mediaConvertQueueArn: "arn:aws:mediaconvert:eu-west-1:123456789012:queues/Default",
      alarmEmail: "ops@example.com",
    });

    // Assess
    expect(config.mediaConvertQueueArn).toBe("arn:aws:mediaconvert:eu-west-1:123456789012:queues/Default");
    expect(config.alarmEmail).toBe("ops@example.com");
  });

  it("gives the stack's own queue 10 concurrent jobs and adds no user tags by default", () => {
    // Act
    const config = parseConfig({});

    // Assess
    expect(config.mediaConvertConcurrentJobs).toBe(10);
    expect(config.tags).toEqual({});
  });

  it("accepts a queue size as the CLI passes it and user tags as a map", () => {
    // Act
    const config = parseConfig({
      mediaConvertConcurrentJobs: "40",
      tags: { team: "media", "cost-center": "4711", empty: "" },
    });

    // Assess
    expect(config.mediaConvertConcurrentJobs).toBe(40);
    expect(config.tags).toEqual({ team: "media", "cost-center": "4711", empty: "" });
  });

  it("deploys a signed, origin-locked CDN on its own name with no WAF, alias or geo restriction by default", () => {
    // Act
    const config = parseConfig({});

    // Assess
    expect(config).toMatchObject({
      deliveryPlayerOrigins: [],
      deliveryDomain: "",
      deliveryCertificateArn: "",
      deliveryPriceClass: "PriceClass_100",
      deliveryGeoAllowList: [],
      deliveryOriginShield: true,
      wafEnabled: false,
      cookieTtlSeconds: 300,
      manifestMaxTtlSeconds: 60,
      jwtIssuer: "",
      jwtAudiences: [],
      signingKeyGenerated: true,
      signingKeys: [],
      activeSigningKey: "generated",
    });
  });

  it("accepts exact player origins, an alias with its us-east-1 certificate, countries and an existing issuer", () => {
    // Act
    const config = parseConfig({
      deliveryPlayerOrigins: ["https://app.example.com", "http://localhost:5173"],
      deliveryDomain: "CDN.example.com",
      deliveryCertificateArn:
        "arn:aws:acm:us-east-1:123456789012:certificate/0b7d0e3c-1a2b-4c3d-8e9f-0a1b2c3d4e5f",
      deliveryGeoAllowList: ["de", "FR"],
      wafEnabled: "true",
      deliveryOriginShield: "false",
      jwtIssuer: "https://login.example.com/",
      jwtAudiences: ["player"],
    });

    // Assess
    expect(config.deliveryPlayerOrigins).toEqual(["https://app.example.com", "http://localhost:5173"]);
    expect(config.deliveryDomain).toBe("cdn.example.com");
    expect(config.deliveryGeoAllowList).toEqual(["DE", "FR"]);
    expect([config.wafEnabled, config.deliveryOriginShield]).toEqual([true, false]);
    expect([config.jwtIssuer, config.jwtAudiences]).toEqual(["https://login.example.com/", ["player"]]);
  });

  it("rotation: accepts up to 5 keys with the active one among them, PEMs ending in a newline", () => {
    // Act
    const config = parseConfig({
      signingKeys: [
        { name: "k2027", publicKeyPem: KEY_A.trimEnd() },
        { name: "k2028", publicKeyPem: KEY_B },
        { name: "k2029", publicKeyPem: publicPem() },
        { name: "k2030", publicKeyPem: publicPem() },
      ],
      activeSigningKey: "k2028",
    });

    // Assess
    expect(config.signingKeys.map((k) => k.name)).toEqual(["k2027", "k2028", "k2029", "k2030"]);
    expect(config.signingKeys[0]!.publicKeyPem).toBe(KEY_A);
    expect(config.signingKeys[0]!.publicKeyPem.endsWith("-----END PUBLIC KEY-----\n")).toBe(true);
    expect(config.activeSigningKey).toBe("k2028");
  });

  it.each<[string, RawConfig, keyof VodConfig, string]>([
    ["a negative DLQ retention", { dlqRetentionDays: -1 }, "dlqRetentionDays", "from 1 to 14, got -1"],
    ["a DLQ retention SQS cannot keep", { dlqRetentionDays: 15 }, "dlqRetentionDays", "from 1 to 14, got 15"],
    [
      "a negative log retention",
      { logRetentionDays: -1 },
      "logRetentionDays",
      "expected one of 1, 3, 5, 7, 14, 30",
    ],
    ["a log retention CloudWatch does not offer", { logRetentionDays: 10 }, "logRetentionDays", "got 10"],
    ["a fractional retention", { dlqRetentionDays: "2.5" }, "dlqRetentionDays", 'whole number, got "2.5"'],
    [
      "an unknown packaging source",
      { packagingSource: "dash" },
      "packagingSource",
      'expected one of hls-ts, cmaf, got "dash"',
    ],
    [
      "a ladder top rung that is not a rung",
      { ladderTopRung: 1000 },
      "ladderTopRung",
      "expected one of 2160, 1440, 1080, 720, 480, got 1000",
    ],
    [
      "a ladder top rung that is not a number",
      { ladderTopRung: "hd" },
      "ladderTopRung",
      'whole number, got "hd"',
    ],
    [
      "a queue ARN of another service",
      { mediaConvertQueueArn: "arn:aws:sqs:us-east-1:123456789012:queue" },
      "mediaConvertQueueArn",
      'expected "" or a queue ARN like arn:aws:mediaconvert:us-east-1:123456789012:queues/Default',
    ],
    [
      "a queue with no concurrent jobs",
      { mediaConvertConcurrentJobs: 0 },
      "mediaConvertConcurrentJobs",
      "from 1 to 1000",
    ],
    ["tags that are not a map", { tags: ["team"] }, "tags", "expected a map of tag keys to values"],
    [
      "a tag key in the aws: namespace AWS reserves",
      { tags: { "aws:owner": "me" } },
      "tags",
      'tag key "aws:owner"',
    ],
    [
      "a tag key that overrides one the stack sets",
      { tags: { "vod:stack": "other" } },
      "tags",
      'tag key "vod:stack" is set by the stack',
    ],
    ["a tag key longer than 128 characters", { tags: { ["k".repeat(129)]: "v" } }, "tags", "1–128"],
    ["a tag value longer than 256 characters", { tags: { team: "v".repeat(257) } }, "tags", "0–256"],
    ["a tag value with a character AWS refuses", { tags: { team: "a;b" } }, "tags", 'tag value "a;b"'],
    [
      "a queue name instead of an ARN",
      { mediaConvertQueueArn: "Default" },
      "mediaConvertQueueArn",
      'got "Default"',
    ],
    [
      "an address without a domain",
      { alarmEmail: "ops@" },
      "alarmEmail",
      'expected "" or an e-mail address, got "ops@"',
    ],
    ["two addresses", { alarmEmail: "a@x.com b@y.com" }, "alarmEmail", 'expected "" or an e-mail address'],
    [
      "an empty extension list",
      { acceptedExtensions: [] },
      "acceptedExtensions",
      "expected a non-empty list of extensions such as [mp4, mov]",
    ],
    ["an extension with a path in it", { acceptedExtensions: ["mp4", "a/b"] }, "acceptedExtensions", '"a/b"'],
    [
      "an upload prefix starting with /",
      { uploadPrefix: "/uploads" },
      "uploadPrefix",
      'do not start with "/"',
    ],
    [
      "an upload prefix with a space (S3 events may carry it as + or %20)",
      { uploadPrefix: "my uploads/" },
      "uploadPrefix",
      'only letters, digits, "-", "_", "." and "/"',
    ],
    [
      "an upload prefix with a non-ASCII letter (S3 events may carry it %-encoded)",
      { uploadPrefix: "vidéos/" },
      "uploadPrefix",
      'got "vidéos/"',
    ],
    [
      "a reconcile interval of 0",
      { reconcileIntervalMinutes: 0 },
      "reconcileIntervalMinutes",
      "from 1 to 60, got 0",
    ],
    ["a queue wait over 72 hours", { maxQueueWaitHours: 100 }, "maxQueueWaitHours", "from 1 to 72, got 100"],
    [
      "a stall time under 10 minutes",
      { stalledJobMinutes: 5 },
      "stalledJobMinutes",
      "from 10 to 1440, got 5",
    ],
    [
      "negative noncurrent days",
      { sourceNoncurrentDays: -30 },
      "sourceNoncurrentDays",
      "from 0 to 36500, got -30",
    ],
    [
      "negative output expiration",
      { outputExpirationDays: -1 },
      "outputExpirationDays",
      "from 0 to 36500, got -1",
    ],
    [
      "a wildcard player origin",
      { deliveryPlayerOrigins: ["https://*.example.com"] },
      "deliveryPlayerOrigins",
      'no "*"',
    ],
    [
      "a player origin with a path",
      { deliveryPlayerOrigins: ["https://app.example.com/"] },
      "deliveryPlayerOrigins",
      "no trailing slash",
    ],
    [
      "a plain-http player origin",
      { deliveryPlayerOrigins: ["http://app.example.com"] },
      "deliveryPlayerOrigins",
      "exact origins like https://",
    ],
    [
      "an alias without its certificate",
      { deliveryDomain: "cdn.example.com" },
      "deliveryCertificateArn",
      "set both",
    ],
    [
      "a certificate outside us-east-1",
      {
        deliveryDomain: "cdn.example.com",
        deliveryCertificateArn:
          "arn:aws:acm:eu-west-1:123456789012:certificate/0b7d0e3c-1a2b-4c3d-8e9f-0a1b2c3d4e5f",
      },
      "deliveryCertificateArn",
      "in us-east-1",
    ],
    [
      "a price class CloudFront does not have",
      { deliveryPriceClass: "PriceClass_50" },
      "deliveryPriceClass",
      "PriceClass_100, PriceClass_200, PriceClass_All",
    ],
    [
      "a country name instead of a code",
      { deliveryGeoAllowList: ["Germany"] },
      "deliveryGeoAllowList",
      "ISO 3166-1 alpha-2",
    ],
    ["a WAF rate limit under WAF's minimum", { wafAuthRateLimit: 5 }, "wafAuthRateLimit", "from 10 to"],
    [
      "a switch that is not a boolean",
      { wafEnabled: "yes" },
      "wafEnabled",
      'expected true or false, got "yes"',
    ],
    ["cookies shorter than a minute", { cookieTtlSeconds: 30 }, "cookieTtlSeconds", "from 60 to 86400"],
    [
      "an issuer without audiences",
      { jwtIssuer: "https://login.example.com/" },
      "jwtAudiences",
      "go together",
    ],
    [
      "an issuer over plain http",
      { jwtIssuer: "http://login.example.com/", jwtAudiences: ["a"] },
      "jwtIssuer",
      "https:// issuer URL",
    ],
    [
      "more than 5 keys in the group",
      {
        signingKeys: ["a", "b", "c", "d", "e"].map((name) => ({ name, publicKeyPem: KEY_A })),
      },
      "signingKeys",
      "at most 5 public keys, got 6 (generated, a, b, c, d, e)",
    ],
    [
      "an active key outside the group",
      { signingKeys: [{ name: "k2027", publicKeyPem: KEY_A }], activeSigningKey: "k2028" },
      "activeSigningKey",
      'expected one of the key group\'s keys (generated, k2027), got "k2028"',
    ],
    [
      "retiring the generated key while it is active",
      { signingKeyGenerated: false, signingKeys: [{ name: "k2027", publicKeyPem: KEY_A }] },
      "activeSigningKey",
      'keys (k2027), got "generated"',
    ],
    ["an empty key group", { signingKeyGenerated: false }, "signingKeys", "at least one key"],
    [
      "a key listed twice",
      {
        signingKeys: [
          { name: "k", publicKeyPem: KEY_A },
          { name: "k", publicKeyPem: KEY_B },
        ],
      },
      "signingKeys",
      'key "k" is listed twice',
    ],
    [
      "a key named like the generated one",
      { signingKeys: [{ name: "generated", publicKeyPem: KEY_A }] },
      "signingKeys",
      "use signingKeyGenerated",
    ],
    [
      "a key that is not PEM",
      { signingKeys: [{ name: "k", publicKeyPem: "ssh-rsa AAAA" }] },
      "signingKeys",
      "not a PEM public key",
    ],
    [
      "an EC key",
      { signingKeys: [{ name: "k", publicKeyPem: publicPem("ec") }] },
      "signingKeys",
      "expected an RSA 2048",
    ],
    [
      "an RSA 4096 key",
      { signingKeys: [{ name: "k", publicKeyPem: publicPem("rsa", 4096) }] },
      "signingKeys",
      "got rsa 4096",
    ],
  ])("refuses %s, naming the key and what it accepts", (_case, raw, key, accepted) => {
    // Act
    const error = configErrorOf(() => parseConfig(raw));

    // Assess
    expect(error.name).toBe("ConfigError");
    expect(error.message).toContain(`Invalid config "vod-ingest:${key}"`);
    expect(error.message).toContain(accepted);
  });
});

describe("checkSigningSecret", () => {
  it("requires the private key of an active operator key, and refuses one while the generated key is active", () => {
    expect(() => checkSigningSecret({ activeSigningKey: "k2027" }, true)).not.toThrow();
    expect(() => checkSigningSecret({ activeSigningKey: "generated" }, false)).not.toThrow();
    expect(configErrorOf(() => checkSigningSecret({ activeSigningKey: "k2027" }, false)).message).toContain(
      'Invalid config "vod-ingest:signingPrivateKeyPem": activeSigningKey "k2027" needs its private key',
    );
    expect(
      configErrorOf(() => checkSigningSecret({ activeSigningKey: "generated" }, true)).message,
    ).toContain("the generated key is active");
  });
});

describe("checkCdnIdentifier", () => {
  it("accepts a UUID and refuses what MediaPackage would (8–128 characters)", () => {
    expect(checkCdnIdentifier("9ceebbe7-1a2b-4c3d-8e9f-0a1b2c3d4e5f")).toBe(
      "9ceebbe7-1a2b-4c3d-8e9f-0a1b2c3d4e5f",
    );
    expect(configErrorOf(() => checkCdnIdentifier("short")).message).toContain("8–128");
  });
});

describe("loadConfig", () => {
  it("reads the stack's config through pulumi.Config", () => {
    // Prepare
    setStackConfig({ ladderTopRung: 720, acceptedExtensions: ["mp4", "mov"], alarmEmail: "ops@example.com" });

    // Act
    const config = loadConfig();

    // Assess
    expect(config).toEqual({
      ...DEFAULT_CONFIG,
      ladderTopRung: 720,
      acceptedExtensions: ["mp4", "mov"],
      alarmEmail: "ops@example.com",
    });
  });

  it("reads list and object keys (player origins, signing keys) as the CLI passes them", () => {
    // Prepare
    setStackConfig({
      deliveryPlayerOrigins: ["https://app.example.com"],
      signingKeys: [{ name: "k2027", publicKeyPem: KEY_A }],
      wafEnabled: true,
    });

    // Act
    const config = loadConfig();

    // Assess
    expect(config.deliveryPlayerOrigins).toEqual(["https://app.example.com"]);
    expect(config.signingKeys).toEqual([{ name: "k2027", publicKeyPem: KEY_A }]);
    expect(config.wafEnabled).toBe(true);
  });

  it("reads Pulumi.dev.yaml as a stack would and gets the defaults", () => {
    // Prepare
    setStackConfig(devStackValues());

    // Act / Assess
    expect(loadConfig()).toEqual(DEFAULT_CONFIG);
  });

  it("stops with a clear error when the stack has a wrong value", () => {
    // Prepare
    setStackConfig({ packagingSource: "mss" });

    // Act
    const error = configErrorOf(() => loadConfig());

    // Assess
    expect(error.message).toBe(
      'Invalid config "vod-ingest:packagingSource": expected one of hls-ts, cmaf, got "mss"',
    );
  });
});
