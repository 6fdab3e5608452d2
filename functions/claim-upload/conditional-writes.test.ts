/**
 * The ledger claim and the catalogue row are guarded by DynamoDB condition expressions. Mocks can only
 * check the expression's text; these tests run it against dynalite, a local DynamoDB implementation,
 * so a wrong operator, path or padding fails here before it reaches a real table.
 */
import type { AddressInfo } from "node:net";
import { CreateTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import dynalite from "dynalite";
import type { SourceObject } from "../shared/contract/workflow";
import { putRevisionRow, revisionRow } from "../shared/catalogue/life-cycle";
import { claimItem, claimSourceVersion } from "./ledger";
import { orderableSequencer } from "./sequencer";
import { EXECUTION_ARN, OTHER_EXECUTION_ARN } from "./test-support";

const LEDGER = "ledger";
const CATALOGUE = "catalogue";
const NOW = new Date("2025-03-01T10:00:00.000Z");

const server = dynalite({ createTableMs: 0 });
let client: DynamoDBDocumentClient;

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, resolve));
  const { port } = server.address() as AddressInfo;
  const raw = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: "ca-central-1",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
  });
  client = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
  for (const [TableName, key] of [
    [LEDGER, "pk"],
    [CATALOGUE, "assetId"],
  ] as const) {
    await raw.send(
      new CreateTableCommand({
        TableName,
        KeySchema: [{ AttributeName: key, KeyType: "HASH" }],
        AttributeDefinitions: [{ AttributeName: key, AttributeType: "S" }],
        BillingMode: "PAY_PER_REQUEST",
      }),
    );
  }
});

afterAll(async () => {
  client.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe("claimSourceVersion", () => {
  it("lets the first execution claim a version, then tells a retry of it from another execution", async () => {
    // Prepare
    const pk = "claim#ledger-test-1" as const;

    // Act
    const first = await claimSourceVersion(LEDGER, claimItem(pk, "a-1", EXECUTION_ARN, NOW), client);
    const retry = await claimSourceVersion(LEDGER, claimItem(pk, "a-1", EXECUTION_ARN, NOW), client);
    const duplicate = await claimSourceVersion(
      LEDGER,
      claimItem(pk, "a-1", OTHER_EXECUTION_ARN, NOW),
      client,
    );

    // Assess
    expect(first).toEqual({ owned: true, resumed: false });
    expect(retry).toEqual({ owned: true, resumed: true });
    expect(duplicate).toEqual({ owned: false, ownerExecutionArn: EXECUTION_ARN });
    const { Item } = await client.send(new GetCommand({ TableName: LEDGER, Key: { pk } }));
    expect(Item).toEqual({
      pk,
      assetId: "a-1",
      executionArn: EXECUTION_ARN,
      claimedAt: "2025-03-01T10:00:00.000Z",
      expiresAt: 1740823200 + 90 * 86400,
    });
  });
});

describe("putRevisionRow", () => {
  function row(assetId: string, versionId: string, sequencer: string) {
    const source: SourceObject = {
      bucket: "amzn-s3-demo-bucket1",
      key: "videos/talk.mp4",
      versionId,
      size: 5,
      etag: "b1946ac92492d2347c6235b4d2611184",
      sequencer: orderableSequencer(sequencer),
    };
    return revisionRow({
      assetId,
      title: "talk.mp4",
      revision: `rev-${versionId}`,
      source,
      executionArn: EXECUTION_ARN,
      now: NOW,
      facts: { widthPx: 1920, heightPx: 1080, durationMs: 1000, hasAudio: true },
    });
  }

  async function storedRevision(assetId: string): Promise<unknown> {
    const { Item } = await client.send(new GetCommand({ TableName: CATALOGUE, Key: { assetId } }));
    return Item?.revision;
  }

  it("writes a new row, and writes it again for the same revision (a retry)", async () => {
    expect(await putRevisionRow(CATALOGUE, row("asset-1", "v1", "617f08299329d189"), client)).toBe("WRITTEN");
    expect(await putRevisionRow(CATALOGUE, row("asset-1", "v1", "617f08299329d189"), client)).toBe("WRITTEN");
    expect(await storedRevision("asset-1")).toBe("rev-v1");
  });

  it("moves the row to a newer version, even when its sequencer is longer", async () => {
    // Prepare
    await putRevisionRow(CATALOGUE, row("asset-2", "v1", "617f08299329d189"), client);

    // Act
    const outcome = await putRevisionRow(CATALOGUE, row("asset-2", "v2", "00617f0829a0000000"), client);

    // Assess
    expect(outcome).toBe("WRITTEN");
    expect(await storedRevision("asset-2")).toBe("rev-v2");
  });

  it("keeps the newer version when an older one arrives late, whatever the case of the hex digits", async () => {
    // Prepare
    await putRevisionRow(CATALOGUE, row("asset-3", "v2", "617F0829A0000000"), client);

    // Act
    const outcome = await putRevisionRow(CATALOGUE, row("asset-3", "v1", "617f08299329d189"), client);

    // Assess
    expect(outcome).toBe("SUPERSEDED");
    expect(await storedRevision("asset-3")).toBe("rev-v2");
  });
});

describe("putRevisionRow on a title an operator has changed", () => {
  it("keeps the title's unpublishedAt and entitlement through a re-upload, and drops the old revision's outputs", async () => {
    // Prepare: revision v1 published, then taken down and restricted by an operator.
    const first = revisionRow({
      assetId: "asset-9",
      title: "talk.mp4",
      revision: "rev-v1",
      source: {
        bucket: "amzn-s3-demo-bucket1",
        key: "videos/talk.mp4",
        versionId: "v1",
        size: 5,
        etag: "b1946ac92492d2347c6235b4d2611184",
        sequencer: orderableSequencer("617f08299329d189"),
      },
      executionArn: EXECUTION_ARN,
      now: NOW,
    });
    await putRevisionRow(CATALOGUE, first, client);
    await client.send(
      new UpdateCommand({
        TableName: CATALOGUE,
        Key: { assetId: "asset-9" },
        UpdateExpression:
          "SET #status = :published, playback = :playback, packagingAssetId = :asset, unpublishedAt = :at, entitlement = :group",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: {
          ":published": "PUBLISHED",
          ":playback": { hls: "https://d111111abcdef8.cloudfront.net/out/v1/a/b/c/index.m3u8" },
          ":asset": "asset-9-rev-v1",
          ":at": "2025-03-02T09:00:00.000Z",
          ":group": "premium",
        },
      }),
    );
    const second = revisionRow({
      ...first,
      revision: "rev-v2",
      source: { ...first.source, versionId: "v2", sequencer: orderableSequencer("617f0829a0000000") },
      executionArn: OTHER_EXECUTION_ARN,
      now: new Date("2025-03-03T10:00:00.000Z"),
    });

    // Act
    const outcome = await putRevisionRow(CATALOGUE, second, client);

    // Assess: a re-upload never republishes a title that was taken down, nor widens who may watch it.
    const { Item } = await client.send(new GetCommand({ TableName: CATALOGUE, Key: { assetId: "asset-9" } }));
    expect(outcome).toBe("WRITTEN");
    expect(Item).toEqual({
      ...second,
      unpublishedAt: "2025-03-02T09:00:00.000Z",
      entitlement: "premium",
    });
  });
});

describe("orderableSequencer", () => {
  it("pads to a fixed width in upper case so string order is version order", () => {
    // Prepare: 2^64 - 1 and 2^64; compared unpadded, "f…" would sort after "1…"
    const earlier = "ffffffffffffffff";
    const later = "10000000000000000";

    // Act
    const [paddedEarlier, paddedLater] = [orderableSequencer(earlier), orderableSequencer(later)];

    // Assess
    expect(paddedEarlier).toBe("0000000000000000FFFFFFFFFFFFFFFF");
    expect(paddedEarlier < paddedLater).toBe(true);
  });

  it("refuses a sequencer wider than the padding", () => {
    expect(() => orderableSequencer("1".repeat(33))).toThrow("longer than 32 hex digits");
  });
});
