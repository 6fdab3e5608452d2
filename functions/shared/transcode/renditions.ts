import type { Rendition } from "../contract/workflow";

/**
 * The renditions a job actually produced: each planned rung whose height appears among the outputs'
 * video details, with the width MediaConvert wrote and the rung's target bitrate (events and GetJob
 * report no bitrate targets). Audio-only outputs have no video details and are ignored.
 * @example producedRenditions([{ widthPx: 1280, heightPx: 720, maxBitrate: 3e6 }], [{ widthPx: 1280, heightPx: 720 }])
 */
export function producedRenditions(
  planned: readonly Rendition[],
  produced: readonly { readonly widthPx: number; readonly heightPx: number }[],
): Rendition[] {
  return planned.flatMap((rung) => {
    // A rotated source can come out with its sides swapped; the rung is still the same rendition.
    const output =
      produced.find((p) => p.heightPx === rung.heightPx) ??
      produced.find((p) => p.widthPx === rung.heightPx && p.heightPx === rung.widthPx);
    return output
      ? [{ widthPx: output.widthPx, heightPx: output.heightPx, maxBitrate: rung.maxBitrate }]
      : [];
  });
}
