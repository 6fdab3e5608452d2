import { createPublicKey } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";

import { LADDER_TOP_RUNGS, type LadderTopRung } from "../functions/shared/media/ladder";
import { PACKAGING_SOURCES, type PackagingSource } from "../functions/shared/media/packaging";
import { STACK_TAG_KEY, tagProblem } from "../functions/shared/contract/tags";
import { UPLOAD_PREFIX_CHARACTERS } from "./lib/event-patterns";
import {
  DEFAULT_ADMISSION_CONCURRENCY,
  DEFAULT_CREATE_JOB_RATE,
} from "../functions/shared/contract/admission";

/** Retention periods CloudWatch Logs accepts (PutRetentionPolicy `retentionInDays`). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** The stack's validated, typed configuration. Defaults are the ones in Pulumi.dev.yaml. */
export interface VodConfig {
  /** Only keys under it are ingested; letters, digits, `-_./` only (infra/lib/event-patterns.ts says why). */
  readonly uploadPrefix: string;
  readonly acceptedExtensions: readonly string[];
  readonly ladderTopRung: LadderTopRung;
  readonly packagingSource: PackagingSource;
  /** Delete a replaced revision's outputs with its MediaPackage asset once the re-upload is playable. */
  readonly removeSupersededOutputs: boolean;
  /** The account's "Maximum Assets per Packaging Group" (a soft quota; AWS default 10,000). */
  readonly packagingAssetQuota: number;
  /** "" when the stack creates its own on-demand queue. */
  readonly mediaConvertQueueArn: string;
  /**
   * Concurrent jobs of the stack's own on-demand queue (unused with mediaConvertQueueArn): taken
   * from the account's unallocated concurrent jobs when the queue is created or updated.
   */
  readonly mediaConvertConcurrentJobs: number;
  /** CreateJob calls per second the admission submitters make together (functions/shared/contract/admission.ts). */
  readonly createJobRate: number;
  /** Admission submitters at once: the event source mapping's MaximumConcurrency (2–1000). */
  readonly admissionConcurrency: number;
  /** User tags added to every taggable resource and every MediaConvert job, besides `vod:stack`. */
  readonly tags: Readonly<Record<string, string>>;
  readonly logRetentionDays: number;
  /** Bundle Powertools Tracer into every function: an X-Ray subsegment per AWS call (infra/lib/bundle.ts). */
  readonly traceAwsCalls: boolean;
  readonly dlqRetentionDays: number;
  /** "" when nobody is subscribed to alarms. */
  readonly alarmEmail: string;
  readonly reconcileIntervalMinutes: number;
  readonly maxQueueWaitHours: number;
  readonly stalledJobMinutes: number;
  readonly sourceNoncurrentDays: number;
  readonly outputExpirationDays: number;

  // Delivery (DELIVERY.md section 7). Defaults deploy a signed, origin-locked distribution on its
  // *.cloudfront.net name with no WAF, no alias and no geo restriction.
  /** Exact origins (scheme://host[:port]) allowed to fetch media and sessions with credentials. */
  readonly deliveryPlayerOrigins: readonly string[];
  /** Alias such as cdn.example.com; "" = the distribution's own *.cloudfront.net name. */
  readonly deliveryDomain: string;
  /** ACM certificate for deliveryDomain, in us-east-1; required exactly when deliveryDomain is set. */
  readonly deliveryCertificateArn: string;
  readonly deliveryPriceClass: PriceClass;
  /** ISO 3166-1 alpha-2 countries allowed to play; [] = no geo restriction. */
  readonly deliveryGeoAllowList: readonly string[];
  /** Origin Shield in the MediaPackage Region in front of the MediaPackage origin. */
  readonly deliveryOriginShield: boolean;
  /** Longest time (s) the edge keeps a manifest; bounds how long a takedown takes to bite. */
  readonly manifestMaxTtlSeconds: number;
  /** Lifetime (s) of the signed cookies the session function mints. */
  readonly cookieTtlSeconds: number;
  /** A WAF web ACL (CLOUDFRONT scope, us-east-1) with the two rate rules below. */
  readonly wafEnabled: boolean;
  /** Requests per IP per 5 minutes to /auth/* before WAF blocks (WAF minimum 10). */
  readonly wafAuthRateLimit: number;
  /** Requests per IP per 5 minutes to everything else (media) before WAF blocks. */
  readonly wafMediaRateLimit: number;
  /** Steady-state requests per second of the session route (API Gateway stage throttling). */
  readonly sessionThrottleRate: number;
  /** Burst of the session route (API Gateway stage throttling). */
  readonly sessionThrottleBurst: number;
  /** Issuer of an existing identity provider; "" = the stack creates a Cognito user pool. */
  readonly jwtIssuer: string;
  /** Audiences (client ids) accepted from jwtIssuer; required exactly when jwtIssuer is set. */
  readonly jwtAudiences: readonly string[];
  /** Keep the stack-generated key pair (named "generated") in the key group. */
  readonly signingKeyGenerated: boolean;
  /** Operator-supplied public keys in the key group, in addition to the generated one. */
  readonly signingKeys: readonly SigningKeyConfig[];
  /** Name of the key the session function signs with ("generated" or one of signingKeys). */
  readonly activeSigningKey: string;
}

/** CloudFront price classes (DistributionConfig `PriceClass`). */
export const PRICE_CLASSES = ["PriceClass_100", "PriceClass_200", "PriceClass_All"] as const;
export type PriceClass = (typeof PRICE_CLASSES)[number];

/** One CloudFront public key of the key group: a name (part of its logical name) and its PEM. */
export interface SigningKeyConfig {
  readonly name: string;
  /** SubjectPublicKeyInfo PEM of an RSA 2048 key, normalised to end with one newline. */
  readonly publicKeyPem: string;
}

/** The name of the key pair the stack generates once (tls.PrivateKey, secret in state). */
export const GENERATED_SIGNING_KEY = "generated";

/**
 * Public keys per key group (CloudFront quota "Public keys in a single key group": 5).
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/cloudfront-limits.html#limits-keys
 */
export const MAX_KEYS_PER_KEY_GROUP = 5;

/** Lowest limit of a WAF rate-based rule. https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-rate-based-high-level-settings.html */
export const WAF_MIN_RATE_LIMIT = 10;

export const DEFAULT_CONFIG: VodConfig = {
  uploadPrefix: "",
  acceptedExtensions: ["mp4", "mov", "m4v", "mkv", "mxf", "webm", "avi", "mpg", "mpeg", "ts"],
  ladderTopRung: 1080,
  packagingSource: "hls-ts",
  removeSupersededOutputs: true,
  packagingAssetQuota: 10_000,
  mediaConvertQueueArn: "",
  mediaConvertConcurrentJobs: 10,
  createJobRate: DEFAULT_CREATE_JOB_RATE,
  admissionConcurrency: DEFAULT_ADMISSION_CONCURRENCY,
  tags: {},
  logRetentionDays: 30,
  traceAwsCalls: false,
  dlqRetentionDays: 14,
  alarmEmail: "",
  reconcileIntervalMinutes: 5,
  maxQueueWaitHours: 24,
  stalledJobMinutes: 60,
  sourceNoncurrentDays: 30,
  outputExpirationDays: 0,
  deliveryPlayerOrigins: [],
  deliveryDomain: "",
  deliveryCertificateArn: "",
  deliveryPriceClass: "PriceClass_100",
  deliveryGeoAllowList: [],
  deliveryOriginShield: true,
  manifestMaxTtlSeconds: 60,
  cookieTtlSeconds: 300,
  wafEnabled: false,
  wafAuthRateLimit: 100,
  wafMediaRateLimit: 3000,
  sessionThrottleRate: 50,
  sessionThrottleBurst: 100,
  jwtIssuer: "",
  jwtAudiences: [],
  signingKeyGenerated: true,
  signingKeys: [],
  activeSigningKey: GENERATED_SIGNING_KEY,
};

/** Config keys whose value is a list or an object (read with getObject). */
const STRUCTURED_KEYS: ReadonlySet<keyof VodConfig> = new Set<keyof VodConfig>([
  "acceptedExtensions",
  "tags",
  "deliveryPlayerOrigins",
  "deliveryGeoAllowList",
  "jwtAudiences",
  "signingKeys",
]);

/** A config value that `pulumi up` must refuse; the message names the key and what it accepts. */
export class ConfigError extends Error {
  constructor(key: string, message: string) {
    super(`Invalid config "vod-ingest:${key}": ${message}`);
    this.name = "ConfigError";
  }
}

/** Raw values as Pulumi config returns them (strings, or parsed YAML for lists and numbers). */
export type RawConfig = Partial<Record<keyof VodConfig, unknown>>;

/**
 * Validates raw config and fills defaults. Pure, so tests need no Pulumi mocks.
 * @example parseConfig({ ladderTopRung: "720" }).ladderTopRung === 720
 */
export function parseConfig(raw: RawConfig): VodConfig {
  const d = DEFAULT_CONFIG;
  return {
    uploadPrefix: prefix(raw.uploadPrefix, d.uploadPrefix),
    acceptedExtensions: extensions(raw.acceptedExtensions, d.acceptedExtensions),
    ladderTopRung: oneOf(
      "ladderTopRung",
      integer("ladderTopRung", raw.ladderTopRung, d.ladderTopRung),
      LADDER_TOP_RUNGS,
    ),
    packagingSource: oneOf(
      "packagingSource",
      text(raw.packagingSource, d.packagingSource),
      PACKAGING_SOURCES,
    ),
    removeSupersededOutputs: bool(
      "removeSupersededOutputs",
      raw.removeSupersededOutputs,
      d.removeSupersededOutputs,
    ),
    // https://docs.aws.amazon.com/mediapackage/latest/ug/vod-quotas.html
    packagingAssetQuota: inRange(
      "packagingAssetQuota",
      raw.packagingAssetQuota,
      d.packagingAssetQuota,
      1,
      1_000_000,
    ),
    mediaConvertQueueArn: queueArn(raw.mediaConvertQueueArn, d.mediaConvertQueueArn),
    // 1000 only guards against typos: the real bound is the account's "Concurrent jobs per
    // on-demand queue" quota and its unallocated concurrent jobs (README, "Concurrent jobs").
    mediaConvertConcurrentJobs: inRange(
      "mediaConvertConcurrentJobs",
      raw.mediaConvertConcurrentJobs,
      d.mediaConvertConcurrentJobs,
      1,
      1000,
    ),
    // Whole calls per second; 1000 only guards against typos (the account's request rate is the bound).
    createJobRate: inRange("createJobRate", raw.createJobRate, d.createJobRate, 1, 1000),
    // CreateEventSourceMapping ScalingConfig.MaximumConcurrency: 2 to 1000.
    admissionConcurrency: inRange(
      "admissionConcurrency",
      raw.admissionConcurrency,
      d.admissionConcurrency,
      2,
      1000,
    ),
    tags: userTags(raw.tags, d.tags),
    logRetentionDays: oneOf(
      "logRetentionDays",
      integer("logRetentionDays", raw.logRetentionDays, d.logRetentionDays),
      LOG_RETENTION_DAYS,
    ),
    traceAwsCalls: bool("traceAwsCalls", raw.traceAwsCalls, d.traceAwsCalls),
    dlqRetentionDays: inRange("dlqRetentionDays", raw.dlqRetentionDays, d.dlqRetentionDays, 1, 14),
    alarmEmail: email(raw.alarmEmail, d.alarmEmail),
    reconcileIntervalMinutes: inRange(
      "reconcileIntervalMinutes",
      raw.reconcileIntervalMinutes,
      d.reconcileIntervalMinutes,
      1,
      60,
    ),
    maxQueueWaitHours: inRange("maxQueueWaitHours", raw.maxQueueWaitHours, d.maxQueueWaitHours, 1, 72),
    stalledJobMinutes: inRange("stalledJobMinutes", raw.stalledJobMinutes, d.stalledJobMinutes, 10, 1440),
    sourceNoncurrentDays: inRange(
      "sourceNoncurrentDays",
      raw.sourceNoncurrentDays,
      d.sourceNoncurrentDays,
      0,
      36500,
    ),
    outputExpirationDays: inRange(
      "outputExpirationDays",
      raw.outputExpirationDays,
      d.outputExpirationDays,
      0,
      36500,
    ),
    ...parseDelivery(raw),
  };
}

type DeliveryConfig = Pick<
  VodConfig,
  | "deliveryPlayerOrigins"
  | "deliveryDomain"
  | "deliveryCertificateArn"
  | "deliveryPriceClass"
  | "deliveryGeoAllowList"
  | "deliveryOriginShield"
  | "manifestMaxTtlSeconds"
  | "cookieTtlSeconds"
  | "wafEnabled"
  | "wafAuthRateLimit"
  | "wafMediaRateLimit"
  | "sessionThrottleRate"
  | "sessionThrottleBurst"
  | "jwtIssuer"
  | "jwtAudiences"
  | "signingKeyGenerated"
  | "signingKeys"
  | "activeSigningKey"
>;

function parseDelivery(raw: RawConfig): DeliveryConfig {
  const d = DEFAULT_CONFIG;
  const deliveryDomain = domainName(raw.deliveryDomain, d.deliveryDomain);
  const deliveryCertificateArn = certificateArn(raw.deliveryCertificateArn, d.deliveryCertificateArn);
  if ((deliveryDomain === "") !== (deliveryCertificateArn === "")) {
    throw new ConfigError(
      deliveryDomain === "" ? "deliveryDomain" : "deliveryCertificateArn",
      "deliveryDomain and deliveryCertificateArn go together: set both (an alias needs its us-east-1 certificate) or neither",
    );
  }
  const jwtIssuer = issuer(raw.jwtIssuer, d.jwtIssuer);
  const jwtAudiences = list("jwtAudiences", raw.jwtAudiences, d.jwtAudiences).map((a) => {
    if (!/^[\x21-\x7e]{1,256}$/.test(a)) throw new ConfigError("jwtAudiences", `"${a}" is not an audience`);
    return a;
  });
  if ((jwtIssuer === "") !== (jwtAudiences.length === 0)) {
    throw new ConfigError(
      jwtIssuer === "" ? "jwtIssuer" : "jwtAudiences",
      "jwtIssuer and jwtAudiences go together: set both to use an existing identity provider, or neither for a stack-made Cognito user pool",
    );
  }
  const signingKeyGenerated = bool("signingKeyGenerated", raw.signingKeyGenerated, d.signingKeyGenerated);
  const signingKeys = signingKeyList(raw.signingKeys, d.signingKeys);
  const activeSigningKey = text(raw.activeSigningKey, d.activeSigningKey);
  checkKeyGroup(signingKeyGenerated, signingKeys, activeSigningKey);
  return {
    deliveryPlayerOrigins: list(
      "deliveryPlayerOrigins",
      raw.deliveryPlayerOrigins,
      d.deliveryPlayerOrigins,
    ).map(playerOrigin),
    deliveryDomain,
    deliveryCertificateArn,
    deliveryPriceClass: oneOf(
      "deliveryPriceClass",
      text(raw.deliveryPriceClass, d.deliveryPriceClass),
      PRICE_CLASSES,
    ),
    deliveryGeoAllowList: list("deliveryGeoAllowList", raw.deliveryGeoAllowList, d.deliveryGeoAllowList).map(
      (code) => {
        const upper = code.toUpperCase();
        if (!/^[A-Z]{2}$/.test(upper)) {
          throw new ConfigError(
            "deliveryGeoAllowList",
            `"${code}" is not an ISO 3166-1 alpha-2 country code`,
          );
        }
        return upper;
      },
    ),
    deliveryOriginShield: bool("deliveryOriginShield", raw.deliveryOriginShield, d.deliveryOriginShield),
    manifestMaxTtlSeconds: inRange(
      "manifestMaxTtlSeconds",
      raw.manifestMaxTtlSeconds,
      d.manifestMaxTtlSeconds,
      2,
      3600,
    ),
    cookieTtlSeconds: inRange("cookieTtlSeconds", raw.cookieTtlSeconds, d.cookieTtlSeconds, 60, 86400),
    wafEnabled: bool("wafEnabled", raw.wafEnabled, d.wafEnabled),
    wafAuthRateLimit: inRange(
      "wafAuthRateLimit",
      raw.wafAuthRateLimit,
      d.wafAuthRateLimit,
      WAF_MIN_RATE_LIMIT,
      2_000_000_000,
    ),
    wafMediaRateLimit: inRange(
      "wafMediaRateLimit",
      raw.wafMediaRateLimit,
      d.wafMediaRateLimit,
      WAF_MIN_RATE_LIMIT,
      2_000_000_000,
    ),
    sessionThrottleRate: inRange(
      "sessionThrottleRate",
      raw.sessionThrottleRate,
      d.sessionThrottleRate,
      1,
      10000,
    ),
    sessionThrottleBurst: inRange(
      "sessionThrottleBurst",
      raw.sessionThrottleBurst,
      d.sessionThrottleBurst,
      1,
      5000,
    ),
    jwtIssuer,
    jwtAudiences,
    signingKeyGenerated,
    signingKeys,
    activeSigningKey,
  };
}

/**
 * The key group's rules: 1 to 5 keys, unique names, and the active key among them (a key the
 * distribution does not trust would make every cookie it signs a 403).
 */
function checkKeyGroup(generated: boolean, keys: readonly SigningKeyConfig[], active: string): void {
  const names = [...(generated ? [GENERATED_SIGNING_KEY] : []), ...keys.map((k) => k.name)];
  if (names.length === 0) {
    throw new ConfigError(
      "signingKeys",
      "the key group needs at least one key: keep signingKeyGenerated true or list a key in signingKeys",
    );
  }
  if (names.length > MAX_KEYS_PER_KEY_GROUP) {
    throw new ConfigError(
      "signingKeys",
      `a CloudFront key group holds at most ${MAX_KEYS_PER_KEY_GROUP} public keys, got ${names.length} (${names.join(", ")})`,
    );
  }
  if (!names.includes(active)) {
    throw new ConfigError(
      "activeSigningKey",
      `expected one of the key group's keys (${names.join(", ")}), got "${active}"`,
    );
  }
}

function signingKeyList(value: unknown, fallback: readonly SigningKeyConfig[]): readonly SigningKeyConfig[] {
  if (value === undefined || value === "") return fallback;
  const parsed: unknown = typeof value === "string" ? safeJson("signingKeys", value) : value;
  if (!Array.isArray(parsed)) {
    throw new ConfigError("signingKeys", "expected a list of { name, publicKeyPem }");
  }
  const seen = new Set<string>();
  return parsed.map((entry: unknown) => {
    const { name, publicKeyPem } = (entry ?? {}) as { name?: unknown; publicKeyPem?: unknown };
    if (typeof name !== "string" || !/^[A-Za-z0-9_-]{1,40}$/.test(name)) {
      throw new ConfigError(
        "signingKeys",
        `each key needs a name of 1–40 [A-Za-z0-9_-], got ${JSON.stringify(name)}`,
      );
    }
    if (name === GENERATED_SIGNING_KEY) {
      throw new ConfigError(
        "signingKeys",
        `"${GENERATED_SIGNING_KEY}" is the stack-made key; use signingKeyGenerated`,
      );
    }
    if (seen.has(name)) throw new ConfigError("signingKeys", `key "${name}" is listed twice`);
    seen.add(name);
    if (typeof publicKeyPem !== "string") {
      throw new ConfigError("signingKeys", `key "${name}" needs publicKeyPem`);
    }
    return { name, publicKeyPem: rsaPublicKeyPem(name, publicKeyPem) };
  });
}

/**
 * A CloudFront public key: PEM of an RSA 2048 key (what the session function signs RSA-SHA1 with),
 * ending with a newline (CloudFront rejects some PEMs without it, hashicorp/terraform-provider-aws#20081).
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-trusted-signers.html
 */
function rsaPublicKeyPem(name: string, pem: string): string {
  const normalised = `${pem.trim()}\n`;
  let details: { type?: string; bits?: number };
  try {
    const key = createPublicKey(normalised);
    details = { type: key.asymmetricKeyType, bits: key.asymmetricKeyDetails?.modulusLength };
  } catch {
    throw new ConfigError("signingKeys", `key "${name}": publicKeyPem is not a PEM public key`);
  }
  if (
    !normalised.startsWith("-----BEGIN PUBLIC KEY-----") ||
    details.type !== "rsa" ||
    details.bits !== 2048
  ) {
    throw new ConfigError(
      "signingKeys",
      `key "${name}": expected an RSA 2048 "-----BEGIN PUBLIC KEY-----" PEM (openssl rsa -pubout), got ${details.type ?? "?"} ${details.bits ?? "?"}`,
    );
  }
  return normalised;
}

/** Reads the stack's `vod-ingest:*` keys once; throws ConfigError on a wrong value. */
export function loadConfig(): VodConfig {
  const config = new pulumi.Config("vod-ingest");
  const raw: RawConfig = {};
  for (const key of Object.keys(DEFAULT_CONFIG) as (keyof VodConfig)[]) {
    const value = STRUCTURED_KEYS.has(key) ? config.getObject<unknown>(key) : config.get(key);
    if (value !== undefined) raw[key] = value;
  }
  return parseConfig(raw);
}

function text(value: unknown, fallback: string): string {
  return value === undefined ? fallback : String(value).trim();
}

function integer(key: string, value: unknown, fallback: number): number {
  if (value === undefined || value === "") return fallback;
  const n = typeof value === "number" ? value : Number(String(value).trim());
  if (!Number.isInteger(n))
    throw new ConfigError(key, `expected a whole number, got ${JSON.stringify(value)}`);
  return n;
}

function inRange(key: string, value: unknown, fallback: number, min: number, max: number): number {
  const n = integer(key, value, fallback);
  if (n < min || n > max)
    throw new ConfigError(key, `expected a whole number from ${min} to ${max}, got ${n}`);
  return n;
}

function oneOf<T extends string | number>(key: string, value: string | number, allowed: readonly T[]): T {
  const match = allowed.find((a) => a === value);
  if (match === undefined) {
    throw new ConfigError(key, `expected one of ${allowed.join(", ")}, got ${JSON.stringify(value)}`);
  }
  return match;
}

function prefix(value: unknown, fallback: string): string {
  const p = text(value, fallback);
  if (p.startsWith("/")) throw new ConfigError("uploadPrefix", `S3 keys do not start with "/", got "${p}"`);
  if (!UPLOAD_PREFIX_CHARACTERS.test(p)) {
    // Why: infra/lib/event-patterns.ts (the rule matches the key as S3's event encodes it).
    throw new ConfigError(
      "uploadPrefix",
      `only letters, digits, "-", "_", "." and "/": S3 events may carry other characters URL-encoded, ` +
        `so the rule would never match them; got "${p}" (rename the folder, or leave uploadPrefix empty)`,
    );
  }
  return p;
}

function extensions(value: unknown, fallback: readonly string[]): readonly string[] {
  if (value === undefined) return fallback;
  const list = typeof value === "string" ? value.split(",") : value;
  if (!Array.isArray(list) || list.length === 0) {
    throw new ConfigError("acceptedExtensions", "expected a non-empty list of extensions such as [mp4, mov]");
  }
  return list.map((item) => {
    const ext = String(item).trim().toLowerCase().replace(/^\./, "");
    if (!/^[a-z0-9]{1,10}$/.test(ext)) {
      throw new ConfigError(
        "acceptedExtensions",
        `"${String(item)}" is not a file extension (letters and digits)`,
      );
    }
    return ext;
  });
}

function queueArn(value: unknown, fallback: string): string {
  const arn = text(value, fallback);
  if (arn !== "" && !/^arn:aws[a-z-]*:mediaconvert:[a-z0-9-]+:\d{12}:queues\/[A-Za-z0-9_-]+$/.test(arn)) {
    throw new ConfigError(
      "mediaConvertQueueArn",
      `expected "" or a queue ARN like arn:aws:mediaconvert:us-east-1:123456789012:queues/Default, got "${arn}"`,
    );
  }
  return arn;
}

function email(value: unknown, fallback: string): string {
  const address = text(value, fallback);
  if (address !== "" && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(address)) {
    throw new ConfigError("alarmEmail", `expected "" or an e-mail address, got "${address}"`);
  }
  return address;
}

/** The two secret config keys; neither is in VodConfig, so their plaintext never enters it. */
export interface DeliverySecrets {
  /** Overrides the stack-made MediaPackage CDN identifier (a UUID); undefined = keep the stack's. */
  readonly cdnIdentifier: pulumi.Output<string> | undefined;
  /** PEM private key of activeSigningKey; undefined while the generated key is active. */
  readonly signingPrivateKeyPem: pulumi.Output<string> | undefined;
}

/**
 * Reads the secret keys (`pulumi config set --secret …`) and checks that they fit the plain ones:
 * an operator key can only be active with its private key, and the generated key only without one.
 */
export function loadDeliverySecrets(config: VodConfig): DeliverySecrets {
  const store = new pulumi.Config("vod-ingest");
  const secrets = {
    cdnIdentifier: store.getSecret("cdnIdentifier"),
    signingPrivateKeyPem: store.getSecret("signingPrivateKeyPem"),
  };
  checkSigningSecret(config, secrets.signingPrivateKeyPem !== undefined);
  return secrets;
}

/** Pure half of loadDeliverySecrets. */
export function checkSigningSecret(
  config: Pick<VodConfig, "activeSigningKey">,
  hasPrivateKey: boolean,
): void {
  const generatedActive = config.activeSigningKey === GENERATED_SIGNING_KEY;
  if (!generatedActive && !hasPrivateKey) {
    throw new ConfigError(
      "signingPrivateKeyPem",
      `activeSigningKey "${config.activeSigningKey}" needs its private key: pulumi config set --secret signingPrivateKeyPem < key.pem`,
    );
  }
  if (generatedActive && hasPrivateKey) {
    throw new ConfigError(
      "signingPrivateKeyPem",
      `the generated key is active and uses the private key kept in state; remove signingPrivateKeyPem or switch activeSigningKey`,
    );
  }
}

/** The CDN identifier MediaPackage compares X-MediaPackage-CDNIdentifier with: 8–128 characters (UUIDv4 recommended). */
export function checkCdnIdentifier(value: string): string {
  if (!/^[\x21-\x7e]{8,128}$/.test(value)) {
    throw new ConfigError("cdnIdentifier", "expected 8–128 printable characters (a UUIDv4 is recommended)");
  }
  return value;
}

/** Config `tags`: a map of tag keys to values that AWS accepts, none of them the stack's own. */
function userTags(
  value: unknown,
  fallback: Readonly<Record<string, string>>,
): Readonly<Record<string, string>> {
  if (value === undefined || value === "") return fallback;
  const map = typeof value === "string" ? safeJson("tags", value) : value;
  if (map === null || typeof map !== "object" || Array.isArray(map)) {
    throw new ConfigError("tags", `expected a map of tag keys to values, got ${JSON.stringify(value)}`);
  }
  const tags = Object.fromEntries(
    Object.entries(map as Record<string, unknown>).map(([key, v]) => [key, v === null ? "" : String(v)]),
  );
  if (STACK_TAG_KEY in tags) throw new ConfigError("tags", `tag key "${STACK_TAG_KEY}" is set by the stack`);
  const problem = tagProblem(tags);
  if (problem !== undefined) throw new ConfigError("tags", problem);
  return tags;
}

function bool(key: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined || value === "") return fallback;
  if (value === true || value === "true") return true;
  if (value === false || value === "false") return false;
  throw new ConfigError(key, `expected true or false, got ${JSON.stringify(value)}`);
}

function safeJson(key: string, value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    throw new ConfigError(key, `expected a YAML/JSON list, got ${JSON.stringify(value)}`);
  }
}

function list(key: string, value: unknown, fallback: readonly string[]): readonly string[] {
  if (value === undefined || value === "") return fallback;
  const items = typeof value === "string" ? value.split(",") : value;
  if (!Array.isArray(items)) throw new ConfigError(key, `expected a list, got ${JSON.stringify(value)}`);
  return items.map((item) => String(item).trim()).filter((item) => item !== "");
}

/**
 * A CORS origin as browsers send it: `https://host[:port]` (plain http only for localhost), no
 * path, no wildcard. With credentials, Access-Control-Allow-Origin must be the exact origin.
 * https://fetch.spec.whatwg.org/#cors-protocol-and-credentials
 */
function playerOrigin(origin: string): string {
  let url: URL | undefined;
  try {
    url = new URL(origin);
  } catch {
    url = undefined;
  }
  const local = url !== undefined && ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname);
  if (
    url === undefined ||
    origin.includes("*") ||
    url.origin !== origin ||
    !(url.protocol === "https:" || (url.protocol === "http:" && local))
  ) {
    throw new ConfigError(
      "deliveryPlayerOrigins",
      `expected exact origins like https://app.example.com (no path, no trailing slash, no "*"), got "${origin}"`,
    );
  }
  return origin;
}

function domainName(value: unknown, fallback: string): string {
  const name = text(value, fallback).toLowerCase();
  if (name !== "" && !/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(name)) {
    throw new ConfigError("deliveryDomain", `expected "" or a host name like cdn.example.com, got "${name}"`);
  }
  return name;
}

/** CloudFront only takes ACM certificates from us-east-1. https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/cnames-and-https-requirements.html */
function certificateArn(value: unknown, fallback: string): string {
  const arn = text(value, fallback);
  if (arn !== "" && !/^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/[0-9a-f-]{36}$/.test(arn)) {
    throw new ConfigError(
      "deliveryCertificateArn",
      `expected "" or an ACM certificate ARN in us-east-1 (arn:aws:acm:us-east-1:123456789012:certificate/…), got "${arn}"`,
    );
  }
  return arn;
}

function issuer(value: unknown, fallback: string): string {
  const url = text(value, fallback);
  if (url !== "" && !/^https:\/\/[^\s/]+(\/[^\s]*)?$/.test(url)) {
    throw new ConfigError(
      "jwtIssuer",
      `expected "" or an https:// issuer URL (the tokens' "iss"), got "${url}"`,
    );
  }
  return url;
}
