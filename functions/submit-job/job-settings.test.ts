import type { H264Settings, JobSettings, Output, OutputGroup } from "@aws-sdk/client-mediaconvert";
import type { SourceFacts } from "../shared/contract/workflow";
import { fitsCodec, MAX_DIMENSION_PX, MIN_DIMENSION_PX } from "../shared/media/codec-limits";
import { LADDER } from "../shared/media/ladder";
import { outputLayout, sourceUri } from "../shared/media/output-layout";
import { FRAGMENT_SECONDS, SEGMENT_SECONDS } from "../shared/media/packaging";
import { AUDIO_SELECTOR, POSTER_OFFSET_MS, buildJobSettings, type JobSettingsOptions } from "./job-settings";

const USER_KEY = "uploads/ünïcode talks/lecture 01 (final) c++ 50%.mov";
const HD: SourceFacts = { widthPx: 1920, heightPx: 1080, durationMs: 600_000, hasAudio: true };

function options(overrides: Partial<JobSettingsOptions> = {}): JobSettingsOptions {
  return {
    sourceUri: sourceUri("vod-source", USER_KEY),
    layout: outputLayout("vod-output", "uploads_lecture-01_1a2b3c", "0123456789ab"),
    facts: HD,
    topRung: 1080,
    packagingSource: "hls-ts",
    ...overrides,
  };
}

function group(settings: JobSettings, type: string): OutputGroup | undefined {
  return settings.OutputGroups?.find((g) => g.OutputGroupSettings?.Type === type);
}

function cmaf(settings: JobSettings): OutputGroup {
  const found = group(settings, "CMAF_GROUP_SETTINGS");
  if (!found) throw new Error("no CMAF group");
  return found;
}

function outputs(g: OutputGroup | undefined): Output[] {
  return g?.Outputs ?? [];
}

function h264Of(output: Output): H264Settings | undefined {
  return output.VideoDescription?.CodecSettings?.H264Settings;
}

/** Every H.264 encode in the job, across groups. */
function h264Encodes(settings: JobSettings): H264Settings[] {
  return (settings.OutputGroups ?? []).flatMap(outputs).flatMap((o) => h264Of(o) ?? []);
}

function destinations(settings: JobSettings): (string | undefined)[] {
  return (settings.OutputGroups ?? []).map((g) => {
    const s = g.OutputGroupSettings;
    return (
      s?.CmafGroupSettings?.Destination ??
      s?.HlsGroupSettings?.Destination ??
      s?.FileGroupSettings?.Destination
    );
  });
}

describe("buildJobSettings", () => {
  it("writes one CMAF group with both HLS and DASH manifests over 4-second segments", () => {
    // Act
    const { settings } = buildJobSettings(options());

    // Assess
    const groups = settings.OutputGroups?.filter(
      (g) => g.OutputGroupSettings?.Type === "CMAF_GROUP_SETTINGS",
    );
    expect(groups).toHaveLength(1);
    const cmafSettings = cmaf(settings).OutputGroupSettings?.CmafGroupSettings;
    expect(cmafSettings).toMatchObject({
      WriteHlsManifest: "ENABLED",
      WriteDashManifest: "ENABLED",
      SegmentControl: "SEGMENTED_FILES",
      SegmentLength: 4,
      FragmentLength: FRAGMENT_SECONDS,
    });
  });

  it("gives each CMAF output exactly one stream: a video-only output per rung and one audio-only output", () => {
    // Act
    const { settings, renditions } = buildJobSettings(options());

    // Assess
    const cmafOutputs = outputs(cmaf(settings));
    for (const output of cmafOutputs) {
      expect(output.ContainerSettings?.Container).toBe("CMFC");
      const streams = (output.VideoDescription ? 1 : 0) + (output.AudioDescriptions?.length ?? 0);
      expect(streams).toBe(1);
    }
    expect(cmafOutputs.filter((o) => o.VideoDescription)).toHaveLength(renditions.length);
    expect(cmafOutputs.filter((o) => o.AudioDescriptions)).toHaveLength(1);
  });

  it("names every output in a group differently, as MediaConvert requires for groups with several outputs", () => {
    // Act
    const { settings } = buildJobSettings(options());

    // Assess
    for (const g of settings.OutputGroups ?? []) {
      const modifiers = outputs(g).map((o) => o.NameModifier);
      expect(modifiers.every((m) => typeof m === "string" && m.length > 0)).toBe(true);
      expect(new Set(modifiers).size).toBe(modifiers.length);
    }
  });

  it("encodes every rung with H.264 QVBR at the ladder's cap and quality level", () => {
    // Act
    const { settings, renditions } = buildJobSettings(options());

    // Assess
    const videoOutputs = outputs(cmaf(settings)).filter((o) => o.VideoDescription);
    videoOutputs.forEach((output, i) => {
      const rung = LADDER.find((r) => r.heightPx === renditions[i]?.heightPx);
      expect(output.VideoDescription?.CodecSettings?.Codec).toBe("H_264");
      expect(output.VideoDescription).toMatchObject({
        Width: renditions[i]?.widthPx,
        Height: renditions[i]?.heightPx,
      });
      expect(h264Of(output)).toMatchObject({
        RateControlMode: "QVBR",
        MaxBitrate: rung?.maxBitrate,
        QvbrSettings: { QvbrQualityLevel: rung?.qvbrQualityLevel },
      });
    });
  });

  it.each([
    ["23.976", 24_000, 1001, 48],
    ["24", 24, 1, 48],
    ["25", 25, 1, 50],
    ["29.97", 30_000, 1001, 60],
    ["30", 30, 1, 60],
    ["50", 50, 1, 100],
    ["59.94", 60_000, 1001, 120],
    ["60", 60, 1, 120],
  ])(
    "sizes the GOP of a %s fps source (%i/%i) in frames, %i to a closed GOP, one GOP per CMAF fragment in every encode",
    (_label, numerator, denominator, frames) => {
      // Act
      const { settings } = buildJobSettings(
        options({ facts: { ...HD, frameRate: { numerator, denominator } } }),
      );

      // Assess
      const encodes = h264Encodes(settings);
      expect(encodes.length).toBeGreaterThan(1);
      for (const encode of encodes) {
        expect(encode).toMatchObject({
          GopSize: frames,
          GopSizeUnits: "FRAMES",
          GopClosedCadence: 1,
          MinIInterval: 0,
          SceneChangeDetect: "TRANSITION_DETECTION",
          FramerateControl: "INITIALIZE_FROM_SOURCE",
        });
      }
      // setting-the-fragment-length.html: FragmentLength is a whole multiple of GopSize × cadence ÷ rate,
      // the rate read at its nominal value (29.97 as 30); segments are whole GOPs too.
      const nominal = Math.round(numerator / denominator);
      const fragment = cmaf(settings).OutputGroupSettings?.CmafGroupSettings?.FragmentLength ?? 0;
      expect(Number.isInteger((fragment * nominal) / frames)).toBe(true);
      expect((fragment * nominal) / frames).toBeGreaterThanOrEqual(1);
      expect(Number.isInteger((SEGMENT_SECONDS * nominal) / frames)).toBe(true);
    },
  );

  it("leaves the GOP size to MediaConvert (AUTO) when Probe gave no frame rate, keeping GOPs closed", () => {
    // Act
    const { settings } = buildJobSettings(options({ facts: HD }));

    // Assess
    for (const encode of h264Encodes(settings)) {
      expect(encode.GopSizeUnits).toBe("AUTO");
      expect(encode.GopSize).toBeUndefined();
      expect(encode.GopClosedCadence).toBe(1);
    }
  });

  it.each([
    ["a variable-rate phone recording's average", 1_000_000, 33_367],
    ["a rounded 29.97", 2997, 100],
    ["a half-frame rate", 25, 2],
    ["a zero rate", 0, 1],
  ])("leaves the GOP size to MediaConvert (AUTO) for %s (%i/%i)", (_what, numerator, denominator) => {
    // Act
    const { settings } = buildJobSettings(
      options({ facts: { ...HD, frameRate: { numerator, denominator } } }),
    );

    // Assess
    for (const encode of h264Encodes(settings)) {
      expect(encode.GopSizeUnits).toBe("AUTO");
      expect(encode.GopSize).toBeUndefined();
    }
  });

  it("cuts CMAF fragments to a whole number of seconds that divides the segment length", () => {
    // Act
    const { settings } = buildJobSettings(options());

    // Assess
    const cmafSettings = cmaf(settings).OutputGroupSettings?.CmafGroupSettings;
    expect(cmafSettings?.FragmentLength).toBe(FRAGMENT_SECONDS);
    expect(cmafSettings?.SegmentLength).toBe(SEGMENT_SECONDS);
    expect(Number.isInteger(FRAGMENT_SECONDS)).toBe(true);
    expect(SEGMENT_SECONDS % FRAGMENT_SECONDS).toBe(0);
  });

  it.each<[string, SourceFacts, number]>([
    [
      "32:9 ultra-wide 7680×2160",
      { widthPx: 7680, heightPx: 2160, durationMs: 60_000, hasAudio: true },
      2160,
    ],
    [
      "4608×1080 under a 1080 top rung",
      { widthPx: 4608, heightPx: 1080, durationMs: 60_000, hasAudio: true },
      1080,
    ],
    ["8K 7680×4320", { widthPx: 7680, heightPx: 4320, durationMs: 60_000, hasAudio: true }, 2160],
    ["DCI 4K 4096×2160", { widthPx: 4096, heightPx: 2160, durationMs: 60_000, hasAudio: true }, 2160],
    ["portrait 4K 2160×3840", { widthPx: 2160, heightPx: 3840, durationMs: 60_000, hasAudio: true }, 2160],
    [
      "portrait DCI 4K 2160×4096",
      { widthPx: 2160, heightPx: 4096, durationMs: 60_000, hasAudio: true },
      2160,
    ],
    ["tiny 160×90", { widthPx: 160, heightPx: 90, durationMs: 60_000, hasAudio: false }, 1080],
    ["odd-sized 161×91", { widthPx: 161, heightPx: 91, durationMs: 60_000, hasAudio: false }, 1080],
    [
      "one-frame 1920×1080 at 23.976",
      {
        widthPx: 1920,
        heightPx: 1080,
        durationMs: 42,
        hasAudio: false,
        frameRate: { numerator: 24_000, denominator: 1001 },
      },
      1080,
    ],
  ])(
    "builds only pictures MediaConvert can encode for a %s source, the poster included",
    (_what, facts, topRung) => {
      // Act
      const { settings } = buildJobSettings(options({ facts, topRung }));

      // Assess
      const videos = (settings.OutputGroups ?? []).flatMap(outputs).flatMap((o) => o.VideoDescription ?? []);
      expect(videos.some((v) => v.CodecSettings?.Codec === "FRAME_CAPTURE")).toBe(true);
      for (const video of videos) {
        const size = { widthPx: video.Width ?? 0, heightPx: video.Height ?? 0 };
        for (const side of [size.widthPx, size.heightPx]) {
          expect(side % 2).toBe(0);
          expect(side).toBeGreaterThanOrEqual(MIN_DIMENSION_PX);
          expect(side).toBeLessThanOrEqual(MAX_DIMENSION_PX);
        }
        expect(fitsCodec(video.CodecSettings?.Codec ?? "H_264", size)).toBe(true);
        expect(size.heightPx > size.widthPx).toBe(facts.heightPx > facts.widthPx);
      }
    },
  );

  it("sizes the poster of an ultra-wide source like its top rung, 4096×1152", () => {
    // Act
    const { settings, renditions } = buildJobSettings(
      options({
        topRung: 2160,
        facts: { widthPx: 7680, heightPx: 2160, durationMs: 60_000, hasAudio: true },
      }),
    );

    // Assess
    const [poster] = outputs(group(settings, "FILE_GROUP_SETTINGS"));
    expect(poster?.VideoDescription).toMatchObject({ Width: 4096, Height: 1152 });
    expect(renditions[0]).toMatchObject({ widthPx: 4096, heightPx: 1152 });
  });

  it("cuts segments on GOP boundaries in both streaming groups", () => {
    // Act
    const { settings } = buildJobSettings(options());

    // Assess
    const hls = group(settings, "HLS_GROUP_SETTINGS")?.OutputGroupSettings?.HlsGroupSettings;
    const cmafSettings = cmaf(settings).OutputGroupSettings?.CmafGroupSettings;
    expect(cmafSettings?.SegmentLengthControl).toBe("GOP_MULTIPLE");
    expect(hls?.SegmentLengthControl).toBe("GOP_MULTIPLE");
    expect(hls?.SegmentLength).toBe(cmafSettings?.SegmentLength);
  });

  it("encodes audio as AAC-LC stereo at 48 kHz from the input's audio selector", () => {
    // Act
    const { settings } = buildJobSettings(options());

    // Assess
    const audio = outputs(cmaf(settings)).flatMap((o) => o.AudioDescriptions ?? []);
    expect(audio).toHaveLength(1);
    expect(audio[0]).toMatchObject({
      AudioSourceName: AUDIO_SELECTOR,
      CodecSettings: {
        Codec: "AAC",
        AacSettings: { CodecProfile: "LC", CodingMode: "CODING_MODE_2_0", SampleRate: 48_000 },
      },
    });
    expect(settings.Inputs?.[0]?.AudioSelectors?.[AUDIO_SELECTOR]).toEqual({ DefaultSelection: "DEFAULT" });
  });

  it("adds an HLS group with TS segments and audio muxed into each rung for packagingSource hls-ts", () => {
    // Act
    const { settings, renditions } = buildJobSettings(options({ packagingSource: "hls-ts" }));

    // Assess
    const hls = group(settings, "HLS_GROUP_SETTINGS");
    expect(hls?.OutputGroupSettings?.HlsGroupSettings).toMatchObject({
      SegmentControl: "SEGMENTED_FILES",
      SegmentLength: 4,
      OutputSelection: "MANIFESTS_AND_SEGMENTS",
    });
    const hlsOutputs = outputs(hls);
    expect(hlsOutputs).toHaveLength(renditions.length);
    for (const output of hlsOutputs) {
      expect(output.ContainerSettings?.Container).toBe("M3U8");
      expect(output.VideoDescription).toBeDefined();
      expect(output.AudioDescriptions?.[0]?.AudioSourceName).toBe(AUDIO_SELECTOR);
    }
  });

  it("writes no HLS-TS group for packagingSource cmaf", () => {
    // Act
    const { settings } = buildJobSettings(options({ packagingSource: "cmaf" }));

    // Assess
    expect(group(settings, "HLS_GROUP_SETTINGS")).toBeUndefined();
    expect(settings.OutputGroups?.map((g) => g.OutputGroupSettings?.Type)).toEqual([
      "CMAF_GROUP_SETTINGS",
      "FILE_GROUP_SETTINGS",
    ]);
  });

  it("has no audio selector and no audio in any output when the source has no audio", () => {
    // Act
    const { settings } = buildJobSettings(options({ facts: { ...HD, hasAudio: false } }));

    // Assess
    expect(settings.Inputs?.[0]?.AudioSelectors).toBeUndefined();
    const allOutputs = (settings.OutputGroups ?? []).flatMap(outputs);
    expect(allOutputs.filter((o) => o.AudioDescriptions !== undefined)).toEqual([]);
    expect(outputs(cmaf(settings)).every((o) => o.VideoDescription)).toBe(true);
  });

  it("captures a poster JPEG into the layout's poster destination, with the layout's name modifier", () => {
    // Prepare
    const layout = outputLayout("vod-output", "asset", "0123456789ab");

    // Act
    const { settings, renditions } = buildJobSettings(options({ layout }));

    // Assess
    const file = group(settings, "FILE_GROUP_SETTINGS");
    expect(file?.OutputGroupSettings?.FileGroupSettings?.Destination).toBe(layout.poster.destination);
    const [poster] = outputs(file);
    expect(outputs(file)).toHaveLength(1);
    expect(poster?.NameModifier).toBe(layout.poster.nameModifier);
    expect(poster?.ContainerSettings?.Container).toBe("RAW");
    expect(poster?.VideoDescription).toMatchObject({
      Width: renditions[0]?.widthPx,
      Height: renditions[0]?.heightPx,
    });
    expect(poster?.VideoDescription?.CodecSettings).toEqual({
      Codec: "FRAME_CAPTURE",
      FrameCaptureSettings: {
        FramerateNumerator: 1000,
        FramerateDenominator: POSTER_OFFSET_MS,
        MaxCaptures: 2,
        Quality: 80,
      },
    });
    expect(layout.poster.image.endsWith(`${layout.poster.nameModifier}.0000001.jpg`)).toBe(true);
  });

  it("takes the poster halfway through a source shorter than twice the poster offset", () => {
    // Act
    const { settings } = buildJobSettings(options({ facts: { ...HD, durationMs: 3_000 } }));

    // Assess
    const [poster] = outputs(group(settings, "FILE_GROUP_SETTINGS"));
    const capture = poster?.VideoDescription?.CodecSettings?.FrameCaptureSettings;
    expect(capture).toMatchObject({ FramerateNumerator: 1000, FramerateDenominator: 1_500, MaxCaptures: 2 });
  });

  it("writes to exactly the destinations of the layout", () => {
    // Prepare
    const layout = outputLayout("vod-output", "asset", "0123456789ab");

    // Act
    const { settings } = buildJobSettings(options({ layout }));

    // Assess
    expect(destinations(settings)).toEqual([
      layout.cmaf.destination,
      layout.hls.destination,
      layout.poster.destination,
    ]);
  });

  it("reads the source from the given URI with zero-based timecodes and lets no part of the key reach an output path", () => {
    // Prepare
    const input = options();

    // Act
    const { settings } = buildJobSettings(input);

    // Assess
    expect(settings.Inputs).toHaveLength(1);
    expect(settings.Inputs?.[0]).toMatchObject({ FileInput: input.sourceUri, TimecodeSource: "ZEROBASED" });
    expect(settings.Inputs?.[0]?.VideoSelector).toBeDefined();
    expect(settings.TimecodeConfig?.Source).toBe("ZEROBASED");
    const { Inputs: _inputs, ...outputSide } = settings;
    const serialized = JSON.stringify(outputSide);
    for (const fragment of ["ünïcode", "lecture 01", "(final)", "c++", "50%", ".mov", "uploads/"]) {
      expect(serialized).not.toContain(fragment);
    }
    for (const destination of destinations(settings))
      expect(destination).toMatch(/^s3:\/\/[a-z0-9.-]+\/[A-Za-z0-9_/-]+$/);
  });

  it("returns the renditions it encodes, never larger than the source", () => {
    // Act
    const { settings, renditions } = buildJobSettings(
      options({ topRung: 2160, facts: { widthPx: 1280, heightPx: 720, durationMs: 60_000, hasAudio: true } }),
    );

    // Assess
    expect(renditions).toEqual([
      { widthPx: 1280, heightPx: 720, maxBitrate: 6_000_000 },
      { widthPx: 854, heightPx: 480, maxBitrate: 2_500_000 },
      { widthPx: 640, heightPx: 360, maxBitrate: 1_500_000 },
    ]);
    const encoded = outputs(cmaf(settings))
      .filter((o) => o.VideoDescription)
      .map((o) => ({ widthPx: o.VideoDescription?.Width, heightPx: o.VideoDescription?.Height }));
    expect(encoded).toEqual(renditions.map(({ widthPx, heightPx }) => ({ widthPx, heightPx })));
  });
});
