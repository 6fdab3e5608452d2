import type { FrameRate } from "../contract/workflow";
import { FRAGMENT_SECONDS } from "./packaging";

/**
 * How long a GOP is, for a source's frame rate. MediaConvert's rule for CMAF (and DASH, Smooth):
 * "Fragment length must be a whole number and must be a multiple of GOP size × Closed GOP cadence
 * ÷ Framerate", the output's frame rate being the input's when it follows the source.
 * https://docs.aws.amazon.com/mediaconvert/latest/ug/setting-the-fragment-length.html
 *
 * A GOP in seconds breaks it for the 1000/1001 rates: 2 s at 29.97 fps is 59.94 frames, which no
 * GOP can be. So the GOP is counted in frames, one fragment long at the rate's nominal value
 * (`FRAGMENT_SECONDS × N`: 48 frames at 23.976 and 24, 60 at 29.97 and 30, 120 at 59.94 and 60),
 * with every GOP closed (cadence 1). For N·1000/1001 rates that GOP lasts 1.001 × the fragment: at
 * the exact rate no whole-second fragment is a multiple of any whole-frame GOP, so the rule can only
 * be read at the nominal rate, and fragments end on the next GOP boundary ("fragments will end on the
 * next keyframe", CmafGroupSettings.FragmentLength), one GOP each. Segments (`GOP_MULTIPLE`) are two.
 */

/** The GOP every rung of a title is encoded with. */
export type GopPlan =
  /** GopSizeUnits FRAMES, GopSize `frames`. */
  | { readonly units: "FRAMES"; readonly frames: number }
  /**
   * GopSizeUnits AUTO, no GopSize: "MediaConvert automatically selects a compatible and optimized GOP
   * size relative to the fragment or segment length" (gop-structure.html), from the frames it decodes.
   */
  | { readonly units: "AUTO" };

/**
 * The GOP for a source of this frame rate.
 * - A whole rate (24, 25, 30, 50, 60 …) or an N·1000/1001 one (23.976, 29.97, 59.94 …): FRAMES,
 *   `FRAGMENT_SECONDS × N`.
 * - No rate (Probe gave none, or the claim predates recording it), or any other rate: AUTO. Probe
 *   reports one rate even for variable-rate sources (phones write averages such as 1000000/33367),
 *   and a GOP sized from such a figure would be wrong by a fraction of a frame that adds up over the
 *   title. MediaConvert sees the frames it actually decodes, so it sizes the GOP better than a guess
 *   here; the choice costs only rung-to-rung control we do not need, since every rung is encoded by
 *   the same job from the same decoded frames.
 */
export function gopFor(rate: FrameRate | undefined): GopPlan {
  const nominal = nominalRate(rate);
  return nominal === undefined ? { units: "AUTO" } : { units: "FRAMES", frames: FRAGMENT_SECONDS * nominal };
}

/** N for a rate of exactly N or N·1000/1001 frames per second (N ≥ 1); otherwise undefined. */
export function nominalRate(rate: FrameRate | undefined): number | undefined {
  if (rate === undefined) return undefined;
  const { numerator, denominator } = rate;
  if (!Number.isInteger(numerator) || !Number.isInteger(denominator) || numerator <= 0 || denominator <= 0) {
    return undefined;
  }
  const nominal = Math.round(numerator / denominator);
  if (nominal < 1) return undefined;
  if (numerator === nominal * denominator) return nominal;
  if (numerator * 1001 === nominal * 1000 * denominator) return nominal;
  return undefined;
}
