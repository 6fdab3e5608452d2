import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { outputOf, policyOf, renderPolicyDocument, setStackConfig, setupPulumiMocks } from "./mocks";

const mocks = setupPulumiMocks();

beforeEach(() => {
  mocks.reset();
  setStackConfig({});
});

describe("renderPolicyDocument", () => {
  it("renders statements the way the provider's aws_iam_policy_document does", () => {
    // Prepare
    const args = {
      statements: [
        {
          sid: "AllowEvents",
          actions: ["sqs:SendMessage"],
          resources: ["arn:aws:sqs:us-east-1:123456789012:a"],
          principals: [{ type: "Service", identifiers: ["events.amazonaws.com"] }],
          conditions: [{ test: "ArnEquals", variable: "aws:SourceArn", values: ["arn:r1", "arn:r2"] }],
        },
        { effect: "Deny", actions: ["s3:PutObject", "s3:GetObject", "s3:GetObject"], resources: ["b", "a"] },
      ],
    };

    // Act
    const doc = JSON.parse(renderPolicyDocument(args));

    // Assess
    expect(doc).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "AllowEvents",
          Effect: "Allow",
          Action: "sqs:SendMessage",
          Resource: "arn:aws:sqs:us-east-1:123456789012:a",
          Principal: { Service: "events.amazonaws.com" },
          Condition: { ArnEquals: { "aws:SourceArn": ["arn:r1", "arn:r2"] } },
        },
        { Effect: "Deny", Action: ["s3:PutObject", "s3:GetObject"], Resource: ["b", "a"] },
      ],
    });
  });

  it('renders a lone wildcard principal as "*" and merges override statements by Sid', () => {
    // Prepare
    const override = JSON.stringify({ Statement: [{ Sid: "A", Effect: "Deny", Action: "s3:*" }] });

    // Act
    const doc = JSON.parse(
      renderPolicyDocument({
        statements: [
          { sid: "A", actions: ["s3:GetObject"], principals: [{ type: "*", identifiers: ["*"] }] },
          { sid: "B", actions: ["s3:GetObject"], principals: [{ type: "*", identifiers: ["*"] }] },
        ],
        overridePolicyDocuments: [override],
      }),
    );

    // Assess
    expect(doc.Statement).toEqual([
      { Sid: "A", Effect: "Deny", Action: "s3:*" },
      { Sid: "B", Effect: "Allow", Action: "s3:GetObject", Principal: "*" },
    ]);
  });

  it("refuses duplicate Sids like the provider", () => {
    expect(() => renderPolicyDocument({ statements: [{ sid: "X" }, { sid: "X" }] })).toThrow(
      "duplicate Sid (X)",
    );
  });
});

describe("setupPulumiMocks", () => {
  it("records resources with predictable names and ARNs", async () => {
    // Act
    const queue = new aws.sqs.Queue("harness-queue", { messageRetentionSeconds: 60 });
    const bucket = new aws.s3.Bucket("harness-bucket");
    await mocks.settle();

    // Assess
    expect(await outputOf(queue.arn)).toBe("arn:aws:sqs:us-east-1:123456789012:harness-queue");
    expect(await outputOf(queue.url)).toBe("https://sqs.us-east-1.amazonaws.com/123456789012/harness-queue");
    expect(await outputOf(bucket.arn)).toBe("arn:aws:s3:::harness-bucket");
    expect(mocks.resourceNamed("harness-queue").inputs.messageRetentionSeconds).toBe(60);
    expect(mocks.resourcesOfType("aws:s3/bucket:Bucket").map((r) => r.name)).toEqual(["harness-bucket"]);
  });

  it("renders getPolicyDocumentOutput into the resource that uses it", async () => {
    // Prepare
    const queue = new aws.sqs.Queue("harness-policy-queue");
    const doc = aws.iam.getPolicyDocumentOutput({
      statements: [{ actions: ["sqs:SendMessage"], resources: [queue.arn] }],
    });

    // Act
    new aws.sqs.QueuePolicy("harness-policy", { queueUrl: queue.url, policy: doc.json });
    await mocks.settle();

    // Assess
    expect(policyOf(mocks.resourceNamed("harness-policy")).Statement).toEqual([
      {
        Effect: "Allow",
        Action: "sqs:SendMessage",
        Resource: "arn:aws:sqs:us-east-1:123456789012:harness-policy-queue",
      },
    ]);
  });

  it("answers the account, region and partition lookups", async () => {
    // Act
    const identity = await outputOf(aws.getCallerIdentityOutput());
    const region = await outputOf(aws.getRegionOutput());
    const partition = await outputOf(aws.getPartitionOutput());

    // Assess
    expect(identity.accountId).toBe("123456789012");
    expect(region.region).toBe("us-east-1");
    expect(partition.partition).toBe("aws");
  });

  it("fails a lookup it does not implement, and settle() reports it", async () => {
    // Act
    const lookup = aws.getAvailabilityZones();

    // Assess
    await expect(lookup).rejects.toThrow(
      "unmocked call: aws:index/getAvailabilityZones:getAvailabilityZones",
    );
    await expect(mocks.settle()).rejects.toThrow("unmocked call: aws:index/getAvailabilityZones");
    await expect(mocks.settle()).resolves.toBeUndefined();
  });

  it("runs under project vod-ingest, stack dev, not in preview", () => {
    expect([pulumi.getProject(), pulumi.getStack(), pulumi.runtime.isDryRun()]).toEqual([
      "vod-ingest",
      "dev",
      false,
    ]);
  });
});

describe("setStackConfig", () => {
  it("passes values to pulumi.Config the way the CLI does", () => {
    // Act
    setStackConfig({ ladderTopRung: 720, acceptedExtensions: ["mp4", "mov"], alarmEmail: "ops@example.com" });
    const config = new pulumi.Config("vod-ingest");

    // Assess
    expect(config.get("ladderTopRung")).toBe("720");
    expect(config.getNumber("ladderTopRung")).toBe(720);
    expect(config.getObject("acceptedExtensions")).toEqual(["mp4", "mov"]);
    expect(config.get("alarmEmail")).toBe("ops@example.com");
    expect(new pulumi.Config("aws").get("region")).toBe("us-east-1");
  });
});

describe("recorded inputs", () => {
  it("shows secret inputs as plain values", async () => {
    // Act
    new aws.ssm.Parameter("harness-secret", { type: "SecureString", value: pulumi.secret("s3cr3t") });
    await mocks.settle();

    // Assess
    expect(mocks.resourceNamed("harness-secret").inputs.value).toBe("s3cr3t");
  });
});
