/**
 * Facts of how a title is packaged that the stack's config (infra/config.ts), MediaPackage's
 * packaging configurations (infra/packaging.ts), submit-job's MediaConvert outputs and
 * register-asset all rely on. Pure and free of SDK and Pulumi imports, so each side imports them.
 */

/**
 * What MediaPackage VOD ingests: the HLS (TS) group, its documented input, or the CMAF group's
 * `.m3u8` (see ARCHITECTURE.md, "MediaPackage VOD input formats").
 */
export const PACKAGING_SOURCES = ["hls-ts", "cmaf"] as const;
export type PackagingSource = (typeof PACKAGING_SOURCES)[number];

/**
 * Segment length, seconds, of both MediaConvert streaming groups and of every MediaPackage
 * packaging configuration (so packaged segments line up with the transcoded ones).
 */
export const SEGMENT_SECONDS = 4;

/**
 * CMAF fragment length, whole seconds (MediaConvert `FragmentLength`). Half a segment, so a segment
 * is two fragments, and the GOP (functions/shared/media/gop.ts) is sized to one fragment.
 */
export const FRAGMENT_SECONDS = 2;
