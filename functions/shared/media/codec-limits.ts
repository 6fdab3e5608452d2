import type { VideoCodec } from "@aws-sdk/client-mediaconvert";

/**
 * How large a picture MediaConvert will encode, per output codec: a fact of the service, defined
 * once. The ladder sizes its rungs and the poster with it; the runner's MediaConvert stand-in
 * (test/runner/fakes/mediaconvert.ts) refuses jobs that break it.
 */

/**
 * Every output `Width`/`Height` must lie in 32–8192 and be even, whatever the codec: the API model
 * types both as `__integerMin32Max8192`, and odd values are refused with "Should be a multiple of 2".
 * https://docs.aws.amazon.com/mediaconvert/latest/apireference/jobs.html
 */
export const MIN_DIMENSION_PX = 32;
export const MAX_DIMENSION_PX = 8192;

/** A codec's largest picture. `rotatable`: the table says "W×H or H×W", so portrait gets the box turned. */
export interface ResolutionMaximum {
  readonly widthPx: number;
  readonly heightPx: number;
  readonly rotatable: boolean;
}

/**
 * "Maximum supported output resolutions" (MediaConvert user guide), row by row. FRAME_CAPTURE (the
 * JPEG poster) is not in that table, so only the API's 8192 bound applies to it.
 * https://docs.aws.amazon.com/mediaconvert/latest/ug/supported-output-resolution-maximums-by-codec.html
 */
export const OUTPUT_RESOLUTION_MAXIMUMS: Readonly<Partial<Record<VideoCodec, ResolutionMaximum>>> =
  Object.freeze({
    AV1: maximum(4096, 2160, false),
    AVC_INTRA: maximum(1920, 1080, true),
    H_264: maximum(4096, 2160, true),
    GIF: maximum(3840, 3840, false),
    H_265: maximum(8192, 4320, true),
    MPEG2: maximum(1920, 1152, false),
    PRORES: maximum(4096, 4096, false),
    VC3: maximum(1920, 1080, true),
    VP8: maximum(4096, 2160, true),
    VP9: maximum(4096, 2160, true),
    XAVC: maximum(4096, 2160, false),
    FRAME_CAPTURE: maximum(MAX_DIMENSION_PX, MAX_DIMENSION_PX, false),
  });

export interface PictureSize {
  readonly widthPx: number;
  readonly heightPx: number;
}

/**
 * The box a picture of this orientation must fit for `codec`: the table's row, turned for a
 * portrait picture when the row allows it, and never beyond the API's 8192 bound.
 */
export function maximumFor(codec: VideoCodec, size: PictureSize): PictureSize {
  const row = OUTPUT_RESOLUTION_MAXIMUMS[codec];
  const box = row ?? { widthPx: MAX_DIMENSION_PX, heightPx: MAX_DIMENSION_PX, rotatable: false };
  const portrait = size.heightPx > size.widthPx;
  const turned = portrait && box.rotatable;
  return {
    widthPx: Math.min(MAX_DIMENSION_PX, turned ? box.heightPx : box.widthPx),
    heightPx: Math.min(MAX_DIMENSION_PX, turned ? box.widthPx : box.heightPx),
  };
}

/** True when MediaConvert can encode a `widthPx`×`heightPx` picture with `codec`. */
export function fitsCodec(codec: VideoCodec, size: PictureSize): boolean {
  const box = maximumFor(codec, size);
  return size.widthPx <= box.widthPx && size.heightPx <= box.heightPx;
}

function maximum(widthPx: number, heightPx: number, rotatable: boolean): ResolutionMaximum {
  return Object.freeze({ widthPx, heightPx, rotatable });
}
