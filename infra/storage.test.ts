import { outputOf, policyOf, setupPulumiMocks } from "../test/pulumi/mocks";
import { ABORT_MULTIPART_DAYS, outputLifecycleRules, sourceLifecycleRules, Storage } from "./storage";

const mocks = setupPulumiMocks();

beforeEach(() => mocks.reset());

async function build(args = { sourceNoncurrentDays: 30, outputExpirationDays: 0 }): Promise<Storage> {
  const storage = new Storage("vod", args);
  await mocks.settle();
  return storage;
}

const ABORT_RULE = {
  id: "abort-incomplete-multipart-uploads",
  status: "Enabled",
  filter: {},
  abortIncompleteMultipartUpload: { daysAfterInitiation: ABORT_MULTIPART_DAYS },
};

describe("sourceLifecycleRules", () => {
  it("expires noncurrent versions and their orphaned delete markers after the configured days", () => {
    expect(sourceLifecycleRules(30)).toEqual([
      ABORT_RULE,
      {
        id: "expire-noncurrent-versions",
        status: "Enabled",
        filter: {},
        noncurrentVersionExpiration: { noncurrentDays: 30 },
        expiration: { expiredObjectDeleteMarker: true },
      },
    ]);
  });

  it("keeps every version when the days are 0, and still aborts stale multipart uploads", () => {
    expect(sourceLifecycleRules(0)).toEqual([ABORT_RULE]);
  });

  it.each([-1, 2.5])("refuses %p days", (days) => {
    expect(() => sourceLifecycleRules(days)).toThrow("sourceNoncurrentDays must be a whole number of days");
  });
});

describe("outputLifecycleRules", () => {
  it("expires outputs after the configured days", () => {
    expect(outputLifecycleRules(90)).toEqual([
      ABORT_RULE,
      { id: "expire-outputs", status: "Enabled", filter: {}, expiration: { days: 90 } },
    ]);
  });

  it("keeps outputs forever when the days are 0", () => {
    expect(outputLifecycleRules(0)).toEqual([ABORT_RULE]);
  });

  it("refuses negative days", () => {
    expect(() => outputLifecycleRules(-3)).toThrow("outputExpirationDays must be a whole number of days");
  });
});

describe("Storage", () => {
  it("exposes both buckets' names and ARNs", async () => {
    // Act
    const storage = await build();

    // Assess
    expect(await outputOf(storage.sourceBucketName)).toBe("vod-source");
    expect(await outputOf(storage.sourceBucketArn)).toBe("arn:aws:s3:::vod-source");
    expect(await outputOf(storage.outputBucketName)).toBe("vod-output");
    expect(await outputOf(storage.outputBucketArn)).toBe("arn:aws:s3:::vod-output");
  });

  it("registers every child under a vod:storage:Storage component, with no physical bucket names", async () => {
    // Act
    await build();

    // Assess
    expect(mocks.resourcesOfType("vod:storage:Storage").map((r) => r.name)).toEqual(["vod"]);
    const buckets = mocks.resourcesOfType("aws:s3/bucket:Bucket");
    expect(buckets.map((b) => b.name).sort()).toEqual(["vod-output", "vod-source"]);
    expect(buckets.map((b) => b.inputs.bucket)).toEqual([undefined, undefined]);
  });

  describe.each(["vod-source", "vod-output"])("%s bucket", (bucket) => {
    it("blocks all public access", async () => {
      await build();
      expect(mocks.resourceNamed(`${bucket}-public-access`).inputs).toEqual({
        bucket,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      });
    });

    it("enforces bucket-owner ownership, which disables ACLs", async () => {
      await build();
      expect(mocks.resourceNamed(`${bucket}-ownership`).inputs).toEqual({
        bucket,
        rule: { objectOwnership: "BucketOwnerEnforced" },
      });
    });

    it("encrypts new objects with SSE-S3 by default", async () => {
      await build();
      expect(mocks.resourceNamed(`${bucket}-encryption`).inputs).toEqual({
        bucket,
        rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
      });
    });

    it("denies every request that does not use TLS, on the bucket and its objects", async () => {
      await build();
      const policy = mocks.resourceNamed(`${bucket}-policy`, "aws:s3/bucketPolicy:BucketPolicy");
      expect(policy.inputs.bucket).toBe(bucket);
      expect(policyOf(policy)).toEqual({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "DenyInsecureTransport",
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Resource: [`arn:aws:s3:::${bucket}/*`, `arn:aws:s3:::${bucket}`],
            Condition: { Bool: { "aws:SecureTransport": "false" } },
          },
        ],
      });
    });
  });

  it("versions the source bucket and sends its events to EventBridge", async () => {
    // Act
    await build();

    // Assess
    expect(mocks.resourceNamed("vod-source-versioning").inputs).toEqual({
      bucket: "vod-source",
      versioningConfiguration: { status: "Enabled" },
    });
    expect(mocks.resourceNamed("vod-source-notification").inputs).toEqual({
      bucket: "vod-source",
      eventbridge: true,
    });
  });

  it("leaves the output bucket unversioned and without notifications", async () => {
    // Act
    await build();

    // Assess
    const versioned = mocks
      .resourcesOfType("aws:s3/bucketVersioning:BucketVersioning")
      .map((r) => r.inputs.bucket);
    const notified = mocks
      .resourcesOfType("aws:s3/bucketNotification:BucketNotification")
      .map((r) => r.inputs.bucket);
    expect(versioned).toEqual(["vod-source"]);
    expect(notified).toEqual(["vod-source"]);
  });

  it("applies the configured lifecycle rules to each bucket", async () => {
    // Act
    await build({ sourceNoncurrentDays: 10, outputExpirationDays: 365 });

    // Assess
    expect(mocks.resourceNamed("vod-source-lifecycle").inputs).toEqual({
      bucket: "vod-source",
      rules: sourceLifecycleRules(10),
    });
    expect(mocks.resourceNamed("vod-output-lifecycle").inputs).toEqual({
      bucket: "vod-output",
      rules: outputLifecycleRules(365),
    });
  });

  it("keeps uploaded masters on destroy unless told otherwise, but always empties the output bucket", async () => {
    // Act
    await build();

    // Assess
    expect(mocks.resourceNamed("vod-source").inputs.forceDestroy).toBe(false);
    expect(mocks.resourceNamed("vod-output").inputs.forceDestroy).toBe(true);
  });

  it("lets a stack opt in to destroying the source bucket with its contents", async () => {
    // Act
    new Storage("vod", { sourceNoncurrentDays: 30, outputExpirationDays: 0, forceDestroySource: true });
    await mocks.settle();

    // Assess
    expect(mocks.resourceNamed("vod-source").inputs.forceDestroy).toBe(true);
  });

  it("refuses a negative lifecycle setting before creating anything", async () => {
    // Act / Assess
    expect(() => new Storage("vod", { sourceNoncurrentDays: -1, outputExpirationDays: 0 })).toThrow(
      RangeError,
    );
    await mocks.settle();
    expect(mocks.resources).toEqual([]);
  });
});
