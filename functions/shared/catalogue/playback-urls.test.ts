import { bucketObjectCdnUrl, bucketPathPrefix, CdnBaseUrlSchema, cdnUrl } from "./playback-urls";

const CDN = "https://d111111abcdef8.cloudfront.net";

describe("cdnUrl", () => {
  it("keeps the egress path and query and puts them on the CDN host", () => {
    expect(
      cdnUrl(
        "https://c75e.egress.mediapackage-vod.us-east-1.amazonaws.com/out/v1/6644/904b/f5b2/index.m3u8?aws.manifestfilter=video_height:1-720",
        CDN,
      ),
    ).toBe(`${CDN}/out/v1/6644/904b/f5b2/index.m3u8?aws.manifestfilter=video_height:1-720`);
  });

  it("leaves a URL already on the CDN as it is", () => {
    expect(cdnUrl(`${CDN}/out/v1/a/b/c/index.mpd`, CDN)).toBe(`${CDN}/out/v1/a/b/c/index.mpd`);
  });
});

describe("bucketObjectCdnUrl", () => {
  it("serves an output-bucket object at its key on the CDN host", () => {
    expect(bucketObjectCdnUrl("s3://vod-output-123/talk-1a2b3c4d/0a1b/cmaf/index.mpd", CDN)).toBe(
      `${CDN}/talk-1a2b3c4d/0a1b/cmaf/index.mpd`,
    );
  });

  it("refuses something that is not an s3:// object URI", () => {
    expect(() => bucketObjectCdnUrl("https://bucket.s3.amazonaws.com/key", CDN)).toThrow(/not an s3:\/\//);
    expect(() => bucketObjectCdnUrl("s3://bucket-only", CDN)).toThrow(/not an s3:\/\//);
  });
});

describe("bucketPathPrefix", () => {
  it("is the asset's folder, the cookie path of its output-bucket objects", () => {
    expect(bucketPathPrefix("talk-1a2b3c4d")).toBe("/talk-1a2b3c4d/");
  });
});

describe("CdnBaseUrlSchema", () => {
  it("accepts https://<host>[:port] only", () => {
    expect(CdnBaseUrlSchema.parse(CDN)).toBe(CDN);
    expect(CdnBaseUrlSchema.parse("https://127.0.0.1:8443")).toBe("https://127.0.0.1:8443");
    for (const wrong of ["http://d111.cloudfront.net", `${CDN}/`, `${CDN}/out`, "d111.cloudfront.net"]) {
      expect(CdnBaseUrlSchema.safeParse(wrong).success).toBe(false);
    }
  });
});
