import { outputOf, policyOf, REGION, setupPulumiMocks } from "../test/pulumi/mocks";
import { SEGMENT_SECONDS } from "../functions/shared/media/packaging";
import { Packaging, PACKAGING_ID, packagingId } from "./packaging";

const mocks = setupPulumiMocks();

beforeEach(() => mocks.reset());

const OUTPUT = "arn:aws:s3:::vod-output";

async function build(): Promise<Packaging> {
  const packaging = new Packaging("vod-packaging", { outputBucketArn: OUTPUT });
  await mocks.settle();
  return packaging;
}

describe("packagingId", () => {
  it("joins prefix and suffix into an id MediaPackage accepts", () => {
    expect(packagingId("vod-ingest-dev", "hls")).toBe("vod-ingest-dev-hls");
  });

  it("refuses characters MediaPackage refuses", () => {
    expect(() => packagingId("vod.ingest", "hls")).toThrow('"vod.ingest-hls" is not a MediaPackage VOD id');
  });
});

describe("Packaging", () => {
  it("creates the packaging group in the Region of the aws provider", async () => {
    // Act
    const packaging = await build();

    // Assess
    const [provider] = mocks.resourcesOfType("pulumi:providers:aws-native");
    expect(provider?.inputs.region).toBe(REGION);
    const group = mocks.resourceNamed("vod-packaging-group");
    expect(group.inputs.awsId).toBe("vod-ingest-dev-vod");
    expect(await outputOf(packaging.packagingGroupId)).toBe("vod-ingest-dev-vod");
  });

  it("packages HLS, DASH and CMAF in 4-second segments from one group", async () => {
    // Act
    const packaging = await build();

    // Assess
    const config = (format: string) => mocks.resourceNamed(`vod-packaging-${format}`).inputs;
    expect(config("hls")).toEqual({
      awsId: "vod-ingest-dev-hls",
      packagingGroupId: "vod-ingest-dev-vod",
      hlsPackage: {
        segmentDurationSeconds: SEGMENT_SECONDS,
        hlsManifests: [{ manifestName: "index", adMarkers: "NONE", includeIframeOnlyStream: false }],
      },
    });
    expect(config("dash")).toEqual({
      awsId: "vod-ingest-dev-dash",
      packagingGroupId: "vod-ingest-dev-vod",
      dashPackage: {
        segmentDurationSeconds: SEGMENT_SECONDS,
        segmentTemplateFormat: "NUMBER_WITH_TIMELINE",
        dashManifests: [{ manifestName: "index", manifestLayout: "FULL", profile: "NONE" }],
      },
    });
    expect(config("cmaf")).toEqual({
      awsId: "vod-ingest-dev-cmaf",
      packagingGroupId: "vod-ingest-dev-vod",
      cmafPackage: {
        segmentDurationSeconds: SEGMENT_SECONDS,
        hlsManifests: [{ manifestName: "index", adMarkers: "NONE", includeIframeOnlyStream: false }],
      },
    });
    expect(await outputOf(packaging.packagingConfigurations.hls)).toBe("vod-ingest-dev-hls");
    expect(await outputOf(packaging.packagingConfigurations.dash)).toBe("vod-ingest-dev-dash");
    expect(await outputOf(packaging.packagingConfigurations.cmaf)).toBe("vod-ingest-dev-cmaf");
    for (const resource of mocks.resources.filter((r) => r.type.startsWith("aws-native:mediapackage:"))) {
      expect(resource.inputs.awsId).toMatch(PACKAGING_ID);
    }
  });

  it("gives MediaPackage a source role that reads only the output bucket", async () => {
    // Act
    const packaging = await build();

    // Assess
    const role = mocks.resourceNamed("vod-packaging-source-role");
    expect(policyOf(role, "assumeRolePolicy").Statement).toEqual([
      { Effect: "Allow", Action: "sts:AssumeRole", Principal: { Service: "mediapackage.amazonaws.com" } },
    ]);
    expect(policyOf(mocks.resourceNamed("vod-packaging-source-policy")).Statement).toEqual([
      { Sid: "ReadAssets", Effect: "Allow", Action: "s3:GetObject", Resource: `${OUTPUT}/*` },
      {
        Sid: "InspectBucket",
        Effect: "Allow",
        Action: ["s3:ListBucket", "s3:GetBucketRequestPayment", "s3:GetBucketLocation"],
        Resource: OUTPUT,
      },
    ]);
    expect(await outputOf(packaging.sourceRoleArn)).toBe(role.state.arn);
  });
});
