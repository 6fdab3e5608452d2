/**
 * The catalogue update runs against dynalite (a local DynamoDB), so its condition and `if_not_exists` are
 * executed, not just spelled; MediaPackage and CloudFront are aws-sdk-client-mock stubs.
 */
import type { AddressInfo } from "node:net";
import { CloudFrontClient, CreateInvalidationCommand } from "@aws-sdk/client-cloudfront";
import { CreateTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  DeleteAssetCommand,
  MediaPackageVodClient,
  NotFoundException,
  type DeleteAssetCommandInput,
  type DeleteAssetCommandOutput,
} from "@aws-sdk/client-mediapackage-vod";
import { DynamoDBDocumentClient, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { mockClient, type AwsCommand } from "aws-sdk-client-mock";
import dynalite from "dynalite";
import { mockMediaPackage } from "../register-asset/test-support";
import publishedRow from "./events/catalogue-row-published.json";
import { decideSession, type SessionRow } from "./mint-playback-session";
import { testEnv } from "./test-support";
import {
  NoSuchTitleError,
  takedownCalls,
  UnpublishUsageError,
  unpublishTitle,
  unpublishUpdate,
} from "./unpublish-title";

const TABLE = "catalogue";
const HASH = "6644b55df1744261ab3732a8e5cdaf07";
const DISTRIBUTION = "E2EXAMPLE51Z";
const FIRST = new Date("2026-12-03T08:00:00.000Z");
const LATER = new Date("2026-12-03T09:00:00.000Z");
const row = { ...publishedRow, packagingAssetId: "lecture-01-final-3d73618c-0a1b2c3d4e5f" };

// @aws-sdk/client-mediapackage-vod's declarations use @smithy/types 3 (see register-asset/test-support.ts).
const DeleteAsset = DeleteAssetCommand as unknown as new (
  input: DeleteAssetCommandInput,
) => AwsCommand<DeleteAssetCommandInput, DeleteAssetCommandOutput>;

const server = dynalite({ createTableMs: 0 });
let dynamo: DynamoDBDocumentClient;
const mediaPackage = mockMediaPackage();
const cloudFront = mockClient(CloudFrontClient);
const order: string[] = [];
/** Real client classes: mockMediaPackage() and mockClient(CloudFrontClient) stub every instance's send. */
const clients = () => ({
  dynamo,
  mediaPackageVod: new MediaPackageVodClient({ region: "us-east-1" }),
  cloudFront: new CloudFrontClient({ region: "us-east-1" }),
});

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, resolve));
  const { port } = server.address() as AddressInfo;
  const raw = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: "us-east-1",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
  });
  dynamo = DynamoDBDocumentClient.from(raw);
  await raw.send(
    new CreateTableCommand({
      TableName: TABLE,
      KeySchema: [{ AttributeName: "assetId", KeyType: "HASH" }],
      AttributeDefinitions: [{ AttributeName: "assetId", AttributeType: "S" }],
      BillingMode: "PAY_PER_REQUEST",
    }),
  );
});

afterAll(async () => {
  dynamo.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(async () => {
  order.length = 0;
  mediaPackage.reset();
  cloudFront.reset();
  mediaPackage.on(DeleteAsset).callsFake(() => {
    order.push("DeleteAsset");
    return {};
  });
  cloudFront.on(CreateInvalidationCommand).callsFake(() => {
    order.push("CreateInvalidation");
    return { Invalidation: { Id: "I2J0I21PCUYOIK", Status: "InProgress" } };
  });
  await dynamo.send(new PutCommand({ TableName: TABLE, Item: row }));
});

async function storedRow(): Promise<Record<string, unknown> | undefined> {
  return (await dynamo.send(new GetCommand({ TableName: TABLE, Key: { assetId: row.assetId } }))).Item;
}

describe("unpublishTitle", () => {
  it("sets unpublishedAt so no new session is minted, and touches nothing else without --hard", async () => {
    // Act
    const report = await unpublishTitle(clients(), {
      assetId: row.assetId,
      hard: false,
      tableName: TABLE,
      now: FIRST,
    });

    // Assess
    const stored = await storedRow();
    expect(report).toEqual({
      assetId: row.assetId,
      unpublishedAt: FIRST.toISOString(),
      wasUnpublished: false,
      skipped: [],
    });
    expect(stored).toMatchObject({ status: "PUBLISHED", unpublishedAt: FIRST.toISOString() });
    expect(decideSession(stored as SessionRow, { sub: "viewer" }, testEnv).outcome).toBe("not-found");
    expect(mediaPackage.calls()).toHaveLength(0);
    expect(cloudFront.calls()).toHaveLength(0);
  });

  it("keeps the first unpublishedAt when run again", async () => {
    // Prepare
    await unpublishTitle(clients(), { assetId: row.assetId, hard: false, tableName: TABLE, now: FIRST });

    // Act
    const again = await unpublishTitle(clients(), {
      assetId: row.assetId,
      hard: false,
      tableName: TABLE,
      now: LATER,
    });

    // Assess
    expect(again).toMatchObject({ unpublishedAt: FIRST.toISOString(), wasUnpublished: true });
    expect(await storedRow()).toMatchObject({
      unpublishedAt: FIRST.toISOString(),
      updatedAt: LATER.toISOString(),
    });
  });

  it("refuses an unknown title without creating a row", async () => {
    // Act
    const act = unpublishTitle(clients(), {
      assetId: "never-uploaded-00000000",
      hard: false,
      tableName: TABLE,
      now: FIRST,
    });

    // Assess
    await expect(act).rejects.toBeInstanceOf(NoSuchTitleError);
    expect(
      (await dynamo.send(new GetCommand({ TableName: TABLE, Key: { assetId: "never-uploaded-00000000" } })))
        .Item,
    ).toBeUndefined();
  });

  it("with --hard deletes the MediaPackage asset, then invalidates the title's CDN paths", async () => {
    // Act
    const report = await unpublishTitle(clients(), {
      assetId: row.assetId,
      hard: true,
      tableName: TABLE,
      distributionId: DISTRIBUTION,
      now: FIRST,
    });

    // Assess
    expect(order).toEqual(["DeleteAsset", "CreateInvalidation"]);
    expect(mediaPackage).toHaveReceivedCommandWith(DeleteAsset, { Id: row.packagingAssetId });
    expect(cloudFront).toHaveReceivedCommandWith(CreateInvalidationCommand, {
      DistributionId: DISTRIBUTION,
      InvalidationBatch: {
        CallerReference: `unpublish-${row.assetId}-${FIRST.toISOString()}`,
        Paths: { Quantity: 2, Items: [`/out/v1/${HASH}/*`, `/${row.assetId}/*`] },
      },
    });
    expect(report).toMatchObject({
      packagingAsset: { id: row.packagingAssetId, outcome: "deleted" },
      invalidation: { id: "I2J0I21PCUYOIK", path: `/out/v1/${HASH}/* /${row.assetId}/*` },
      skipped: [],
    });
  });

  it("repeats a hard takedown safely: an asset already gone, the same invalidation reference", async () => {
    // Prepare
    const request = { assetId: row.assetId, hard: true, tableName: TABLE, distributionId: DISTRIBUTION };
    await unpublishTitle(clients(), { ...request, now: FIRST });
    mediaPackage
      .on(DeleteAsset)
      .rejects(new NotFoundException({ message: "Asset not found", $metadata: {} }));

    // Act
    const again = await unpublishTitle(clients(), { ...request, now: LATER });

    // Assess
    expect(again.packagingAsset).toEqual({ id: row.packagingAssetId, outcome: "already gone" });
    const references = cloudFront
      .commandCalls(CreateInvalidationCommand)
      .map((call) => call.args[0].input.InvalidationBatch?.CallerReference);
    expect(references).toEqual([
      `unpublish-${row.assetId}-${FIRST.toISOString()}`,
      `unpublish-${row.assetId}-${FIRST.toISOString()}`,
    ]);
  });

  it("refuses --hard without a distribution before writing anything", async () => {
    // Act
    const act = unpublishTitle(clients(), { assetId: row.assetId, hard: true, tableName: TABLE, now: FIRST });

    // Assess
    await expect(act).rejects.toBeInstanceOf(UnpublishUsageError);
    expect(await storedRow()).not.toHaveProperty("unpublishedAt");
  });
});

describe("takedownCalls", () => {
  it("names the steps a row without an asset or playback URLs cannot take", () => {
    // Act
    const calls = takedownCalls({ assetId: "a-1", unpublishedAt: FIRST.toISOString() }, DISTRIBUTION);

    // Assess
    expect(calls).toEqual({
      skipped: [
        "no packagingAssetId on the row: no MediaPackage asset to delete",
        "no playback URLs on the row: nothing cached to invalidate",
      ],
    });
  });
});

describe("unpublishUpdate", () => {
  it("only updates an existing row and keeps an earlier unpublishedAt", () => {
    expect(unpublishUpdate(TABLE, "a-1", FIRST)).toMatchObject({
      ConditionExpression: "attribute_exists(#assetId)",
      UpdateExpression: "SET #unpublishedAt = if_not_exists(#unpublishedAt, :now), #updatedAt = :now",
      ReturnValues: "ALL_NEW",
    });
  });
});
