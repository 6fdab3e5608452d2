import { parsePackagingConfigurations, parsePackagingSource } from "./config";

describe("parsePackagingConfigurations", () => {
  it("reads which packaging configuration serves which playback format", () => {
    // Act
    const configurations = parsePackagingConfigurations(
      '{"hls":"vod-hls","dash":"vod-dash","cmaf":"vod-cmaf"}',
    );

    // Assess
    expect(configurations).toEqual({ hls: "vod-hls", dash: "vod-dash", cmaf: "vod-cmaf" });
  });

  it("names the formats that have no configuration id", () => {
    // Act + Assess
    expect(() => parsePackagingConfigurations('{"hls":"vod-hls","dash":""}')).toThrow(/missing dash, cmaf/);
  });

  it("refuses a value that is not JSON", () => {
    // Act + Assess
    expect(() => parsePackagingConfigurations("hls=vod-hls")).toThrow(/is not JSON/);
  });
});

describe("parsePackagingSource", () => {
  it("accepts hls-ts and cmaf only", () => {
    // Act + Assess
    expect(parsePackagingSource("hls-ts")).toBe("hls-ts");
    expect(parsePackagingSource("cmaf")).toBe("cmaf");
    expect(() => parsePackagingSource("dash")).toThrow(/must be hls-ts or cmaf/);
  });
});
