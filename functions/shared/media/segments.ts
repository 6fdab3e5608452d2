/**
 * How a title is cut for streaming: one fact for the MediaConvert job (functions/submit-job/job-settings.ts)
 * and the MediaPackage packaging configurations (infra/packaging.ts), which repackage the same
 * segments. Pure, with no imports, so the Pulumi program can import it too.
 */

/** Segment length, seconds: of both MediaConvert streaming groups and every packaged format. */
export const SEGMENT_SECONDS = 4;

/**
 * CMAF fragment length, whole seconds (MediaConvert `FragmentLength`). Half a segment, so a segment
 * is two fragments, and the GOP (functions/shared/media/gop.ts) is sized to one fragment.
 */
export const FRAGMENT_SECONDS = 2;
