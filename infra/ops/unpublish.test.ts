import { UnpublishUsageError } from "../../functions/mint-playback-session/unpublish-title";
import { describeReport, parseArguments, resolveTargets } from "./unpublish";

describe("parseArguments", () => {
  it("reads the asset id, --hard and the optional targets in any order", () => {
    expect(parseArguments(["--hard", "talk-1a2b3c4d", "--distribution-id", "E2EXAMPLE51Z"])).toEqual({
      assetId: "talk-1a2b3c4d",
      hard: true,
      distributionId: "E2EXAMPLE51Z",
    });
    expect(parseArguments(["talk-1a2b3c4d", "--table", "cat", "--stack", "prod"])).toEqual({
      assetId: "talk-1a2b3c4d",
      hard: false,
      table: "cat",
      stack: "prod",
    });
  });

  it("refuses no id, two ids, an unknown option and an option without its value", () => {
    for (const argv of [[], ["a", "b"], ["a", "--force"], ["a", "--table"], ["a", "--table", "--hard"]]) {
      expect(() => parseArguments(argv)).toThrow(UnpublishUsageError);
    }
  });
});

describe("resolveTargets", () => {
  const outputs = { catalogueTableName: "stack-catalogue", cdnDistributionId: "E1STACK" };

  it("prefers flags, then the environment, then the stack's outputs", () => {
    // Prepare
    const readOutputs = jest.fn(() => outputs);

    // Act
    const fromFlags = resolveTargets(
      { assetId: "a", hard: true, table: "flag-table", distributionId: "E1FLAG" },
      { CATALOGUE_TABLE: "env-table", CDN_DISTRIBUTION_ID: "E1ENV" },
      readOutputs,
    );
    const fromEnv = resolveTargets(
      { assetId: "a", hard: true },
      { CATALOGUE_TABLE: "env-table", CDN_DISTRIBUTION_ID: "E1ENV" },
      readOutputs,
    );
    const fromStack = resolveTargets({ assetId: "a", hard: true }, {}, readOutputs);

    // Assess
    expect(fromFlags).toEqual({ tableName: "flag-table", distributionId: "E1FLAG" });
    expect(fromEnv).toEqual({ tableName: "env-table", distributionId: "E1ENV" });
    expect(fromStack).toEqual({ tableName: "stack-catalogue", distributionId: "E1STACK" });
    expect(readOutputs).toHaveBeenCalledTimes(1);
  });

  it("does not need a distribution, nor ask Pulumi for one, for a soft unpublish", () => {
    // Prepare
    const readOutputs = jest.fn(() => outputs);

    // Act
    const targets = resolveTargets(
      { assetId: "a", hard: false },
      { CATALOGUE_TABLE: "env-table" },
      readOutputs,
    );

    // Assess
    expect(targets).toEqual({ tableName: "env-table" });
    expect(readOutputs).not.toHaveBeenCalled();
  });

  it("says how to name the table when no source has it", () => {
    expect(() => resolveTargets({ assetId: "a", hard: false }, {}, () => ({}))).toThrow(
      "no catalogue table: pass --table or set CATALOGUE_TABLE",
    );
  });
});

describe("describeReport", () => {
  it("prints one line per step taken or skipped", () => {
    expect(
      describeReport({
        assetId: "talk-1a2b3c4d",
        unpublishedAt: "2026-12-03T08:00:00.000Z",
        wasUnpublished: false,
        packagingAsset: { id: "talk-1a2b3c4d-0a1b2c3d4e5f", outcome: "deleted" },
        invalidation: { id: "I2J0I21PCUYOIK", path: "/out/v1/6644b55df1744261ab3732a8e5cdaf07/*" },
        skipped: [],
      }),
    ).toEqual([
      "talk-1a2b3c4d: unpublished at 2026-12-03T08:00:00.000Z; no new sessions (minted cookies expire within COOKIE_TTL_SECONDS)",
      "MediaPackage asset talk-1a2b3c4d-0a1b2c3d4e5f: deleted",
      "CloudFront invalidation I2J0I21PCUYOIK: /out/v1/6644b55df1744261ab3732a8e5cdaf07/*",
    ]);
  });
});
