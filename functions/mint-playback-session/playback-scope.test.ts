import publishedRow from "./events/catalogue-row-published.json";
import { assetPathPrefix, invalidationPath, playbackScope, PlaybackScopeError } from "./playback-scope";

const CDN = "https://d111111abcdef8.cloudfront.net";
const HASH = "6644b55df1744261ab3732a8e5cdaf07";

describe("playbackScope", () => {
  it("scopes a title to the first hash after /out/v1/ and moves every URL to the CDN host", () => {
    // Act
    const scope = playbackScope(publishedRow.playback, CDN);

    // Assess
    expect(scope.pathPrefix).toBe(`/out/v1/${HASH}/`);
    expect(scope.resource).toBe(`${CDN}/out/v1/${HASH}/*`);
    for (const url of Object.values(scope.playback)) {
      expect(new URL(url).origin).toBe(CDN);
      expect(url.startsWith(`${CDN}/out/v1/${HASH}/`)).toBe(true);
    }
  });

  it("refuses formats that do not share one title prefix, since one cookie would then cover two titles", () => {
    // Prepare
    const mixed = {
      ...publishedRow.playback,
      dash: publishedRow.playback.dash.replace(HASH, "f".repeat(32)),
    };

    // Act
    const act = () => playbackScope(mixed, CDN);

    // Assess
    expect(act).toThrow(PlaybackScopeError);
  });

  it("moves a row published before delivery (egress URLs) to the CDN host", () => {
    // Prepare
    const egress = "https://c75ea2668ab49d02bca7ae10ef31c59e.egress.mediapackage-vod.us-east-1.amazonaws.com";
    const legacy = {
      hls: publishedRow.playback.hls.replace(CDN, egress),
      dash: publishedRow.playback.dash.replace(CDN, egress),
      cmaf: publishedRow.playback.cmaf.replace(CDN, egress),
    };

    // Act
    const scope = playbackScope(legacy, CDN);

    // Assess
    expect(scope.playback).toEqual(publishedRow.playback);
    expect(scope.cmafGroup).toBeUndefined();
  });

  it("gives the CMAF group its own scope, the title's folder in the output bucket", () => {
    // Act
    const scope = playbackScope(publishedRow.playback, CDN, {
      assetId: publishedRow.assetId,
      cmafGroup: publishedRow.cmafGroup,
    });

    // Assess
    expect(scope.cmafGroup).toEqual({
      pathPrefix: `/${publishedRow.assetId}/`,
      resource: `${CDN}/${publishedRow.assetId}/*`,
      urls: publishedRow.cmafGroup,
    });
  });

  it("refuses CMAF group URLs outside the title's folder", () => {
    // Prepare
    const stray = { ...publishedRow.cmafGroup, dash: `${CDN}/other-title-00000000/r/cmaf/index.mpd` };

    // Act
    const act = () =>
      playbackScope(publishedRow.playback, CDN, { assetId: publishedRow.assetId, cmafGroup: stray });

    // Assess
    expect(act).toThrow(/outside the title's/);
  });

  it("accepts rows that already store CDN URLs (the same path on the CDN host)", () => {
    // Prepare
    const onCdn = playbackScope(publishedRow.playback, CDN).playback;

    // Act
    const again = playbackScope(onCdn, CDN);

    // Assess
    expect(again.playback).toEqual(onCdn);
  });
});

describe("assetPathPrefix", () => {
  it("refuses a URL outside /out/v1/<hash>/", () => {
    expect(() => assetPathPrefix(`${CDN}/index.m3u8`)).toThrow(PlaybackScopeError);
    expect(() => assetPathPrefix(`${CDN}/out/v1/${HASH}/`)).toThrow(PlaybackScopeError);
    expect(() => assetPathPrefix(`${CDN}/out/v1/NOT-HEX/a/index.m3u8`)).toThrow(PlaybackScopeError);
  });
});

describe("invalidationPath", () => {
  it("covers every object under the title's prefix", () => {
    expect(invalidationPath(`/out/v1/${HASH}/`)).toBe(`/out/v1/${HASH}/*`);
  });
});
