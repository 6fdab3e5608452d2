import { ACCOUNT_ID, outputOf, policyOf, setupPulumiMocks } from "../test/pulumi/mocks";
import { Transcoding } from "./transcoding";

const mocks = setupPulumiMocks();

beforeEach(() => mocks.reset());

const SOURCE = "arn:aws:s3:::vod-source";
const OUTPUT = "arn:aws:s3:::vod-output";

async function build(mediaConvertQueueArn = "", concurrentJobs = 10): Promise<Transcoding> {
  const transcoding = new Transcoding("vod-transcoding", {
    sourceBucketArn: SOURCE,
    outputBucketArn: OUTPUT,
    mediaConvertQueueArn,
    concurrentJobs,
  });
  await mocks.settle();
  return transcoding;
}

describe("Transcoding", () => {
  it("creates an active on-demand queue of its own when none is configured", async () => {
    // Act
    const transcoding = await build();

    // Assess
    const [queue] = mocks.resourcesOfType("aws:mediaconvert/queue:Queue");
    expect(queue?.inputs).toMatchObject({ pricingPlan: "ON_DEMAND", status: "ACTIVE" });
    expect(await outputOf(transcoding.queueArn)).toBe(queue?.state.arn);
  });

  it("states the queue's concurrent jobs, so CreateQueue never depends on the Region's unstated default", async () => {
    // Act
    await build("", 25);

    // Assess
    const [queue] = mocks.resourcesOfType("aws:mediaconvert/queue:Queue");
    expect(queue?.inputs.concurrentJobs).toBe(25);
  });

  it("uses the configured queue and creates none", async () => {
    // Prepare
    const existing = `arn:aws:mediaconvert:us-east-1:${ACCOUNT_ID}:queues/Default`;

    // Act
    const transcoding = await build(existing);

    // Assess
    expect(mocks.resourcesOfType("aws:mediaconvert/queue:Queue")).toEqual([]);
    expect(await outputOf(transcoding.queueArn)).toBe(existing);
  });

  it("lets only MediaConvert, acting for this account, assume the service role", async () => {
    // Act
    const transcoding = await build();

    // Assess
    const role = mocks.resourceNamed("vod-transcoding-role");
    expect(policyOf(role, "assumeRolePolicy").Statement).toEqual([
      {
        Effect: "Allow",
        Action: "sts:AssumeRole",
        Principal: { Service: "mediaconvert.amazonaws.com" },
        Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT_ID } },
      },
    ]);
    expect(await outputOf(transcoding.roleArn)).toBe(role.state.arn);
  });

  it("lets jobs read source objects and write output objects, nothing else", async () => {
    // Act
    await build();

    // Assess
    expect(policyOf(mocks.resourceNamed("vod-transcoding-role-policy")).Statement).toEqual([
      {
        Sid: "ReadSources",
        Effect: "Allow",
        Action: ["s3:GetObjectVersion", "s3:GetObject"],
        Resource: `${SOURCE}/*`,
      },
      {
        Sid: "WriteLadder",
        Effect: "Allow",
        Action: ["s3:PutObject", "s3:AbortMultipartUpload"],
        Resource: `${OUTPUT}/*`,
      },
      { Sid: "ListSources", Effect: "Allow", Action: "s3:ListBucket", Resource: SOURCE },
      { Sid: "LocateBuckets", Effect: "Allow", Action: "s3:GetBucketLocation", Resource: [SOURCE, OUTPUT] },
    ]);
  });
});
