import { NotFoundException, UnprocessableEntityException } from "@aws-sdk/client-mediapackage-vod";
import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { mockCurrentSourceVersion } from "../shared/testing/aws-mocks";
import createAssetResponse from "./events/create-asset-response.json";
import describeAssetPlayable from "./events/describe-asset-playable.json";
import registerRequest from "./events/register-request.json";
import { makeRegisterAsset } from "./register-asset";
import { CreateAsset, DescribeAsset, fakeClock, mockMediaPackage, testConfig } from "./test-support";

const mediaPackage = mockMediaPackage();
const dynamo = mockClient(DynamoDBDocumentClient);
const source = mockCurrentSourceVersion(registerRequest.upload.source.versionId);

const ASSET_ID = "lecture-01-final-3f9a2c-0a1b2c3d4e5f";
const HLS_SOURCE_ARN =
  "arn:aws:s3:::vod-output-123456789012/lecture-01-final-3f9a2c/0a1b2c3d4e5f/hls/index.m3u8";

function withStatuses(response: typeof createAssetResponse, statuses: Record<string, string>) {
  const copy = structuredClone(response);
  for (const endpoint of copy.EgressEndpoints) endpoint.Status = statuses[endpoint.PackagingConfigurationId]!;
  return copy;
}

const queued = createAssetResponse;
const processing = withStatuses(createAssetResponse, {
  "vod-ingest-hls": "PROCESSING",
  "vod-ingest-dash": "PROCESSING",
  "vod-ingest-cmaf": "PROCESSING",
});
const playable = describeAssetPlayable;

/** What the row gets for events/describe-asset-playable.json: the egress paths on the CDN host, and the CMAF group's keys. */
const CDN = "https://d111111abcdef8.cloudfront.net";
const PUBLISHED_URLS = {
  packagingAssetId: ASSET_ID,
  playback: {
    hls: `${CDN}/out/v1/6644b55df1744261ab3732a8e5cdaf07/904b06a58c7645e08d57d40d064216ac/f5b2e633ff4942228095d164c10074f3/index.m3u8`,
    dash: `${CDN}/out/v1/6644b55df1744261ab3732a8e5cdaf07/1e8a0c3b8b4b4e1fa3c6b5c0d2a8e9f1/a2b3c4d5e6f74a8b9c0d1e2f3a4b5c6d/index.mpd`,
    cmaf: `${CDN}/out/v1/6644b55df1744261ab3732a8e5cdaf07/7d6c5b4a39284f1e8d7c6b5a49382716/0f1e2d3c4b5a49687766554433221100/index.m3u8`,
  },
  cmafGroup: {
    hls: `${CDN}/lecture-01-final-3f9a2c/0a1b2c3d4e5f/cmaf/index.m3u8`,
    dash: `${CDN}/lecture-01-final-3f9a2c/0a1b2c3d4e5f/cmaf/index.mpd`,
  },
};

beforeEach(() => {
  mediaPackage.reset();
  dynamo.reset();
  dynamo.on(UpdateCommand).resolves({});
});

describe("registerAsset", () => {
  it("registers nothing and fails with Vod.SourceSuperseded when the key got a newer version while the job ran", async () => {
    // Prepare: the job read the key's current version, which is no longer the claimed one.
    source.reuploaded("Wq0dQAnt6d.sQzL3Yb2pq8nfnOG2pT0x");
    const { context } = fakeClock(60_000);

    // Act
    const outcome = makeRegisterAsset(testConfig)(structuredClone(registerRequest), context);

    // Assess
    await expect(outcome).rejects.toMatchObject({ name: "Vod.SourceSuperseded" });
    expect(mediaPackage.commandCalls(CreateAsset)).toHaveLength(0);
    expect(dynamo.commandCalls(UpdateCommand)).toHaveLength(0);
  });

  it("creates the asset under the deterministic id with the source ARN and role, and returns CDN playback URLs by configuration", async () => {
    // Prepare
    mediaPackage.on(CreateAsset).resolves(structuredClone(playable));
    const { context, wait } = fakeClock(60_000);

    // Act
    const result = await makeRegisterAsset(testConfig, wait)(structuredClone(registerRequest), context);

    // Assess
    expect(mediaPackage).toHaveReceivedCommandTimes(CreateAsset, 1);
    expect(mediaPackage).toHaveReceivedCommandWith(CreateAsset, {
      Id: ASSET_ID,
      PackagingGroupId: "vod-ingest-packaging",
      SourceArn: HLS_SOURCE_ARN,
      SourceRoleArn: "arn:aws:iam::123456789012:role/vod-ingest-packaging-role",
    });
    expect(result).toEqual(PUBLISHED_URLS);
  });

  it("never returns an origin (MediaPackage egress) host: the origin lock refuses viewers there", async () => {
    // Prepare
    mediaPackage.on(CreateAsset).resolves(structuredClone(playable));
    const { context, wait } = fakeClock(60_000);

    // Act
    const result = await makeRegisterAsset(testConfig, wait)(structuredClone(registerRequest), context);

    // Assess
    const hosts = [...Object.values(result.playback), ...Object.values(result.cmafGroup)].map(
      (url) => new URL(url).host,
    );
    expect(new Set(hosts)).toEqual(new Set(["d111111abcdef8.cloudfront.net"]));
  });

  it("marks the catalogue row PACKAGING only while it still describes this revision", async () => {
    // Prepare
    mediaPackage.on(CreateAsset).resolves(structuredClone(playable));
    const { context, wait } = fakeClock(60_000);

    // Act
    await makeRegisterAsset(testConfig, wait)(structuredClone(registerRequest), context);

    // Assess
    expect(dynamo).toHaveReceivedCommandWith(UpdateCommand, {
      TableName: "vod-ingest-catalogue",
      Key: { assetId: "lecture-01-final-3f9a2c" },
      ConditionExpression: "#revision = :revision",
      ExpressionAttributeValues: expect.objectContaining({ ":revision": "0a1b2c3d4e5f" }),
    });
    const update = dynamo.commandCalls(UpdateCommand)[0]!.args[0].input;
    const written = Object.fromEntries(
      Object.entries(update.ExpressionAttributeNames ?? {}).map(([name, field]) => [
        field,
        update.ExpressionAttributeValues?.[name.replace("#f", ":v")],
      ]),
    );
    expect(written).toMatchObject({ status: "PACKAGING", packagingAssetId: ASSET_ID });
  });

  it("still registers when a newer upload owns the row", async () => {
    // Prepare
    dynamo
      .on(UpdateCommand)
      .rejects(new ConditionalCheckFailedException({ message: "moved on", $metadata: {} }));
    mediaPackage.on(CreateAsset).resolves(structuredClone(playable));
    const { context, wait } = fakeClock(60_000);

    // Act
    const result = await makeRegisterAsset(testConfig, wait)(structuredClone(registerRequest), context);

    // Assess
    expect(result.packagingAssetId).toBe(ASSET_ID);
    expect(mediaPackage).toHaveReceivedCommandTimes(CreateAsset, 1);
  });

  it("treats an asset that already exists as success and reads it with DescribeAsset", async () => {
    // Prepare
    mediaPackage
      .on(CreateAsset)
      .rejects(
        new UnprocessableEntityException({ message: `Asset ${ASSET_ID} already exists`, $metadata: {} }),
      );
    mediaPackage.on(DescribeAsset, { Id: ASSET_ID }).resolves(structuredClone(playable));
    const { context, wait } = fakeClock(60_000);

    // Act
    const result = await makeRegisterAsset(testConfig, wait)(structuredClone(registerRequest), context);

    // Assess
    expect(mediaPackage).toHaveReceivedCommandWith(DescribeAsset, { Id: ASSET_ID });
    expect(result.playback.dash).toBe(PUBLISHED_URLS.playback.dash);
  });

  it("rethrows CreateAsset's error when no asset with the id exists", async () => {
    // Prepare
    const invalid = new UnprocessableEntityException({ message: "SourceArn is not valid", $metadata: {} });
    mediaPackage.on(CreateAsset).rejects(invalid);
    mediaPackage.on(DescribeAsset).rejects(new NotFoundException({ message: "not found", $metadata: {} }));
    const { context, wait } = fakeClock(60_000);

    // Act
    const act = makeRegisterAsset(testConfig, wait)(structuredClone(registerRequest), context);

    // Assess
    await expect(act).rejects.toBe(invalid);
  });

  it("refuses to adopt an existing asset that points at another source", async () => {
    // Prepare
    const other = structuredClone(playable);
    other.SourceArn =
      "arn:aws:s3:::vod-output-123456789012/lecture-01-final-3f9a2c/0a1b2c3d4e5f/cmaf/index.m3u8";
    mediaPackage
      .on(CreateAsset)
      .rejects(new UnprocessableEntityException({ message: "exists", $metadata: {} }));
    mediaPackage.on(DescribeAsset).resolves(other);
    const { context, wait } = fakeClock(60_000);

    // Act
    const act = makeRegisterAsset(testConfig, wait)(structuredClone(registerRequest), context);

    // Assess
    await expect(act).rejects.toMatchObject({
      name: "Vod.PackagingAssetConflict",
      message: expect.stringContaining(`delete-asset --id ${ASSET_ID}`),
    });
  });

  it("polls DescribeAsset while egress is QUEUED and returns once it is PLAYABLE", async () => {
    // Prepare
    mediaPackage.on(CreateAsset).resolves(structuredClone(queued));
    mediaPackage
      .on(DescribeAsset)
      .resolvesOnce(structuredClone(processing))
      .resolvesOnce(structuredClone(playable));
    const { context, wait, sleeps } = fakeClock(60_000);

    // Act
    const result = await makeRegisterAsset(testConfig, wait)(structuredClone(registerRequest), context);

    // Assess
    expect(sleeps).toEqual([5_000, 5_000]);
    expect(mediaPackage).toHaveReceivedCommandTimes(DescribeAsset, 2);
    expect(result.playback.hls).toBe(PUBLISHED_URLS.playback.hls);
  });

  it("throws Vod.PackagingPending when egress is still processing as the Lambda runs out of time", async () => {
    // Prepare
    mediaPackage.on(CreateAsset).resolves(structuredClone(queued));
    mediaPackage.on(DescribeAsset).resolves(structuredClone(processing));
    const { context, wait, sleeps } = fakeClock(31_000);

    // Act
    const act = makeRegisterAsset(testConfig, wait)(structuredClone(registerRequest), context);

    // Assess
    await expect(act).rejects.toMatchObject({
      name: "Vod.PackagingPending",
      message: expect.stringContaining("hls: PROCESSING"),
    });
    // Polls with 31, 26 and 21 s left; at 16 s less than the 15 s margin + one 5 s interval remains.
    expect(sleeps).toEqual([5_000, 5_000, 5_000]);
    expect(mediaPackage).toHaveReceivedCommandTimes(DescribeAsset, 3);
  });

  it("throws Vod.PackagingTimedOut once the wait sized by the title's duration is spent, and grants it again on a redrive", async () => {
    // Prepare: the fixture's 60-minute title gets 70 minutes; its asset was created 71 minutes ago.
    mediaPackage.on(CreateAsset).resolves(structuredClone(queued));
    mediaPackage.on(DescribeAsset).resolves(structuredClone(processing));
    const late = (clock: ReturnType<typeof fakeClock>) => ({
      ...clock.wait,
      now: () => clock.wait.now() + 70 * 60_000,
    });
    const first = fakeClock(60_000);
    const redriven = fakeClock(31_000);

    // Act
    const act = makeRegisterAsset(testConfig, late(first))(structuredClone(registerRequest), first.context);
    const again = makeRegisterAsset(testConfig, late(redriven))(
      { ...structuredClone(registerRequest), redriveCount: 1 },
      redriven.context,
    );

    // Assess
    await expect(act).rejects.toMatchObject({ name: "Vod.PackagingTimedOut" });
    await expect(act).rejects.toThrow(/after 71 minutes; a 60-minute title is given 70/);
    expect(first.sleeps).toEqual([]);
    await expect(again).rejects.toMatchObject({ name: "Vod.PackagingPending" });
  });

  it("throws Vod.PackagingFailed naming the packagingSource switch when an endpoint FAILED with a CMAF source", async () => {
    // Prepare
    const cmafRequest = structuredClone(registerRequest);
    cmafRequest.transcode.packagingManifest = cmafRequest.transcode.cmafHlsManifest;
    mediaPackage.on(CreateAsset).resolves(
      withStatuses(createAssetResponse, {
        "vod-ingest-hls": "FAILED",
        "vod-ingest-dash": "PROCESSING",
        "vod-ingest-cmaf": "FAILED",
      }),
    );
    const { context, wait } = fakeClock(60_000);

    // Act
    const act = makeRegisterAsset({ ...testConfig, packagingSource: "cmaf" }, wait)(cmafRequest, context);

    // Assess
    await expect(act).rejects.toMatchObject({
      name: "Vod.PackagingFailed",
      message: expect.stringMatching(
        /^MediaPackage could not ingest the CMAF \.m3u8 \(s3:\/\/.*\/cmaf\/index\.m3u8\); egress hls, cmaf FAILED\. Set vod-ingest:packagingSource to hls-ts/,
      ),
    });
    expect(mediaPackage).toHaveReceivedCommandTimes(DescribeAsset, 0);
  });

  it("builds the source ARN in the partition of the packaging role (aws-cn)", async () => {
    // Prepare
    mediaPackage.on(CreateAsset).resolves(structuredClone(playable));
    const { context, wait } = fakeClock(60_000);
    const china = {
      ...testConfig,
      packagingRoleArn: "arn:aws-cn:iam::123456789012:role/vod-ingest-packaging-role",
      partition: "aws-cn",
    };

    // Act
    await makeRegisterAsset(china, wait)(structuredClone(registerRequest), context);

    // Assess
    expect(mediaPackage).toHaveReceivedCommandWith(CreateAsset, {
      SourceArn:
        "arn:aws-cn:s3:::vod-output-123456789012/lecture-01-final-3f9a2c/0a1b2c3d4e5f/hls/index.m3u8",
      SourceRoleArn: "arn:aws-cn:iam::123456789012:role/vod-ingest-packaging-role",
    });
  });
});
