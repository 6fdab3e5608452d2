import type { EgressEndpoint } from "@aws-sdk/client-mediapackage-vod";
import createAssetResponse from "./events/create-asset-response.json";
import {
  assessEgress,
  packagingAssetId,
  packagingFailureMessage,
  partitionOf,
  s3ObjectArn,
  type PackagingConfigurations,
} from "./packaging";

const configurations: PackagingConfigurations = {
  hls: "vod-ingest-hls",
  dash: "vod-ingest-dash",
  cmaf: "vod-ingest-cmaf",
};

function endpointsWith(statuses: Record<string, string | undefined>): EgressEndpoint[] {
  return structuredClone(createAssetResponse.EgressEndpoints).map((e) => ({
    ...e,
    Status: statuses[e.PackagingConfigurationId],
  }));
}

describe("packagingAssetId", () => {
  it("joins the asset id and the revision so every source version has its own MediaPackage asset", () => {
    // Act
    const id = packagingAssetId("lecture-01-final-3f9a2c", "0a1b2c3d4e5f");

    // Assess
    expect(id).toBe("lecture-01-final-3f9a2c-0a1b2c3d4e5f");
  });

  it("refuses characters MediaPackage does not allow in an asset id", () => {
    // Act + Assess
    expect(() => packagingAssetId("lecture 01", "0a1b2c3d4e5f")).toThrow(
      expect.objectContaining({ name: "Vod.PackagingMisconfigured" }),
    );
    expect(() => packagingAssetId("ünïcode", "0a1b2c3d4e5f")).toThrow(/may only contain/);
  });

  it("refuses ids longer than 256 characters", () => {
    // Prepare
    const longAssetId = "a".repeat(250);

    // Act + Assess
    expect(() => packagingAssetId(longAssetId, "0a1b2c3d4e5f")).toThrow(
      /263 characters long; the limit is 256/,
    );
  });
});

describe("partitionOf", () => {
  it("reads the partition of a role ARN in any partition", () => {
    // Act + Assess
    expect(partitionOf("arn:aws:iam::123456789012:role/packaging")).toBe("aws");
    expect(partitionOf("arn:aws-cn:iam::123456789012:role/packaging")).toBe("aws-cn");
    expect(partitionOf("arn:aws-us-gov:iam::123456789012:role/packaging")).toBe("aws-us-gov");
  });

  it("fails loudly on something that is not an ARN", () => {
    // Act + Assess
    expect(() => partitionOf("vod-ingest-packaging-role")).toThrow(/is not an ARN/);
  });
});

describe("s3ObjectArn", () => {
  it("turns an s3:// URI into the object ARN of the given partition", () => {
    // Act
    const arn = s3ObjectArn("s3://vod-output/abc-0a1b/hls/index.m3u8", "aws-cn");

    // Assess
    expect(arn).toBe("arn:aws-cn:s3:::vod-output/abc-0a1b/hls/index.m3u8");
  });

  it("refuses a URI without a key", () => {
    // Act + Assess
    expect(() => s3ObjectArn("s3://vod-output", "aws")).toThrow(/is not an s3:\/\/bucket\/key URI/);
  });
});

describe("assessEgress", () => {
  it("maps each playback format to the URL of its packaging configuration, whatever the endpoint order", () => {
    // Prepare
    const endpoints = endpointsWith({
      "vod-ingest-hls": "PLAYABLE",
      "vod-ingest-dash": "PLAYABLE",
      "vod-ingest-cmaf": "PLAYABLE",
    }).reverse();

    // Act
    const verdict = assessEgress(endpoints, configurations);

    // Assess
    expect(verdict).toEqual({
      state: "PLAYABLE",
      playback: {
        hls: createAssetResponse.EgressEndpoints[0]!.Url,
        dash: createAssetResponse.EgressEndpoints[1]!.Url,
        cmaf: createAssetResponse.EgressEndpoints[2]!.Url,
      },
    });
  });

  it("waits while any endpoint is queued, processing or has no status yet", () => {
    // Prepare
    const endpoints = endpointsWith({
      "vod-ingest-hls": "PLAYABLE",
      "vod-ingest-dash": "PROCESSING",
      "vod-ingest-cmaf": undefined,
    });

    // Act
    const verdict = assessEgress(endpoints, configurations);

    // Assess
    expect(verdict).toEqual({ state: "PENDING", pending: ["dash: PROCESSING", "cmaf: no status yet"] });
  });

  it("reports FAILED even while other endpoints are still processing", () => {
    // Prepare
    const endpoints = endpointsWith({
      "vod-ingest-hls": "FAILED",
      "vod-ingest-dash": "PROCESSING",
      "vod-ingest-cmaf": "PLAYABLE",
    });

    // Act
    const verdict = assessEgress(endpoints, configurations);

    // Assess
    expect(verdict).toEqual({ state: "FAILED", failed: ["hls"] });
  });

  it("ignores endpoints of packaging configurations we do not publish", () => {
    // Prepare
    const endpoints = [
      ...endpointsWith({
        "vod-ingest-hls": "PLAYABLE",
        "vod-ingest-dash": "PLAYABLE",
        "vod-ingest-cmaf": "PLAYABLE",
      }),
      { PackagingConfigurationId: "someone-elses-mss", Status: "FAILED", Url: "https://example.com/mss" },
    ];

    // Act
    const verdict = assessEgress(endpoints, configurations);

    // Assess
    expect(verdict.state).toBe("PLAYABLE");
  });

  it("treats an empty endpoint list as not filled in yet", () => {
    // Act
    const verdict = assessEgress([], configurations);

    // Assess
    expect(verdict).toEqual({
      state: "PENDING",
      pending: ["hls: not listed yet", "dash: not listed yet", "cmaf: not listed yet"],
    });
  });

  it("fails loudly when a configured packaging configuration is not in the packaging group", () => {
    // Prepare
    const endpoints = endpointsWith({ "vod-ingest-hls": "PLAYABLE", "vod-ingest-dash": "PLAYABLE" });
    const wrong = { ...configurations, cmaf: "vod-ingest-cmaf-typo" };

    // Act + Assess
    expect(() => assessEgress(endpoints, wrong)).toThrow(
      expect.objectContaining({
        name: "Vod.PackagingMisconfigured",
        message: expect.stringContaining('"vod-ingest-cmaf-typo" (cmaf)'),
      }),
    );
  });
});

describe("packagingFailureMessage", () => {
  it("tells a cmaf deployment to switch vod-ingest:packagingSource to hls-ts", () => {
    // Act
    const message = packagingFailureMessage({
      packagingSource: "cmaf",
      sourceUri: "s3://vod-output/abc/cmaf/index.m3u8",
      packagingAssetId: "abc-0a1b",
      failed: ["hls", "dash"],
    });

    // Assess
    expect(message).toContain(
      "MediaPackage could not ingest the CMAF .m3u8 (s3://vod-output/abc/cmaf/index.m3u8)",
    );
    expect(message).toContain("Set vod-ingest:packagingSource to hls-ts");
    expect(message).toContain("egress hls, dash FAILED");
  });

  it("tells an hls-ts deployment to check access, delete the asset and redrive", () => {
    // Act
    const message = packagingFailureMessage({
      packagingSource: "hls-ts",
      sourceUri: "s3://vod-output/abc/hls/index.m3u8",
      packagingAssetId: "abc-0a1b",
      failed: ["cmaf"],
    });

    // Assess
    expect(message).toContain("vod-ingest:packagingSource is hls-ts");
    expect(message).toContain("delete MediaPackage asset abc-0a1b and redrive");
  });
});
