import { LADDER, LADDER_VERSION, MIN_DIMENSION_PX, selectRungs, type Rung } from "./ladder";

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

  it("keeps a tiny source at MediaConvert's 32-pixel minimum", () => {
    // Act
    const [rung] = selectRungs({ topRung: 1080, sourceWidthPx: 64, sourceHeightPx: 20 });

    // Assess
    expect(rung).toMatchObject({ widthPx: 64, heightPx: MIN_DIMENSION_PX });
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
