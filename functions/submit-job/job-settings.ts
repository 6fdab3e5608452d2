import type {
  AudioDescription,
  AudioSelector,
  H264Settings,
  Input,
  JobSettings,
  Output,
  OutputGroup,
} from "@aws-sdk/client-mediaconvert";
import type { Rendition, SourceFacts } from "../shared/contract/workflow";
import { maximumFor } from "../shared/media/codec-limits";
import { gopFor, type GopPlan } from "../shared/media/gop";
import { LADDER_CODEC, selectRungs, type Rung } from "../shared/media/ladder";
import { POSTER_CAPTURE_INDEX, type OutputLayout } from "../shared/media/output-layout";
import { FRAGMENT_SECONDS, SEGMENT_SECONDS, type PackagingSource } from "../shared/media/packaging";

/**
 * Builds the MediaConvert `Settings` of a title's job from the ladder: pure data, typed against
 * `@aws-sdk/client-mediaconvert` so tsc checks every field name and enum value. The submit-job
 * handler adds the job-level fields (Role, Queue, UserMetadata, ClientRequestToken, StatusUpdateInterval).
 * https://docs.aws.amazon.com/mediaconvert/latest/apireference/jobs.html
 */

export { SEGMENT_SECONDS, type PackagingSource };

/** AAC-LC stereo; 128 kb/s and 48 kHz are in the valid sets for LC profile, coding mode 2.0. */
export const AAC_BITRATE = 128_000;
export const AAC_SAMPLE_RATE = 48_000;

/** The input's only audio selector; outputs name it in `AudioSourceName`. */
export const AUDIO_SELECTOR = "Audio Selector 1";

/** The poster is captured this far in, or halfway through a shorter source. */
export const POSTER_OFFSET_MS = 10_000;

export interface JobSettingsOptions {
  /** From `sourceUri(bucket, key)`: the raw key, never URL-encoded. */
  readonly sourceUri: string;
  readonly layout: OutputLayout;
  /** From MediaConvert Probe: decides the rungs, audio, and when the poster is captured. */
  readonly facts: SourceFacts;
  /** Highest rung height (px) the stack allows (`LADDER_TOP_RUNG`). */
  readonly topRung: number;
  readonly packagingSource: PackagingSource;
}

export interface BuiltJob {
  readonly settings: JobSettings;
  /** The renditions this job encodes, top first (for the catalogue row). */
  readonly renditions: Rendition[];
}

/**
 * The job's settings and the renditions it will produce:
 * - **CMAF group** (always): one video-only output per rung plus one audio-only AAC output, since a
 *   CMAF output carries a single stream; HLS and DASH manifests over one set of fMP4 segments.
 * - **HLS group with TS segments** (only for `packagingSource: "hls-ts"`): what MediaPackage VOD
 *   documents as an input; audio is muxed into each video output there.
 * - **File group with a frame capture** for the poster.
 * H.264 QVBR, closed GOPs one CMAF fragment long, counted in frames of the probed rate, on a fixed
 * cadence in every rung (so segments align across rungs and groups), 4-second segments, AAC-LC
 * stereo 48 kHz. A source without audio gets no audio
 * selector and no audio outputs: MediaConvert fails a job whose selector finds no audio.
 * https://docs.aws.amazon.com/mediaconvert/latest/ug/outputs-file-ABR.html
 *
 * @example
 * const { settings, renditions } = buildJobSettings({
 *   sourceUri: sourceUri("vod-source", "talks/c++ talk.mp4"),
 *   layout: outputLayout("vod-output", "talks_c-talk_1a2b3c", "0123456789ab"),
 *   facts: { widthPx: 1920, heightPx: 1080, durationMs: 60_000, hasAudio: true },
 *   topRung: 1080,
 *   packagingSource: "hls-ts",
 * });
 * // settings.OutputGroups: CMAF (4 video + 1 audio), Apple HLS (4 muxed), File Group (poster)
 * // renditions[0]: { widthPx: 1920, heightPx: 1080, maxBitrate: 8500000 }
 */
export function buildJobSettings(options: JobSettingsOptions): BuiltJob {
  const { sourceUri, layout, facts, topRung, packagingSource } = options;
  const rungs = selectRungs({ topRung, sourceWidthPx: facts.widthPx, sourceHeightPx: facts.heightPx });
  const top = rungs[0] as Rung;
  const gop = gopFor(facts.frameRate);
  const outputGroups: OutputGroup[] = [cmafGroup(layout, rungs, gop, facts.hasAudio)];
  if (packagingSource === "hls-ts") outputGroups.push(hlsTsGroup(layout, rungs, gop, facts.hasAudio));
  outputGroups.push(posterGroup(layout, top, facts.durationMs));
  return {
    settings: {
      TimecodeConfig: { Source: "ZEROBASED" },
      Inputs: [input(sourceUri, facts.hasAudio)],
      OutputGroups: outputGroups,
    },
    renditions: rungs.map(({ widthPx, heightPx, maxBitrate }) => ({ widthPx, heightPx, maxBitrate })),
  };
}

function input(fileInput: string, hasAudio: boolean): Input {
  const audioSelectors: Record<string, AudioSelector> = { [AUDIO_SELECTOR]: { DefaultSelection: "DEFAULT" } };
  return {
    FileInput: fileInput,
    // Phone recordings carry rotation metadata; MediaConvert ignores it unless told to rotate (.mov/.mp4).
    VideoSelector: { Rotate: "AUTO" },
    TimecodeSource: "ZEROBASED",
    ...(hasAudio ? { AudioSelectors: audioSelectors } : {}),
  };
}

/** One fMP4 segment set, described by both an HLS and a DASH manifest. */
function cmafGroup(
  layout: OutputLayout,
  rungs: readonly Rung[],
  gop: GopPlan,
  hasAudio: boolean,
): OutputGroup {
  const outputs: Output[] = rungs.map((rung) => ({
    NameModifier: `_${rung.name}`,
    ContainerSettings: { Container: "CMFC" },
    VideoDescription: video(rung, gop),
  }));
  if (hasAudio) {
    outputs.push({
      NameModifier: "_audio",
      ContainerSettings: { Container: "CMFC" },
      AudioDescriptions: [aac()],
    });
  }
  return {
    Name: "CMAF",
    CustomName: "Ladder",
    OutputGroupSettings: {
      Type: "CMAF_GROUP_SETTINGS",
      CmafGroupSettings: {
        Destination: layout.cmaf.destination,
        WriteHlsManifest: "ENABLED",
        WriteDashManifest: "ENABLED",
        SegmentControl: "SEGMENTED_FILES",
        SegmentLength: SEGMENT_SECONDS,
        // Segments end on a cadence GOP boundary rather than forcing extra I-frames at exactly 4.000 s,
        // so every rung (and the HLS-TS group) cuts at the same frames.
        SegmentLengthControl: "GOP_MULTIPLE",
        FragmentLength: FRAGMENT_SECONDS,
        // Main profile: the on-demand profile requires single-file segments.
        MpdProfile: "MAIN_PROFILE",
        // Segments run a frame or so past 4 s at 29.97 fps; precise durations keep DASH players in step.
        WriteSegmentTimelineInRepresentation: "ENABLED",
        ManifestDurationFormat: "FLOATING_POINT",
        StreamInfResolution: "INCLUDE",
        CodecSpecification: "RFC_6381",
      },
    },
    Outputs: outputs,
  };
}

/** TS segments for MediaPackage VOD; each output is one rung with the audio muxed in. */
function hlsTsGroup(
  layout: OutputLayout,
  rungs: readonly Rung[],
  gop: GopPlan,
  hasAudio: boolean,
): OutputGroup {
  return {
    Name: "Apple HLS",
    CustomName: "Packaging",
    OutputGroupSettings: {
      Type: "HLS_GROUP_SETTINGS",
      HlsGroupSettings: {
        Destination: layout.hls.destination,
        SegmentControl: "SEGMENTED_FILES",
        SegmentLength: SEGMENT_SECONDS,
        SegmentLengthControl: "GOP_MULTIPLE",
        MinSegmentLength: 0,
        OutputSelection: "MANIFESTS_AND_SEGMENTS",
        DirectoryStructure: "SINGLE_DIRECTORY",
        ManifestDurationFormat: "FLOATING_POINT",
        StreamInfResolution: "INCLUDE",
        CodecSpecification: "RFC_6381",
      },
    },
    Outputs: rungs.map((rung) => ({
      NameModifier: `_${rung.name}`,
      ContainerSettings: { Container: "M3U8", M3u8Settings: {} },
      VideoDescription: video(rung, gop),
      ...(hasAudio ? { AudioDescriptions: [aac()] } : {}),
    })),
  };
}

/**
 * A frame capture: capture 0 is the first frame (often black or a fade), capture 1 is the poster,
 * taken `POSTER_OFFSET_MS` in or halfway through a shorter source, so it exists for any source
 * longer than a frame and its file name is known before the job runs. The rate is
 * `FramerateNumerator / FramerateDenominator` frames per second (1000 / interval in ms).
 */
function posterGroup(layout: OutputLayout, top: Rung, durationMs: number): OutputGroup {
  const intervalMs =
    durationMs > 0 ? Math.max(1, Math.min(POSTER_OFFSET_MS, Math.floor(durationMs / 2))) : POSTER_OFFSET_MS;
  return {
    Name: "File Group",
    CustomName: "Poster",
    OutputGroupSettings: {
      Type: "FILE_GROUP_SETTINGS",
      FileGroupSettings: { Destination: layout.poster.destination },
    },
    Outputs: [
      {
        NameModifier: layout.poster.nameModifier,
        ContainerSettings: { Container: "RAW" },
        VideoDescription: {
          ...posterSize(top),
          CodecSettings: {
            Codec: "FRAME_CAPTURE",
            FrameCaptureSettings: {
              FramerateNumerator: 1000,
              FramerateDenominator: intervalMs,
              MaxCaptures: POSTER_CAPTURE_INDEX + 1,
              Quality: 80,
            },
          },
        },
      },
    ],
  };
}

/**
 * The poster is the top rung's picture, within the frame capture's own maximum (codec-limits.ts); the
 * top rung already fits H.264's smaller one, so this only holds if that ever changes.
 */
function posterSize(top: Rung): { Width: number; Height: number } {
  const box = maximumFor("FRAME_CAPTURE", top);
  const scale = Math.min(1, box.widthPx / top.widthPx, box.heightPx / top.heightPx);
  const fit = (side: number) => 2 * Math.floor((side * scale) / 2);
  return { Width: fit(top.widthPx), Height: fit(top.heightPx) };
}

/** One rung's H.264 encode, identical in both streaming groups. */
function video(rung: Rung, gop: GopPlan): Output["VideoDescription"] {
  return {
    Width: rung.widthPx,
    Height: rung.heightPx,
    // Letterbox rather than stretch if the picture does not match (e.g. rotation the probe missed).
    ScalingBehavior: "DEFAULT",
    CodecSettings: { Codec: LADDER_CODEC, H264Settings: h264(rung, gop) },
  };
}

function h264(rung: Rung, gop: GopPlan): H264Settings {
  return {
    RateControlMode: "QVBR",
    QvbrSettings: { QvbrQualityLevel: rung.qvbrQualityLevel },
    MaxBitrate: rung.maxBitrate,
    CodecProfile: "HIGH",
    CodecLevel: "AUTO",
    QualityTuningLevel: "SINGLE_PASS_HQ",
    InterlaceMode: "PROGRESSIVE",
    // Every rung keeps the source frame rate, so one GOP in frames is the same time in every rung.
    FramerateControl: "INITIALIZE_FROM_SOURCE",
    // One fragment per GOP, sized in frames from the probed rate (gop.ts); AUTO when that is unknown.
    ...(gop.units === "FRAMES" ? { GopSize: gop.frames, GopSizeUnits: "FRAMES" } : { GopSizeUnits: "AUTO" }),
    // Every GOP closed: a player can switch rungs at any segment boundary.
    GopClosedCadence: 1,
    // IDR frames only on the cadence; scene changes still get I-frames, but never move a GOP boundary.
    MinIInterval: 0,
    // AWS's recommendation for QVBR outputs; with MinIInterval 0 it keeps the cadence.
    SceneChangeDetect: "TRANSITION_DETECTION",
  };
}

function aac(): AudioDescription {
  return {
    AudioSourceName: AUDIO_SELECTOR,
    CodecSettings: {
      Codec: "AAC",
      AacSettings: {
        CodecProfile: "LC",
        CodingMode: "CODING_MODE_2_0",
        SampleRate: AAC_SAMPLE_RATE,
        Bitrate: AAC_BITRATE,
        RateControlMode: "CBR",
      },
    },
  };
}
