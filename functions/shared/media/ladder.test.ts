import { fitsCodec, MIN_DIMENSION_PX } from "./codec-limits";
import { LADDER, LADDER_TOP_RUNGS, LADDER_VERSION, selectRungs, type Rung } from "./ladder";

const heights = (rungs: readonly Rung[]) => rungs.map((r) => r.heightPx);
const sizes = (rungs: readonly Rung[]) => rungs.map((r) => `${r.widthPx}x${r.heightPx}`);

describe("LADDER", () => {
  it("is versioned and lists 2160p down to 360p, top first, in 16:9", () => {
    // Assess
    expect(LADDER_VERSION).toMatch(/\S/);
    expect(heights(LADDER)).toEqual([2160, 1440, 1080, 720, 480, 360]);
    expect(sizes(LADDER)).toEqual(["3840x2160", "2560x1440", "1920x1080", "1280x720", "854x480", "640x360"]);
  });

  it("gives every rung an even size, a QVBR level from 1 to 10 and a cap that falls with the height", () => {
    // Assess
    for (const rung of LADDER) {
      expect(rung.widthPx % 2).toBe(0);
      expect(rung.heightPx % 2).toBe(0);
      expect(rung.qvbrQualityLevel).toBeGreaterThanOrEqual(1);
      expect(rung.qvbrQualityLevel).toBeLessThanOrEqual(10);
    }
    const caps = LADDER.map((r) => r.maxBitrate);
    expect([...caps].sort((a, b) => b - a)).toEqual(caps);
    expect(new Set(caps).size).toBe(caps.length);
  });

  it("cannot be changed at run time", () => {
    // Assess
    expect(Object.isFrozen(LADDER)).toBe(true);
    expect(Object.isFrozen(LADDER[0])).toBe(true);
  });
});

describe("selectRungs", () => {
  it("caps a 4K source at the configured top rung", () => {
    // Act
    const rungs = selectRungs({ topRung: 1080, sourceWidthPx: 3840, sourceHeightPx: 2160 });

    // Assess
    expect(sizes(rungs)).toEqual(["1920x1080", "1280x720", "854x480", "640x360"]);
  });

  it("keeps the whole ladder for a 4K source when the top rung is 2160", () => {
    // Act
    const rungs = selectRungs({ topRung: 2160, sourceWidthPx: 3840, sourceHeightPx: 2160 });

    // Assess
    expect(heights(rungs)).toEqual([2160, 1440, 1080, 720, 480, 360]);
  });

  it("never upscales a 720p source, whatever the top rung", () => {
    // Act
    const rungs = selectRungs({ topRung: 2160, sourceWidthPx: 1280, sourceHeightPx: 720 });

    // Assess
    expect(sizes(rungs)).toEqual(["1280x720", "854x480", "640x360"]);
  });

  it("never upscales a 480p source", () => {
    // Act
    const rungs = selectRungs({ topRung: 1080, sourceWidthPx: 854, sourceHeightPx: 480 });

    // Assess
    expect(sizes(rungs)).toEqual(["854x480", "640x360"]);
  });

  it("gives a source smaller than the smallest rung exactly one rung at its own even size", () => {
    // Act
    const rungs = selectRungs({ topRung: 1080, sourceWidthPx: 321, sourceHeightPx: 241 });

    // Assess
    expect(rungs).toHaveLength(1);
    expect(rungs[0]).toMatchObject({ name: "240p", widthPx: 320, heightPx: 240 });
    const smallest = LADDER[LADDER.length - 1] as Rung;
    expect(rungs[0]?.maxBitrate).toBeLessThan(smallest.maxBitrate);
    expect(rungs[0]?.qvbrQualityLevel).toBe(smallest.qvbrQualityLevel);
  });

  it("brings a source shorter than MediaConvert's 32-pixel minimum up to it, keeping its shape", () => {
    // Act
    const [wide] = selectRungs({ topRung: 1080, sourceWidthPx: 64, sourceHeightPx: 20 });
    const [odd] = selectRungs({ topRung: 1080, sourceWidthPx: 31, sourceHeightPx: 17 });

    // Assess: 64×20 is 3.2:1, so 102×32 (not a letterboxed 64×32); 31×17 becomes 58×32.
    expect(wide).toMatchObject({ name: "32p", widthPx: 102, heightPx: MIN_DIMENSION_PX });
    expect(odd).toMatchObject({ name: "32p", widthPx: 58, heightPx: MIN_DIMENSION_PX });
  });

  it("gives a tiny 160×90 source one rung at its own size, and an odd 161×91 one the even size below", () => {
    // Act
    const tiny = selectRungs({ topRung: 1080, sourceWidthPx: 160, sourceHeightPx: 90 });
    const odd = selectRungs({ topRung: 1080, sourceWidthPx: 161, sourceHeightPx: 91 });

    // Assess
    expect(tiny).toEqual([expect.objectContaining({ name: "90p", widthPx: 160, heightPx: 90 })]);
    expect(sizes(odd)).toEqual(["160x90"]);
  });

  it("gives a portrait source portrait rungs sized by their short side, never above the source", () => {
    // Act
    const rungs = selectRungs({ topRung: 1080, sourceWidthPx: 1080, sourceHeightPx: 1920 });

    // Assess
    expect(sizes(rungs)).toEqual(["1080x1920", "720x1280", "480x854", "360x640"]);
    expect(rungs[0]?.maxBitrate).toBe(LADDER.find((r) => r.heightPx === 1080)?.maxBitrate);
  });

  it("never upscales a small portrait source", () => {
    // Act
    const rungs = selectRungs({ topRung: 2160, sourceWidthPx: 720, sourceHeightPx: 1280 });

    // Assess
    expect(sizes(rungs)).toEqual(["720x1280", "480x854", "360x640"]);
  });

  it("derives widths from a 4:3 source's aspect ratio, rounded to even numbers", () => {
    // Act
    const rungs = selectRungs({ topRung: 1080, sourceWidthPx: 1440, sourceHeightPx: 1080 });

    // Assess
    expect(sizes(rungs)).toEqual(["1440x1080", "960x720", "640x480", "480x360"]);
  });

  it("keeps a scope (2.39:1) source's shape and never goes wider than the source", () => {
    // Act
    const rungs = selectRungs({ topRung: 1080, sourceWidthPx: 1920, sourceHeightPx: 804 });

    // Assess
    expect(sizes(rungs)).toEqual(["1720x720", "1146x480", "860x360"]);
    for (const rung of rungs) expect(rung.widthPx).toBeLessThanOrEqual(1920);
  });

  it("rounds the long side down rather than past an odd-sized source", () => {
    // Act
    const [rung] = selectRungs({ topRung: 720, sourceWidthPx: 1279, sourceHeightPx: 720 });

    // Assess
    expect(rung).toMatchObject({ widthPx: 1278, heightPx: 720 });
  });

  it("fits an ultra-wide 32:9 source (7680×2160) inside H.264's 4096×2160, keeping its shape", () => {
    // Act
    const rungs = selectRungs({ topRung: 2160, sourceWidthPx: 7680, sourceHeightPx: 2160 });

    // Assess: the 2160p and 1440p rungs both shrink to 4096×1152, which is encoded once.
    expect(sizes(rungs)).toEqual(["4096x1152", "3840x1080", "2560x720", "1706x480", "1280x360"]);
    expect(rungs.map((r) => r.name)).toEqual(["1152p", "1080p", "720p", "480p", "360p"]);
    expect(rungs[0]).toMatchObject({ maxBitrate: LADDER[0]?.maxBitrate });
  });

  it("fits a 4608×1080 source under a 1080 top rung into 4096×960", () => {
    // Act
    const rungs = selectRungs({ topRung: 1080, sourceWidthPx: 4608, sourceHeightPx: 1080 });

    // Assess
    expect(sizes(rungs)).toEqual(["4096x960", "3072x720", "2048x480", "1536x360"]);
  });

  it("fits a source below the smallest rung but wider than H.264 allows (8000×200) into 4096×102", () => {
    // Act
    const rungs = selectRungs({ topRung: 1080, sourceWidthPx: 8000, sourceHeightPx: 200 });

    // Assess
    expect(sizes(rungs)).toEqual(["4096x102"]);
  });

  it("fits a tall portrait source (1080×4608) inside H.264's portrait maximum, 2160×4096", () => {
    // Act
    const rungs = selectRungs({ topRung: 1080, sourceWidthPx: 1080, sourceHeightPx: 4608 });

    // Assess
    expect(sizes(rungs)).toEqual(["960x4096", "720x3072", "480x2048", "360x1536"]);
  });

  it("gives an 8K source (7680×4320) the 16:9 ladder from 3840×2160, inside H.264's maximum", () => {
    // Act
    const rungs = selectRungs({ topRung: 2160, sourceWidthPx: 7680, sourceHeightPx: 4320 });

    // Assess
    expect(sizes(rungs)).toEqual(["3840x2160", "2560x1440", "1920x1080", "1280x720", "854x480", "640x360"]);
  });

  it("keeps a DCI 4K source (4096×2160) at 4096×2160, exactly H.264's maximum", () => {
    // Act
    const rungs = selectRungs({ topRung: 2160, sourceWidthPx: 4096, sourceHeightPx: 2160 });

    // Assess
    expect(sizes(rungs)).toEqual(["4096x2160", "2730x1440", "2048x1080", "1366x720", "910x480", "682x360"]);
  });

  it("keeps portrait 4K sources (2160×3840, 2160×4096) whole: H.264's maximum turns for portrait", () => {
    // Act
    const uhd = selectRungs({ topRung: 2160, sourceWidthPx: 2160, sourceHeightPx: 3840 });
    const dci = selectRungs({ topRung: 2160, sourceWidthPx: 2160, sourceHeightPx: 4096 });

    // Assess
    expect(sizes(uhd).slice(0, 2)).toEqual(["2160x3840", "1440x2560"]);
    expect(sizes(dci).slice(0, 2)).toEqual(["2160x4096", "1440x2730"]);
  });

  it.each([
    [7680, 2160],
    [4608, 1080],
    [8192, 4320],
    [5760, 1080],
    [8000, 200],
    [8192, 64],
    [4096, 4096],
    [2400, 2400],
    [1080, 4608],
    [2160, 8192],
    [7680, 4320],
    [3840, 2160],
    [160, 90],
    [33, 33],
  ])("gives a %i×%i source only rungs H.264 can encode: even, 32 px or more, its shape kept", (w, h) => {
    // Act
    const rungs = selectRungs({ topRung: 2160, sourceWidthPx: w, sourceHeightPx: h });

    // Assess
    expect(rungs.length).toBeGreaterThan(0);
    expect(new Set(sizes(rungs)).size).toBe(rungs.length);
    expect(new Set(rungs.map((r) => r.name)).size).toBe(rungs.length);
    for (const rung of rungs) {
      expect(fitsCodec("H_264", rung)).toBe(true);
      expect(rung.widthPx % 2).toBe(0);
      expect(rung.heightPx % 2).toBe(0);
      expect(Math.min(rung.widthPx, rung.heightPx)).toBeGreaterThanOrEqual(MIN_DIMENSION_PX);
      expect(rung.heightPx > rung.widthPx).toBe(h > w);
      // Even rounding moves each side by at most 2 px; only a shape H.264 cannot hold at 32 px
      // (wider than 4096:32) is padded by MediaConvert instead.
      const short = Math.min(rung.widthPx, rung.heightPx);
      const long = Math.max(rung.widthPx, rung.heightPx);
      const sourceRatio = Math.max(w, h) / Math.min(w, h);
      if (sourceRatio <= 4096 / MIN_DIMENSION_PX) {
        expect(Math.abs(long - short * sourceRatio)).toBeLessThanOrEqual(2 * sourceRatio + 2);
      }
    }
  });

  it("refuses a top rung below the smallest rung and sizes that are not pixels", () => {
    // Assess
    expect(() => selectRungs({ topRung: 240, sourceWidthPx: 1920, sourceHeightPx: 1080 })).toThrow(
      RangeError,
    );
    expect(() => selectRungs({ topRung: 1080, sourceWidthPx: 0, sourceHeightPx: 1080 })).toThrow(RangeError);
    expect(() => selectRungs({ topRung: 1080, sourceWidthPx: 1920, sourceHeightPx: 10.5 })).toThrow(
      RangeError,
    );
  });
});

describe("LADDER_TOP_RUNGS", () => {
  it("are the heights of every rung but the smallest, top first", () => {
    // Assess
    expect([...LADDER_TOP_RUNGS]).toEqual(LADDER.slice(0, -1).map((r) => r.heightPx));
  });
});
