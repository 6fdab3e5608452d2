import type { H264Settings, JobSettings, Output, OutputGroup } from "@aws-sdk/client-mediaconvert";
import type { SourceFacts } from "../shared/contract/workflow";
import {
  AUDIO_SELECTOR,
  FRAGMENT_SECONDS,
  GOP_SECONDS,
  POSTER_OFFSET_MS,
  SEGMENT_SECONDS,
  buildJobSettings,
  type JobSettingsOptions,
} from "./job-settings";
import { LADDER } from "../shared/media/ladder";
import { outputLayout, sourceUri } from "../shared/media/output-layout";

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

  it("uses the same closed, fixed-cadence GOP in every encode, dividing the segment and fragment lengths", () => {
    // Act
    const { settings } = buildJobSettings(options());

    // Assess
    const encodes = h264Encodes(settings);
    expect(encodes.length).toBeGreaterThan(1);
    for (const encode of encodes) {
      expect(encode).toMatchObject({
        GopSize: GOP_SECONDS,
        GopSizeUnits: "SECONDS",
        GopClosedCadence: 1,
        MinIInterval: 0,
        SceneChangeDetect: "TRANSITION_DETECTION",
        FramerateControl: "INITIALIZE_FROM_SOURCE",
      });
    }
    expect(SEGMENT_SECONDS % GOP_SECONDS).toBe(0);
    expect(FRAGMENT_SECONDS % GOP_SECONDS).toBe(0);
    expect(SEGMENT_SECONDS % FRAGMENT_SECONDS).toBe(0);
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
