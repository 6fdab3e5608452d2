import * as pulumi from "@pulumi/pulumi";

/** Heights (px) a ladder may top out at; see functions/shared/media/ladder.ts. */
export const LADDER_TOP_RUNGS = [2160, 1440, 1080, 720, 480] as const;
export type LadderTopRung = (typeof LADDER_TOP_RUNGS)[number];

/** What MediaPackage VOD ingests; see ARCHITECTURE.md, "MediaPackage VOD input formats". */
export const PACKAGING_SOURCES = ["hls-ts", "cmaf"] as const;
export type PackagingSource = (typeof PACKAGING_SOURCES)[number];

/** Retention periods CloudWatch Logs accepts (PutRetentionPolicy `retentionInDays`). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** The stack's validated, typed configuration. Defaults are the ones in Pulumi.dev.yaml. */
export interface VodConfig {
  readonly uploadPrefix: string;
  readonly acceptedExtensions: readonly string[];
  readonly ladderTopRung: LadderTopRung;
  readonly packagingSource: PackagingSource;
  /** "" when the stack creates its own on-demand queue. */
  readonly mediaConvertQueueArn: string;
  readonly logRetentionDays: number;
  readonly dlqRetentionDays: number;
  /** "" when nobody is subscribed to alarms. */
  readonly alarmEmail: string;
  readonly reconcileIntervalMinutes: number;
  readonly maxQueueWaitHours: number;
  readonly stalledJobMinutes: number;
  readonly sourceNoncurrentDays: number;
  readonly outputExpirationDays: number;
}

export const DEFAULT_CONFIG: VodConfig = {
  uploadPrefix: "",
  acceptedExtensions: ["mp4", "mov", "m4v", "mkv", "mxf", "webm", "avi", "mpg", "mpeg", "ts"],
  ladderTopRung: 1080,
  packagingSource: "hls-ts",
  mediaConvertQueueArn: "",
  logRetentionDays: 30,
  dlqRetentionDays: 14,
  alarmEmail: "",
  reconcileIntervalMinutes: 5,
  maxQueueWaitHours: 24,
  stalledJobMinutes: 60,
  sourceNoncurrentDays: 30,
  outputExpirationDays: 0,
};

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
    mediaConvertQueueArn: queueArn(raw.mediaConvertQueueArn, d.mediaConvertQueueArn),
    logRetentionDays: oneOf(
      "logRetentionDays",
      integer("logRetentionDays", raw.logRetentionDays, d.logRetentionDays),
      LOG_RETENTION_DAYS,
    ),
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
  };
}

/** Reads the stack's `vod-ingest:*` keys once; throws ConfigError on a wrong value. */
export function loadConfig(): VodConfig {
  const config = new pulumi.Config("vod-ingest");
  const raw: RawConfig = {};
  for (const key of Object.keys(DEFAULT_CONFIG) as (keyof VodConfig)[]) {
    const value = key === "acceptedExtensions" ? config.getObject<unknown>(key) : config.get(key);
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
