import type { FrameRate, ProbeResult, Track } from "@aws-sdk/client-mediaconvert";
import type { SourceFacts } from "../shared/contract/workflow";
import type { ProbeOutcome } from "./probe";
import {
  emptySource,
  noVideoTrack,
  unreadableSource,
  unsupportedExtension,
  type Rejection,
} from "./rejections";

/**
 * The checks a source must pass before it may reach MediaConvert, cheapest first. Pure: the probe
 * itself is done by probe.ts, this only reads its outcome.
 */

export type Verdict = { readonly facts: SourceFacts } | { readonly rejection: Rejection };

/** `ACCEPTED_EXTENSIONS` ("mp4, .MOV,mkv") → ["mp4", "mov", "mkv"]. Refuses an empty list. */
export function parseAcceptedExtensions(value: string): readonly string[] {
  const extensions = value
    .split(",")
    .map((extension) => extension.trim().replace(/^\./, "").toLowerCase())
    .filter((extension) => extension !== "");
  if (extensions.length === 0) throw new Error("ACCEPTED_EXTENSIONS lists no extension");
  return [...new Set(extensions)];
}

/** Case-insensitive: `LECTURE.MOV` is a mov. */
export function checkExtension(title: string, accepted: readonly string[]): Rejection | undefined {
  const dot = title.lastIndexOf(".");
  const extension = dot > 0 ? title.slice(dot + 1).toLowerCase() : "";
  return accepted.includes(extension) ? undefined : unsupportedExtension(title, accepted);
}

export function checkSize(title: string, sizeBytes: number): Rejection | undefined {
  return sizeBytes > 0 ? undefined : emptySource(title);
}

/**
 * Facts from the first video track that has a picture size and a duration (the track's, else the
 * container's; Probe reports seconds). `hasAudio` decides whether the ladder gets an audio rendition.
 */
export function verdictFromProbe(title: string, outcome: ProbeOutcome): Verdict {
  if ("unreadable" in outcome) return { rejection: unreadableSource(title, outcome.unreadable) };
  const container = outcome.result?.Container;
  const tracks = container?.Tracks ?? [];
  if (container?.Format === undefined && tracks.length === 0) {
    return { rejection: unreadableSource(title, "it is not a media format MediaConvert recognises.") };
  }
  const videoTracks = tracks.filter((track) => track.TrackType === "video");
  if (videoTracks.length === 0) return { rejection: noVideoTrack(title, describeTracks(tracks)) };

  for (const track of videoTracks) {
    const facts = factsOf(track, outcome.result, tracks);
    if (facts !== undefined) return { facts };
  }
  return {
    rejection: unreadableSource(title, "its video track has no readable picture size or duration."),
  };
}

function factsOf(
  track: Track,
  result: ProbeResult | undefined,
  tracks: readonly Track[],
): SourceFacts | undefined {
  const video = track.VideoProperties;
  // A phone's portrait video is usually stored landscape with a 90°/270° rotation flag; the job
  // rotates it (VideoSelector Rotate AUTO), so the ladder must see the displayed size.
  const rotation = (((video?.Rotation ?? video?.CodecMetadata?.Rotation ?? 0) % 360) + 360) % 360;
  const quarterTurn = rotation === 90 || rotation === 270;
  const widthPx = (quarterTurn ? video?.Height : video?.Width) ?? 0;
  const heightPx = (quarterTurn ? video?.Width : video?.Height) ?? 0;
  const durationSeconds = track.Duration ?? result?.Container?.Duration ?? 0;
  if (widthPx <= 0 || heightPx <= 0 || durationSeconds <= 0) return undefined;
  const frameRate = frameRateOf(video?.FrameRate);
  return {
    widthPx,
    heightPx,
    durationMs: Math.round(durationSeconds * 1000),
    hasAudio: tracks.some((candidate) => candidate.TrackType === "audio"),
    ...(frameRate ? { frameRate } : {}),
  };
}

/** Probe's `FrameRate` fraction when both terms are positive whole numbers; otherwise none is known. */
function frameRateOf(rate: FrameRate | undefined): SourceFacts["frameRate"] {
  const numerator = rate?.Numerator;
  const denominator = rate?.Denominator;
  const whole = (n: number | undefined): n is number => Number.isInteger(n) && (n ?? 0) > 0;
  return whole(numerator) && whole(denominator) ? { numerator, denominator } : undefined;
}

/** ["an audio track", "2 data tracks"] — for the NoVideoTrack message. */
function describeTracks(tracks: readonly Track[]): string[] {
  const counts = new Map<string, number>();
  for (const track of tracks) {
    const type = track.TrackType ?? "unknown";
    counts.set(type, (counts.get(type) ?? 0) + 1);
  }
  return [...counts].map(([type, count]) =>
    count === 1 ? `${/^[aeiou]/.test(type) ? "an" : "a"} ${type} track` : `${count} ${type} tracks`,
  );
}
