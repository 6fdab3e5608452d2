import { outputOf, setupPulumiMocks } from "../test/pulumi/mocks";
import { Catalogue, tableBasics } from "./catalogue";

const mocks = setupPulumiMocks();

beforeEach(() => mocks.reset());

const SHARED = {
  billingMode: "PAY_PER_REQUEST",
  pointInTimeRecovery: { enabled: true },
  serverSideEncryption: { enabled: true },
};

describe("tableBasics", () => {
  it("declares an on-demand table keyed by one string attribute, with PITR and the AWS managed key", () => {
    expect(tableBasics("assetId")).toEqual({
      ...SHARED,
      hashKey: "assetId",
      attributes: [{ name: "assetId", type: "S" }],
    });
  });
});

describe("Catalogue", () => {
  it("creates the catalogue table keyed by assetId", async () => {
    // Act
    new Catalogue("vod");
    await mocks.settle();

    // Assess
    expect(mocks.resourceNamed("vod-catalogue", "aws:dynamodb/table:Table").inputs).toEqual({
      ...SHARED,
      hashKey: "assetId",
      attributes: [{ name: "assetId", type: "S" }],
      deletionProtectionEnabled: false,
    });
  });

  it("creates the ledger table keyed by pk, items expiring through TTL, open tasks in a sparse index", async () => {
    // Act
    new Catalogue("vod");
    await mocks.settle();

    // Assess
    expect(mocks.resourceNamed("vod-ledger", "aws:dynamodb/table:Table").inputs).toEqual({
      ...SHARED,
      hashKey: "pk",
      attributes: [
        { name: "pk", type: "S" },
        { name: "waiting", type: "S" },
      ],
      globalSecondaryIndexes: [
        {
          name: "waiting-tasks",
          keySchemas: [{ attributeName: "waiting", keyType: "HASH" }],
          projectionType: "ALL",
        },
      ],
      deletionProtectionEnabled: false,
      ttl: { attributeName: "expiresAt", enabled: true },
    });
  });

  it("leaves TTL off the catalogue, whose rows are kept", async () => {
    // Act
    new Catalogue("vod");
    await mocks.settle();

    // Assess
    expect(mocks.resourceNamed("vod-catalogue").inputs.ttl).toBeUndefined();
  });

  it("turns deletion protection on for both tables when asked", async () => {
    // Act
    new Catalogue("vod", { deletionProtection: true });
    await mocks.settle();

    // Assess
    const tables = mocks.resourcesOfType("aws:dynamodb/table:Table");
    expect(tables.map((t) => [t.name, t.inputs.deletionProtectionEnabled]).sort()).toEqual([
      ["vod-catalogue", true],
      ["vod-ledger", true],
    ]);
  });

  it("exposes the tables' names and ARNs, and gives them no physical names", async () => {
    // Act
    const catalogue = new Catalogue("vod");
    await mocks.settle();

    // Assess
    expect(await outputOf(catalogue.catalogueTableName)).toBe("vod-catalogue");
    expect(await outputOf(catalogue.catalogueTableArn)).toBe(
      "arn:aws:dynamodb:us-east-1:123456789012:table/vod-catalogue",
    );
    expect(await outputOf(catalogue.ledgerTableName)).toBe("vod-ledger");
    expect(await outputOf(catalogue.ledgerTableArn)).toBe(
      "arn:aws:dynamodb:us-east-1:123456789012:table/vod-ledger",
    );
    expect(mocks.resourcesOfType("aws:dynamodb/table:Table").map((t) => t.inputs.name)).toEqual([
      undefined,
      undefined,
    ]);
    expect(mocks.resourcesOfType("vod:catalogue:Catalogue").map((c) => c.name)).toEqual(["vod"]);
  });
});
