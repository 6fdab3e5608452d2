import { checkExtension, checkSize, parseAcceptedExtensions, verdictFromProbe } from "./validate";
import { probeResult } from "./test-support";

const ACCEPTED = ["mp4", "mov", "mkv"];

describe("parseAcceptedExtensions", () => {
  it("trims, lower-cases and drops dots and duplicates", () => {
    expect(parseAcceptedExtensions(" mp4, .MOV,mkv,,mp4 ")).toEqual(["mp4", "mov", "mkv"]);
  });

  it("refuses a list without any extension", () => {
    expect(() => parseAcceptedExtensions(" , ")).toThrow("ACCEPTED_EXTENSIONS lists no extension");
  });
});

describe("checkExtension", () => {
  it("accepts an accepted extension in any case", () => {
    expect(checkExtension("LECTURE 01.MOV", ACCEPTED)).toBeUndefined();
  });

  it("rejects other extensions, naming the accepted ones", () => {
    expect(checkExtension("notes.txt", ACCEPTED)).toEqual({
      code: "Vod.UnsupportedExtension",
      message: "'notes.txt' is not a video: accepted extensions are mp4, mov, mkv.",
    });
  });

  it("rejects a file without an extension", () => {
    expect(checkExtension("README", ACCEPTED)).toEqual({
      code: "Vod.UnsupportedExtension",
      message: "'README' has no file extension: accepted extensions are mp4, mov, mkv.",
    });
  });
});

describe("checkSize", () => {
  it("rejects an empty file and accepts one byte", () => {
    expect(checkSize("empty.mp4", 0)?.code).toBe("Vod.EmptySource");
    expect(checkSize("tiny.mp4", 1)).toBeUndefined();
  });
});

describe("verdictFromProbe", () => {
  it("reads picture size, duration in milliseconds and audio from the first video track", () => {
    // Act
    const verdict = verdictFromProbe("a.mp4", {
      result: probeResult({ width: 3840, height: 2160, seconds: 61.0004 }),
    });

    // Assess
    expect(verdict).toEqual({ facts: { widthPx: 3840, heightPx: 2160, durationMs: 61000, hasAudio: true } });
  });

  it("says there is no audio when Probe finds no audio track", () => {
    const verdict = verdictFromProbe("a.mp4", {
      result: probeResult({ width: 640, height: 360, seconds: 5, audio: false }),
    });
    expect(verdict).toEqual({ facts: { widthPx: 640, heightPx: 360, durationMs: 5000, hasAudio: false } });
  });

  it("reports a phone video stored landscape with a 90° rotation flag as portrait", () => {
    // Prepare
    const result = probeResult({ width: 1920, height: 1080, seconds: 30 });
    const video = result.Container?.Tracks?.[0]?.VideoProperties;
    if (video) video.Rotation = 90;

    // Act
    const verdict = verdictFromProbe("phone.mov", { result });

    // Assess
    expect(verdict).toMatchObject({ facts: { widthPx: 1080, heightPx: 1920 } });
  });

  it("records the video track's frame rate as Probe's fraction, for sizing GOPs", () => {
    // Prepare
    const result = probeResult({ width: 1920, height: 1080, seconds: 10 });
    const video = result.Container?.Tracks?.[0]?.VideoProperties;
    if (video) video.FrameRate = { Numerator: 24_000, Denominator: 1001 };

    // Act
    const verdict = verdictFromProbe("film.mov", { result });

    // Assess
    expect(verdict).toEqual({
      facts: {
        widthPx: 1920,
        heightPx: 1080,
        durationMs: 10_000,
        hasAudio: true,
        frameRate: { numerator: 24_000, denominator: 1001 },
      },
    });
  });

  it.each([
    ["no denominator", { Numerator: 30 }],
    ["a zero numerator", { Numerator: 0, Denominator: 1 }],
    ["a fractional term", { Numerator: 29.97, Denominator: 1 }],
  ])("records no frame rate when Probe's has %s", (_what, frameRate) => {
    // Prepare
    const result = probeResult({ width: 1920, height: 1080, seconds: 10 });
    const video = result.Container?.Tracks?.[0]?.VideoProperties;
    if (video) video.FrameRate = frameRate;

    // Act
    const verdict = verdictFromProbe("a.mp4", { result });

    // Assess
    expect(verdict).toEqual({ facts: { widthPx: 1920, heightPx: 1080, durationMs: 10_000, hasAudio: true } });
  });

  it("falls back to the container's duration when the track has none", () => {
    // Prepare
    const result = probeResult({ width: 1280, height: 720, seconds: 12.5 });
    delete result.Container?.Tracks?.[0]?.Duration;

    // Act
    const verdict = verdictFromProbe("a.mp4", { result });

    // Assess
    expect(verdict).toMatchObject({ facts: { durationMs: 12500 } });
  });

  it("rejects as unreadable a video track without a picture size", () => {
    // Prepare
    const result = probeResult({ width: 0, height: 0, seconds: 12.5 });

    // Act
    const verdict = verdictFromProbe("a.mp4", { result });

    // Assess
    expect(verdict).toEqual({
      rejection: {
        code: "Vod.UnreadableSource",
        message:
          "MediaConvert could not read 'a.mp4': its video track has no readable picture size or duration.",
      },
    });
  });

  it("rejects as unreadable a file in a format Probe does not recognise", () => {
    expect(verdictFromProbe("a.mp4", { result: { Container: { Tracks: [] } } })).toEqual({
      rejection: {
        code: "Vod.UnreadableSource",
        message: "MediaConvert could not read 'a.mp4': it is not a media format MediaConvert recognises.",
      },
    });
  });

  it("names what Probe found when there is no video track", () => {
    // Prepare
    const result = {
      Container: {
        Format: "matroska" as const,
        Tracks: [
          { TrackType: "audio" as const },
          { TrackType: "data" as const },
          { TrackType: "data" as const },
        ],
      },
    };

    // Act
    const verdict = verdictFromProbe("a.mkv", { result });

    // Assess
    expect(verdict).toEqual({
      rejection: {
        code: "Vod.NoVideoTrack",
        message: "'a.mkv' has no video track (MediaConvert found only an audio track and 2 data tracks).",
      },
    });
  });

  it("passes MediaConvert's own words on for a file it cannot read", () => {
    expect(verdictFromProbe("a.mp4", { unreadable: "The input file appears to be corrupt." })).toEqual({
      rejection: {
        code: "Vod.UnreadableSource",
        message: "MediaConvert could not read 'a.mp4': The input file appears to be corrupt.",
      },
    });
  });
});
