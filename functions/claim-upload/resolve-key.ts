import { HeadObjectCommand } from "@aws-sdk/client-s3";
import { s3 } from "../shared/runtime/clients";
import { logger } from "../shared/runtime/powertools";

/**
 * Finds the real S3 key of an uploaded object. Whether EventBridge S3 events URL-encode the key is not
 * documented; classic S3 notifications do, form-style ("red flower.jpg" → "red+flower.jpg",
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html).
 * Guessing either way loses uploads: `c++ talk.mp4` and `c talk.mp4` are different keys. So each
 * plausible reading is checked against S3 itself, with the event's version id, size and ETag.
 */

/** How the delivered key had to be read to find the object (logged, so the real encoding shows up). */
export type KeyForm = "as-delivered" | "percent-decoded" | "form-decoded";

export interface KeyCandidate {
  readonly form: KeyForm;
  readonly key: string;
}

/** What the event says about the object; every field must match the object we accept. */
export interface UploadedObject {
  readonly bucket: string;
  readonly key: string;
  readonly versionId: string;
  readonly size: number;
  readonly etag: string;
}

export interface ResolvedKey {
  readonly key: string;
  readonly form: KeyForm;
  /** ETag without quotes. */
  readonly etag: string;
}

/**
 * The readings of a delivered key, in the order they are tried, without duplicates: as delivered,
 * percent-decoded (`%20` → space), form-decoded (`+` → space, then percent-decoded). A key that is
 * not valid percent-encoding (`100%.mp4`) simply has no decoded reading.
 */
export function keyCandidates(deliveredKey: string): KeyCandidate[] {
  const readings: { form: KeyForm; key: string | undefined }[] = [
    { form: "as-delivered", key: deliveredKey },
    { form: "percent-decoded", key: percentDecode(deliveredKey) },
    { form: "form-decoded", key: percentDecode(deliveredKey.replaceAll("+", " ")) },
  ];
  const seen = new Set<string>();
  const candidates: KeyCandidate[] = [];
  for (const { form, key } of readings) {
    if (key === undefined || key === "" || seen.has(key)) continue;
    seen.add(key);
    candidates.push({ form, key });
  }
  return candidates;
}

/**
 * HeadObject on each candidate key with the event's version id; the first object whose size and ETag
 * match the event is the upload. Returns undefined when none does (the version was deleted, or no
 * reading of the key names it). A 404 means "try the next reading"; any other error propagates
 * (throttling and 5xx become Vod.ServiceBusy in the shared handler). The function's role needs
 * s3:ListBucket on the bucket, or S3 answers 403 instead of 404 for a reading that does not exist.
 */
export async function resolveKey(object: UploadedObject): Promise<ResolvedKey | undefined> {
  for (const candidate of keyCandidates(object.key)) {
    let head;
    try {
      head = await s3.send(
        new HeadObjectCommand({ Bucket: object.bucket, Key: candidate.key, VersionId: object.versionId }),
      );
    } catch (error) {
      if (isNotFound(error)) {
        logger.debug("no object under this reading of the key", { form: candidate.form });
        continue;
      }
      throw error;
    }
    const etag = unquote(head.ETag ?? "");
    if (head.ContentLength === object.size && etag === unquote(object.etag)) {
      logger.info("source key resolved", { form: candidate.form, key: candidate.key });
      return { key: candidate.key, form: candidate.form, etag };
    }
    logger.warn("an object exists under this reading of the key but is not the upload", {
      form: candidate.form,
      size: head.ContentLength,
      etag,
    });
  }
  return undefined;
}

/**
 * HEAD responses have no body, so SDK v3 names a 404 `NotFound` (it cannot see S3's `NoSuchKey` /
 * `NoSuchVersion` codes); the other names are accepted in case a proxy or emulator sends a body.
 */
function isNotFound(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return (
    e.name === "NotFound" ||
    e.name === "NoSuchKey" ||
    e.name === "NoSuchVersion" ||
    e.$metadata?.httpStatusCode === 404
  );
}

function percentDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/** S3 returns ETags quoted (`"b194…"`); events carry them bare. */
function unquote(etag: string): string {
  return etag.replace(/^"|"$/g, "");
}
