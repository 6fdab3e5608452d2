import type { TaskItem } from "../shared/ledger/items";
import type { TranscodeResult } from "../shared/contract/workflow";
import type { MediaConvertJobDetail, MediaConvertOutputGroupDetail } from "./mediaconvert-event";
import type { JobFacts } from "../shared/transcode/decision";
import { producedRenditions } from "../shared/transcode/renditions";

/**
 * What one "MediaConvert Job State Change" event says about its job, in the decision's terms.
 * PROGRESSING (the job left the queue) and STATUS_UPDATE (about every StatusUpdateInterval) are both
 * "progressing"; INPUT_INFORMATION, NEW_WARNING and QUEUE_HOP say nothing about the wait (undefined).
 */
export function factsFromEvent(detail: MediaConvertJobDetail): JobFacts | undefined {
  const base = { jobId: detail.jobId, errorCode: detail.errorCode, errorMessage: detail.errorMessage };
  switch (detail.status) {
    case "PROGRESSING":
      return { ...base, state: "PROGRESSING", startedAt: new Date(detail.timestamp).toISOString() };
    case "STATUS_UPDATE":
      return { ...base, state: "PROGRESSING", percentComplete: detail.jobProgress?.jobPercentComplete };
    case "COMPLETE":
    case "ERROR":
    case "CANCELED":
      return { ...base, state: detail.status };
    case "INPUT_INFORMATION":
    case "NEW_WARNING":
    case "QUEUE_HOP":
      return undefined;
  }
}

export interface EventResult {
  readonly result: TranscodeResult;
  /**
   * Fields the event did not carry (worth a log line): paths and renditions are then taken from what
   * submit-job stored on the task; a missing duration stays 0.
   */
  readonly missing: readonly string[];
}

/**
 * The "Transcode To CMAF" result from a COMPLETE event. Manifests are picked by extension — a CMAF group
 * lists its `.mpd` and `.m3u8` in `playlistFilePaths` in no promised order. MediaPackage ingests the
 * HLS-TS group's `.m3u8`, or the CMAF group's with packagingSource "cmaf". Anything the event lacks
 * comes from the layout submit-job stored on the task, so a thin event still finishes the title.
 * @see https://docs.aws.amazon.com/mediaconvert/latest/ug/output-file-names-and-paths.html
 */
export function transcodeResultFromEvent(detail: MediaConvertJobDetail, task: TaskItem): EventResult {
  const groups = detail.outputGroupDetails ?? [];
  const cmaf = groups.find((g) => g.type === "CMAF_GROUP");
  const hls = groups.find((g) => g.type === "HLS_GROUP");
  const missing: string[] = [];
  const pick = (field: keyof TaskItem["outputs"], found: string | undefined): string => {
    if (found) return found;
    missing.push(field);
    return task.outputs[field];
  };

  const cmafHlsManifest = pick("cmafHlsManifest", withExtension(cmaf?.playlistFilePaths, ".m3u8"));
  const cmafDashManifest = pick("cmafDashManifest", withExtension(cmaf?.playlistFilePaths, ".mpd"));
  const packagingManifest =
    task.packagingSource === "cmaf"
      ? cmafHlsManifest
      : pick("packagingManifest", withExtension(hls?.playlistFilePaths, ".m3u8"));
  // The poster is a frame capture in a file group: its outputFilePaths name the captured image.
  const posterImage = pick(
    "posterImage",
    withExtension(
      groups.filter((g) => g.type === "FILE_GROUP").flatMap((g) => outputFiles(g)),
      ".jpg",
    ),
  );

  // Renditions from the CMAF group (the stored ladder); the HLS-TS group repeats the same rungs.
  const videoDetails = (cmaf ? [cmaf] : groups).flatMap((g) =>
    (g.outputDetails ?? []).flatMap((o) =>
      o.videoDetails ? [{ widthPx: o.videoDetails.widthInPx, heightPx: o.videoDetails.heightInPx }] : [],
    ),
  );
  let renditions = producedRenditions(task.renditions, videoDetails);
  if (renditions.length === 0) {
    missing.push("renditions");
    renditions = [...task.renditions];
  }

  const durations = groups.flatMap((g) => (g.outputDetails ?? []).flatMap((o) => o.durationInMs ?? []));
  if (durations.length === 0) missing.push("durationMs");
  return {
    result: {
      jobId: detail.jobId,
      durationMs: Math.max(0, ...durations),
      renditions,
      cmafHlsManifest,
      cmafDashManifest,
      posterImage,
      packagingManifest,
    },
    missing,
  };
}

function outputFiles(group: MediaConvertOutputGroupDetail): string[] {
  return (group.outputDetails ?? []).flatMap((o) => o.outputFilePaths ?? []);
}

/** The first path ending in `extension` (case-insensitive). */
function withExtension(paths: readonly string[] | undefined, extension: string): string | undefined {
  return paths?.find((p) => p.toLowerCase().endsWith(extension));
}
