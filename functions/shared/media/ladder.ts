import type { VideoCodec } from "@aws-sdk/client-mediaconvert";
import { MIN_DIMENSION_PX, maximumFor, type PictureSize } from "./codec-limits";

/**
 * The ladder is data: the H.264 renditions this pipeline may encode, and the rule that picks the
 * ones a given source gets (a per-title ladder that never upscales).
 *
 * Maximum bitrates and QVBR quality levels follow the values AWS publishes for QVBR ladders in the
 * "Video on Demand on AWS" solution (2160p 15 Mbps/9, 1080p 8.5 Mbps/8, 720p 6 Mbps/8, 360p 1.5 Mbps/7);
 * 1440p and 480p sit between their neighbours. Under QVBR the quality level drives the bitrate and
 * the maximum only caps complex scenes, so simple content costs less than the cap.
 * https://docs.aws.amazon.com/solutions/latest/video-on-demand-on-aws/mediaconvert-templates.html
 * https://docs.aws.amazon.com/mediaconvert/latest/ug/cbr-vbr-qvbr.html
 */

/**
 * Bump when a rung, bitrate or quality level changes, so catalogue rows say which ladder encoded them.
 * v2: rungs fit H.264's maximum picture (codec-limits.ts); GOPs in frames of the probed rate (gop.ts).
 */
export const LADDER_VERSION = "2025-h264-qvbr-v2";

/** One rendition the ladder can encode. Widths in `LADDER` are for 16:9 landscape sources. */
export interface Rung {
  /** `<short side>p`, e.g. "1080p"; also the rendition's name modifier in output file names. */
  readonly name: string;
  readonly widthPx: number;
  readonly heightPx: number;
  /** QVBR `MaxBitrate`, bits per second. */
  readonly maxBitrate: number;
  /** QVBR `QvbrQualityLevel`, 1–10 (MediaConvert H264QvbrSettings). */
  readonly qvbrQualityLevel: number;
}

/** Top rung first. */
export const LADDER: readonly Rung[] = Object.freeze([
  rung(3840, 2160, 15_000_000, 9),
  rung(2560, 1440, 11_000_000, 8),
  rung(1920, 1080, 8_500_000, 8),
  rung(1280, 720, 6_000_000, 8),
  rung(854, 480, 2_500_000, 7),
  rung(640, 360, 1_500_000, 7),
]);

/**
 * Heights (px) a ladder may top out at: the config `ladderTopRung` (infra/config.ts) takes one of
 * these. Every rung but the smallest, which is always produced.
 */
export const LADDER_TOP_RUNGS = [2160, 1440, 1080, 720, 480] as const;
export type LadderTopRung = (typeof LADDER_TOP_RUNGS)[number];

/** The codec every rung is encoded with; its maximum picture (codec-limits.ts) bounds every rung. */
export const LADDER_CODEC = "H_264" satisfies VideoCodec;

/** A sub-360p rung never gets less than this cap, however few pixels it has. */
const MIN_NATIVE_BITRATE = 200_000;

export interface RungSelection {
  /** Highest rung height (px) the stack allows (`LADDER_TOP_RUNG`). */
  readonly topRung: number;
  readonly sourceWidthPx: number;
  readonly sourceHeightPx: number;
}

/**
 * The rungs a source gets, top first. A rung's height is read as the picture's *short side*, so a
 * portrait source gets portrait renditions of the same pixel budget (the 1080p rung of a 1080×1920
 * phone video is 1080×1920, not 608×1080). Rungs above `topRung` or above the source's short side
 * are dropped: the ladder never upscales. The long side follows the source's aspect ratio, rounded
 * to an even number and never beyond the source. A source smaller than the smallest rung gets
 * exactly one rung at its own (even) size, with a bitrate cap scaled to its pixel count.
 *
 * Every rung then fits H.264's maximum picture, 4096×2160 or 2160×4096 (codec-limits.ts): a wider
 * source (32:9, 4608×1080) has both sides shrunk, keeping its shape, and such a rung is named by its
 * new short side ("1152p"). Rungs that shrink to the same picture are encoded once, as the highest
 * of them. A source whose short side is under MediaConvert's 32-pixel minimum is brought up to it,
 * long side in proportion, rather than letterboxed into a frame of another shape.
 *
 * @example selectRungs({ topRung: 1080, sourceWidthPx: 3840, sourceHeightPx: 2160 }).map((r) => r.name)
 *   // ["1080p", "720p", "480p", "360p"]
 * @example selectRungs({ topRung: 1080, sourceWidthPx: 1080, sourceHeightPx: 1920 })[0]
 *   // { name: "1080p", widthPx: 1080, heightPx: 1920, maxBitrate: 8500000, qvbrQualityLevel: 8 }
 * @example selectRungs({ topRung: 1080, sourceWidthPx: 320, sourceHeightPx: 240 })
 *   // [{ name: "240p", widthPx: 320, heightPx: 240, ... }]
 * @example selectRungs({ topRung: 2160, sourceWidthPx: 7680, sourceHeightPx: 2160 }).map((r) => r.name)
 *   // ["1152p", "1080p", "720p", "480p", "360p"]: 4096×1152, 3840×1080, …
 */
export function selectRungs(options: RungSelection): Rung[] {
  const { topRung, sourceWidthPx, sourceHeightPx } = options;
  assertPixels("sourceWidthPx", sourceWidthPx);
  assertPixels("sourceHeightPx", sourceHeightPx);
  const smallest = LADDER[LADDER.length - 1] as Rung;
  if (!Number.isFinite(topRung) || topRung < smallest.heightPx) {
    throw new RangeError(`topRung must be at least ${smallest.heightPx} (the smallest rung), got ${topRung}`);
  }
  const source = { widthPx: sourceWidthPx, heightPx: sourceHeightPx };
  const shortSide = Math.min(sourceWidthPx, sourceHeightPx);
  const fitting = LADDER.filter((r) => r.heightPx <= topRung && r.heightPx <= shortSide);
  if (fitting.length === 0) return [withinCodec(nativeRung(source, smallest), source)];
  const rungs: Rung[] = [];
  for (const template of fitting) {
    const rung = withinCodec(fitToSource(template, source), source);
    const previous = rungs[rungs.length - 1];
    if (previous?.widthPx === rung.widthPx && previous.heightPx === rung.heightPx) continue;
    rungs.push(rung);
  }
  return rungs;
}

type Size = PictureSize;

/** The rung's short side, the source's aspect ratio and orientation. */
function fitToSource(template: Rung, source: Size): Rung {
  const { short: sourceShort, long: sourceLong } = sides(source);
  const short = template.heightPx;
  const long = Math.min(evenRound((short * sourceLong) / sourceShort), evenFloor(sourceLong));
  return { ...template, ...orient(source, short, long) };
}

/**
 * The rung shrunk, both sides by the source's aspect ratio, until it fits the codec's maximum; a
 * shrunk rung is renamed by its short side. A shape too extreme to keep at 32 px (wider than
 * 4096:32) keeps the 32 px floor and MediaConvert letterboxes it (ScalingBehavior DEFAULT).
 */
function withinCodec(rung: Rung, source: Size): Rung {
  const box = maximumFor(LADDER_CODEC, rung);
  if (rung.widthPx <= box.widthPx && rung.heightPx <= box.heightPx) return rung;
  const scale = Math.min(box.widthPx / source.widthPx, box.heightPx / source.heightPx);
  const widthPx = Math.max(MIN_DIMENSION_PX, Math.min(box.widthPx, evenFloor(source.widthPx * scale)));
  const heightPx = Math.max(MIN_DIMENSION_PX, Math.min(box.heightPx, evenFloor(source.heightPx * scale)));
  return { ...rung, name: `${Math.min(widthPx, heightPx)}p`, widthPx, heightPx };
}

/** One rung at the source's own size, for sources below the smallest rung. */
function nativeRung(source: Size, smallest: Rung): Rung {
  const { short: sourceShort, long: sourceLong } = sides(source);
  // Flooring to even never upscales. Below MediaConvert's 32 px minimum, no job runs: the short side
  // is brought up to 32 and the long side follows, so the frame keeps the source's shape.
  const short = Math.max(MIN_DIMENSION_PX, evenFloor(sourceShort));
  const long = Math.max(short, evenFloor(sourceLong), evenRound((short * sourceLong) / sourceShort));
  const pixelShare = (short * long) / (smallest.widthPx * smallest.heightPx);
  return {
    name: `${short}p`,
    ...orient(source, short, long),
    maxBitrate: Math.max(MIN_NATIVE_BITRATE, Math.round((smallest.maxBitrate * pixelShare) / 1000) * 1000),
    qvbrQualityLevel: smallest.qvbrQualityLevel,
  };
}

function sides(size: Size): { short: number; long: number } {
  return { short: Math.min(size.widthPx, size.heightPx), long: Math.max(size.widthPx, size.heightPx) };
}

function orient(source: Size, short: number, long: number): Size {
  return source.heightPx > source.widthPx
    ? { widthPx: short, heightPx: long }
    : { widthPx: long, heightPx: short };
}

function rung(widthPx: number, heightPx: number, maxBitrate: number, qvbrQualityLevel: number): Rung {
  return Object.freeze({ name: `${heightPx}p`, widthPx, heightPx, maxBitrate, qvbrQualityLevel });
}

function evenRound(value: number): number {
  return 2 * Math.round(value / 2);
}

function evenFloor(value: number): number {
  return 2 * Math.floor(value / 2);
}

function assertPixels(name: string, value: number): void {
  if (!Number.isInteger(value) || value <= 0) {
    throw new RangeError(`${name} must be a positive whole number of pixels, got ${value}`);
  }
}
