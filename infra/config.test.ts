import { readFileSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { setStackConfig, setupPulumiMocks } from "../test/pulumi/mocks";
import {
  ConfigError,
  DEFAULT_CONFIG,
  loadConfig,
  parseConfig,
  type RawConfig,
  type VodConfig,
} from "./config";

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
  ])("refuses %s, naming the key and what it accepts", (_case, raw, key, accepted) => {
    // Act
    const error = configErrorOf(() => parseConfig(raw));

    // Assess
    expect(error.name).toBe("ConfigError");
    expect(error.message).toContain(`Invalid config "vod-ingest:${key}"`);
    expect(error.message).toContain(accepted);
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
