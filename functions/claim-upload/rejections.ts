/**
 * Why a source is not a usable video, in words the person who uploaded it understands. A rejection is
 * final for that object version: the catalogue row says REJECTED with the code and message, and the
 * execution ends in "Source Rejected" (nothing to redrive — upload a fixed file instead).
 */

export const REJECTION_CODES = [
  "Vod.UnsupportedExtension",
  "Vod.EmptySource",
  "Vod.NoVideoTrack",
  "Vod.UnreadableSource",
  "Vod.SourceNotFound",
] as const;
export type RejectionCode = (typeof REJECTION_CODES)[number];

export interface Rejection {
  readonly code: RejectionCode;
  readonly message: string;
}

/** `'notes.txt' is not a video: accepted extensions are mp4, mov, mkv.` */
export function unsupportedExtension(title: string, accepted: readonly string[]): Rejection {
  const list = accepted.join(", ");
  const message = title.includes(".")
    ? `'${title}' is not a video: accepted extensions are ${list}.`
    : `'${title}' has no file extension: accepted extensions are ${list}.`;
  return { code: "Vod.UnsupportedExtension", message };
}

export function emptySource(title: string): Rejection {
  return {
    code: "Vod.EmptySource",
    message: `'${title}' is empty (0 bytes): the upload probably failed. Upload the file again.`,
  };
}

/** `found` lists what Probe did see ("an audio track"), so the message explains itself. */
export function noVideoTrack(title: string, found: readonly string[]): Rejection {
  const seen =
    found.length > 0 ? `MediaConvert found only ${found.join(" and ")}` : "MediaConvert found no tracks";
  return { code: "Vod.NoVideoTrack", message: `'${title}' has no video track (${seen}).` };
}

/** `reason` is MediaConvert's own explanation, passed on verbatim. */
export function unreadableSource(title: string, reason: string): Rejection {
  return { code: "Vod.UnreadableSource", message: `MediaConvert could not read '${title}': ${reason}` };
}

export function sourceNotFound(bucket: string, key: string, versionId: string, size: number): Rejection {
  return {
    code: "Vod.SourceNotFound",
    message:
      `'${key}' (version ${versionId}, ${size} bytes) is not in bucket '${bucket}' any more: ` +
      "it was probably deleted before it could be processed. Upload it again.",
  };
}
