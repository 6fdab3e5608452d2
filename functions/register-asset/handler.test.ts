import { ForbiddenException, TooManyRequestsException } from "@aws-sdk/client-mediapackage-vod";
import { DynamoDBDocumentClient, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import describeAssetPlayable from "./events/describe-asset-playable.json";
import registerRequest from "./events/register-request.json";
import { handler } from "./handler";
import { CDN_BASE_URL, CreateAsset, fakeClock, ListAssets, mockMediaPackage } from "./test-support";
import { setFunctionEnvironment } from "../shared/testing/env";
import { RegisterAssetEnvSchema } from "./env";
import { mockCurrentSourceVersion } from "../shared/testing/aws-mocks";

setFunctionEnvironment(RegisterAssetEnvSchema, {
  CATALOGUE_TABLE: "vod-ingest-catalogue",
  PACKAGING_GROUP_ID: "vod-ingest-packaging",
  PACKAGING_ROLE_ARN: "arn:aws:iam::123456789012:role/vod-ingest-packaging-role",
  PACKAGING_SOURCE: "hls-ts",
  PACKAGING_CONFIGURATIONS: '{"hls":"vod-ingest-hls","dash":"vod-ingest-dash","cmaf":"vod-ingest-cmaf"}',
  CDN_BASE_URL,
  OUTPUT_BUCKET: "vod-output-123456789012",
  REMOVE_SUPERSEDED_OUTPUTS: "true",
  PACKAGING_ASSET_QUOTA: "10000",
});

const mediaPackage = mockMediaPackage();
const dynamo = mockClient(DynamoDBDocumentClient);
mockCurrentSourceVersion(registerRequest.upload.source.versionId);

beforeEach(() => {
  mediaPackage.reset();
  dynamo.reset();
  dynamo.on(UpdateCommand).resolves({});
});

describe("register-asset handler", () => {
  it("parses the state payload and returns the PackagingResult the state keeps", async () => {
    // Prepare
    mediaPackage.on(CreateAsset).resolves(structuredClone(describeAssetPlayable));
    const { context } = fakeClock(60_000);

    // Act
    const result = await handler(structuredClone(registerRequest), context);

    // Assess
    const egressPath = (index: number) => new URL(describeAssetPlayable.EgressEndpoints[index]!.Url).pathname;
    expect(result).toEqual({
      packagingAssetId: "lecture-01-final-3f9a2c-0a1b2c3d4e5f",
      playback: {
        hls: `${CDN_BASE_URL}${egressPath(0)}`,
        dash: `${CDN_BASE_URL}${egressPath(1)}`,
        cmaf: `${CDN_BASE_URL}${egressPath(2)}`,
      },
      cmafGroup: {
        hls: `${CDN_BASE_URL}/lecture-01-final-3f9a2c/0a1b2c3d4e5f/cmaf/index.m3u8`,
        dash: `${CDN_BASE_URL}/lecture-01-final-3f9a2c/0a1b2c3d4e5f/cmaf/index.mpd`,
      },
    });
  });

  it("lets a forbidden CreateAsset fail the state under its own name, not Vod.ServiceBusy", async () => {
    // Prepare
    mediaPackage.on(CreateAsset).rejects(
      new ForbiddenException({
        message: "User is not authorized to perform: iam:PassRole on resource vod-ingest-packaging-role",
        $metadata: { httpStatusCode: 403 },
      }),
    );
    const { context } = fakeClock(60_000);

    // Act
    const act = handler(structuredClone(registerRequest), context);

    // Assess
    await expect(act).rejects.toMatchObject({ name: "ForbiddenException" });
  });

  it("reports a throttled CreateAsset as Vod.ServiceBusy so the state's transient retrier retries it", async () => {
    // Prepare
    mediaPackage
      .on(CreateAsset)
      .rejects(
        new TooManyRequestsException({ message: "Too Many Requests", $metadata: { httpStatusCode: 429 } }),
      );
    // The group is far from its quota: the 429 was throttling.
    mediaPackage.on(ListAssets).resolves({ Assets: [{ Id: "another-title-0a1b2c3d4e5f" }] });
    const { context } = fakeClock(60_000);

    // Act
    const act = handler(structuredClone(registerRequest), context);

    // Assess
    await expect(act).rejects.toMatchObject({ name: "Vod.ServiceBusy" });
  });

  it("fails with Vod.PackagingQuotaExceeded, never retried, when CreateAsset's 429 meets a full packaging group", async () => {
    // Prepare: MediaPackage answers the quota with the same 429 as throttling.
    mediaPackage.on(CreateAsset).rejects(
      new TooManyRequestsException({
        message: "Too many requests, please try again. Resource limit exceeded",
        $metadata: { httpStatusCode: 429 },
      }),
    );
    const page = (from: number, count: number) =>
      Array.from({ length: count }, (_, i) => ({ Id: `title-${from + i}` }));
    mediaPackage
      .on(ListAssets, { NextToken: undefined })
      .resolves({ Assets: page(0, 1000), NextToken: "page-2" })
      .on(ListAssets, { NextToken: "page-2" })
      .resolves({ Assets: page(1000, 9000) });
    const { context } = fakeClock(60_000);

    // Act
    const act = handler(structuredClone(registerRequest), context);

    // Assess
    await expect(act).rejects.toMatchObject({ name: "Vod.PackagingQuotaExceeded" });
    await expect(act).rejects.toThrow(/"Maximum Assets per Packaging Group" is 10000/);
    expect(mediaPackage.commandCalls(ListAssets).map((c) => c.args[0].input)).toEqual([
      { PackagingGroupId: "vod-ingest-packaging", MaxResults: 1000 },
      { PackagingGroupId: "vod-ingest-packaging", MaxResults: 1000, NextToken: "page-2" },
    ]);
  });
});
