import { outputLayout, s3UriParts, sourceUri, type OutputLayout } from "./output-layout";

const ASSET_ID = "lecture-01_final_1a2b3c";
const REVISION = "0123456789ab";

/** Every s3:// URI in a layout, wherever it sits. */
function uris(layout: OutputLayout): string[] {
  return [
    layout.prefix,
    layout.cmaf.destination,
    layout.cmaf.hlsManifest,
    layout.cmaf.dashManifest,
    layout.hls.destination,
    layout.hls.manifest,
    layout.poster.destination,
    layout.poster.image,
  ];
}

describe("outputLayout", () => {
  it("puts a revision's outputs under s3://<bucket>/<assetId>/<revision>/", () => {
    // Act
    const layout = outputLayout("vod-output", ASSET_ID, REVISION);

    // Assess
    expect(layout.prefix).toBe(`s3://vod-output/${ASSET_ID}/${REVISION}/`);
    for (const uri of uris(layout)) expect(uri.startsWith(layout.prefix)).toBe(true);
  });

  it("ends every group destination with the base name 'index'", () => {
    // Act
    const layout = outputLayout("vod-output", ASSET_ID, REVISION);

    // Assess
    expect(layout.cmaf.destination).toBe(`s3://vod-output/${ASSET_ID}/${REVISION}/cmaf/index`);
    expect(layout.hls.destination).toBe(`s3://vod-output/${ASSET_ID}/${REVISION}/hls/index`);
    expect(layout.poster.destination).toBe(`s3://vod-output/${ASSET_ID}/${REVISION}/poster/index`);
  });

  it("names the manifests MediaConvert writes from those base names", () => {
    // Act
    const layout = outputLayout("vod-output", ASSET_ID, REVISION);

    // Assess
    expect(layout.cmaf.hlsManifest).toBe(`s3://vod-output/${ASSET_ID}/${REVISION}/cmaf/index.m3u8`);
    expect(layout.cmaf.dashManifest).toBe(`s3://vod-output/${ASSET_ID}/${REVISION}/cmaf/index.mpd`);
    expect(layout.hls.manifest).toBe(`s3://vod-output/${ASSET_ID}/${REVISION}/hls/index.m3u8`);
  });

  it("names the poster as base name + modifier + 7-digit capture counter + .jpg", () => {
    // Act
    const layout = outputLayout("vod-output", ASSET_ID, REVISION);

    // Assess
    expect(layout.poster.nameModifier).toBe("_poster");
    expect(layout.poster.image).toBe(
      `s3://vod-output/${ASSET_ID}/${REVISION}/poster/index_poster.0000001.jpg`,
    );
  });

  it("uses only URL-safe characters in every path", () => {
    // Act
    const layout = outputLayout("vod-output.eu", "A-z_09", "ff00ff00ff00");

    // Assess
    for (const uri of uris(layout)) expect(uri).toMatch(/^s3:\/\/[a-z0-9.-]+\/[A-Za-z0-9_./-]+$/);
  });

  it("refuses ids that could carry user characters into a path", () => {
    // Assess
    expect(() => outputLayout("vod-output", "lecture 01", REVISION)).toThrow(RangeError);
    expect(() => outputLayout("vod-output", "ünïcode", REVISION)).toThrow(RangeError);
    expect(() => outputLayout("vod-output", "a/b", REVISION)).toThrow(RangeError);
    expect(() => outputLayout("vod-output", ASSET_ID, "")).toThrow(RangeError);
    expect(() => outputLayout("vod-output", ASSET_ID, "../x")).toThrow(RangeError);
  });

  it("refuses something that is not a bucket name", () => {
    // Assess
    expect(() => outputLayout("Vod_Output", ASSET_ID, REVISION)).toThrow(RangeError);
    expect(() => outputLayout("s3://vod-output", ASSET_ID, REVISION)).toThrow(RangeError);
  });
});

describe("sourceUri", () => {
  it.each([
    ["lecture 01 (final).mov"],
    ["c++ talk.mp4"],
    ["50% off & more.mp4"],
    ["ünïcode/日本語/クリップ.mp4"],
    ["deep/folders/a/b/c/d/e/f.mxf"],
    ["already%20encoded.mp4"],
  ])("passes the key %j through exactly as stored, without URL-encoding", (key) => {
    // Act
    const uri = sourceUri("vod-source", key);

    // Assess
    expect(uri).toBe(`s3://vod-source/${key}`);
  });

  it("refuses an empty key and a malformed bucket", () => {
    // Assess
    expect(() => sourceUri("vod-source", "")).toThrow(RangeError);
    expect(() => sourceUri("VOD SOURCE", "a.mp4")).toThrow(RangeError);
  });
});

describe("s3UriParts", () => {
  it("splits a URI into bucket and key, keeping the key's folders", () => {
    // Act
    const parts = s3UriParts("s3://vod-output/asset/rev/cmaf/index.m3u8");

    // Assess
    expect(parts).toEqual({ bucket: "vod-output", key: "asset/rev/cmaf/index.m3u8" });
  });

  it("returns exactly the bucket and key sourceUri was given", () => {
    // Prepare
    const key = "ünïcode/c++ talk 50%.mp4";

    // Act
    const parts = s3UriParts(sourceUri("vod-source", key));

    // Assess
    expect(parts).toEqual({ bucket: "vod-source", key });
  });

  it("refuses URIs without a bucket and a key", () => {
    // Assess
    expect(() => s3UriParts("https://vod-output.s3.amazonaws.com/a.mp4")).toThrow(RangeError);
    expect(() => s3UriParts("s3://vod-output/")).toThrow(RangeError);
    expect(() => s3UriParts("s3://vod-output")).toThrow(RangeError);
  });
});
