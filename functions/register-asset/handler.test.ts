import { ForbiddenException, TooManyRequestsException } from "@aws-sdk/client-mediapackage-vod";
import { DynamoDBDocumentClient, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import describeAssetPlayable from "./events/describe-asset-playable.json";
import registerRequest from "./events/register-request.json";
import { handler } from "./handler";
import { CreateAsset, fakeClock, mockMediaPackage } from "./test-support";
import { setFunctionEnvironment } from "../shared/testing/env";
import { RegisterAssetEnvSchema } from "./env";
import { mockCurrentSourceVersion } from "../shared/testing/aws-mocks";

setFunctionEnvironment(RegisterAssetEnvSchema, {
  CATALOGUE_TABLE: "vod-ingest-catalogue",
  PACKAGING_GROUP_ID: "vod-ingest-packaging",
  PACKAGING_ROLE_ARN: "arn:aws:iam::123456789012:role/vod-ingest-packaging-role",
  PACKAGING_SOURCE: "hls-ts",
  PACKAGING_CONFIGURATIONS: '{"hls":"vod-ingest-hls","dash":"vod-ingest-dash","cmaf":"vod-ingest-cmaf"}',
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
    expect(result).toEqual({
      packagingAssetId: "lecture-01-final-3f9a2c-0a1b2c3d4e5f",
      playback: {
        hls: describeAssetPlayable.EgressEndpoints[0]!.Url,
        dash: describeAssetPlayable.EgressEndpoints[1]!.Url,
        cmaf: describeAssetPlayable.EgressEndpoints[2]!.Url,
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
    const { context } = fakeClock(60_000);

    // Act
    const act = handler(structuredClone(registerRequest), context);

    // Assess
    await expect(act).rejects.toMatchObject({ name: "Vod.ServiceBusy" });
  });
});
