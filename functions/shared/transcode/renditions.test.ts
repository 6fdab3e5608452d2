import { producedRenditions } from "./renditions";

describe("producedRenditions", () => {
  const planned = [
    { widthPx: 1920, heightPx: 1080, maxBitrate: 8_500_000 },
    { widthPx: 1280, heightPx: 720, maxBitrate: 6_000_000 },
  ];

  it("keeps the planned rungs that were produced, with the produced size and the rung's bitrate", () => {
    // Act
    const renditions = producedRenditions(planned, [{ widthPx: 1278, heightPx: 720 }]);

    // Assess
    expect(renditions).toEqual([{ widthPx: 1278, heightPx: 720, maxBitrate: 6_000_000 }]);
  });

  it("recognises a rung that came out with its sides swapped", () => {
    // Act
    const renditions = producedRenditions(planned, [{ widthPx: 1080, heightPx: 1920 }]);

    // Assess
    expect(renditions).toEqual([{ widthPx: 1080, heightPx: 1920, maxBitrate: 8_500_000 }]);
  });
});
