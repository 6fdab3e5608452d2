import type { SourceObject } from "../../../functions/shared/contract/workflow";
import { createHash } from "node:crypto";
import {
  NotFound,
  S3ServiceException,
  type DeleteObjectsCommandInput,
  type DeleteObjectsCommandOutput,
  type HeadObjectCommandInput,
  type HeadObjectCommandOutput,
  type ListObjectsV2CommandInput,
  type ListObjectsV2CommandOutput,
  type ListObjectVersionsCommandInput,
  type ListObjectVersionsCommandOutput,
} from "@aws-sdk/client-s3";
import { s3VersionId, type Random } from "../aws";
import type { Clock } from "../clock";

/** What a video file "contains", for MediaConvert Probe and jobs. */
export interface MediaFacts {
  readonly format: "mp4" | "quicktime" | "matroska" | "webm" | "mxf" | "mpegts";
  readonly widthPx: number;
  readonly heightPx: number;
  readonly durationMs: number;
  readonly frameRate?: { readonly numerator: number; readonly denominator: number };
  readonly videoCodec?: "AVC" | "HEVC" | "PRORES" | "VP9" | "AV1" | "MPEG2";
  /** `null`: no audio track. */
  readonly audio?: {
    readonly codec: "AAC" | "PCM" | "OPUS";
    readonly channels: number;
    readonly sampleRate: number;
  } | null;
}

/**
 * What Probe and MediaConvert make of an object: a media file, something they do not recognise
 * (`"unrecognised"`: Probe returns no container format and no tracks), or a file they recognise but
 * cannot read (`"corrupt"`: Probe answers UnprocessableEntityException).
 */
export type ObjectContent =
  | { readonly kind: "media"; readonly media: MediaFacts }
  | { readonly kind: "unrecognised" }
  | { readonly kind: "corrupt" }
  /** Files MediaConvert writes (manifests, segments, images). */
  | {
      readonly kind: "output";
      readonly writtenBy: string;
      readonly container: "hls-ts" | "cmaf" | "dash" | "image";
    };

/** One version of an object: what the pipeline calls a source (`etag` without quotes, as events carry it; HeadObject quotes it). */
export interface StoredVersion extends SourceObject {
  readonly lastModified: Date;
  readonly contentType: string;
  readonly content: ObjectContent;
  readonly deleteMarker?: boolean;
}

export interface PutOptions {
  readonly size?: number;
  readonly contentType?: string;
  readonly content?: ObjectContent;
}

/**
 * Amazon S3 for the calls the pipeline makes: versioned buckets holding objects (size, ETag,
 * version, sequencer, simulated media content), HeadObject with S3's answers, and the objects
 * MediaConvert writes. Not modelled: bodies, ACLs/IAM (every call is allowed), multipart uploads.
 */
export class S3Fake {
  private readonly buckets = new Map<string, Map<string, StoredVersion[]>>();
  private sequence = 0n;
  /** Every HeadObject call (input, and whether it found the object). */
  readonly headCalls: { input: HeadObjectCommandInput; found: boolean }[] = [];
  /** Keys DeleteObjects removed, in order. */
  readonly deleted: string[] = [];

  constructor(
    private readonly clock: Clock,
    private readonly random: Random,
    bucketNames: readonly string[],
  ) {
    for (const name of bucketNames) this.createBucket(name);
  }

  createBucket(name: string): void {
    if (!this.buckets.has(name)) this.buckets.set(name, new Map());
  }

  /** Stores a new version of `key` (the bucket is versioned) and returns it. */
  put(bucket: string, key: string, options: PutOptions = {}): StoredVersion {
    const objects = this.bucket(bucket);
    const content = options.content ?? { kind: "unrecognised" };
    const size = options.size ?? defaultSize(content);
    const versionId = s3VersionId(this.random);
    // ETag of a single-part upload is the MD5 of the body; the body is simulated, so hash what identifies it.
    const etag = createHash("md5").update(`${bucket}/${key}/${versionId}/${size}`).digest("hex");
    // S3 sequencers grow with each event of a key; any strictly increasing hex string behaves alike.
    this.sequence += 1n;
    const sequencer = (BigInt(this.clock.now()) * 4096n + this.sequence)
      .toString(16)
      .toUpperCase()
      .padStart(18, "0");
    const version: StoredVersion = {
      bucket,
      key,
      versionId,
      size,
      etag,
      sequencer,
      lastModified: new Date(this.clock.now()),
      contentType: options.contentType ?? contentTypeOf(key),
      content,
    };
    const versions = objects.get(key) ?? [];
    versions.push(version);
    objects.set(key, versions);
    return version;
  }

  /** The current version of a key, if any. */
  latest(bucket: string, key: string): StoredVersion | undefined {
    const versions = this.buckets.get(bucket)?.get(key);
    const last = versions?.[versions.length - 1];
    return last?.deleteMarker ? undefined : last;
  }

  version(bucket: string, key: string, versionId: string): StoredVersion | undefined {
    return this.buckets
      .get(bucket)
      ?.get(key)
      ?.find((v) => v.versionId === versionId && !v.deleteMarker);
  }

  /** Deletes a key (a delete marker becomes its current version). */
  delete(bucket: string, key: string): void {
    const versions = this.bucket(bucket).get(key);
    if (!versions) return;
    versions.push({
      ...versions[versions.length - 1]!,
      versionId: s3VersionId(this.random),
      deleteMarker: true,
    });
  }

  /** Current keys of a bucket under a prefix. */
  keys(bucket: string, prefix = ""): string[] {
    return [...this.bucket(bucket).keys()].filter((k) => k.startsWith(prefix) && this.latest(bucket, k));
  }

  /**
   * ListObjectVersions under a prefix: every key's versions newest first, delete markers apart, up to
   * `MaxKeys` (default and most 1,000) entries; a longer listing is cut (`IsTruncated`) and not continued here.
   * https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectVersions.html
   */
  listObjectVersions(input: ListObjectVersionsCommandInput): ListObjectVersionsCommandOutput {
    const prefix = input.Prefix ?? "";
    const limit = Math.min(input.MaxKeys ?? 1000, 1000);
    const entries = [...this.bucket(input.Bucket ?? "").entries()]
      .filter(([key]) => key.startsWith(prefix))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .flatMap(([, versions]) => [...versions].reverse().map((v, i) => ({ v, latest: i === 0 })));
    const page = entries.slice(0, limit);
    const view = ({ v, latest }: { v: StoredVersion; latest: boolean }) => ({
      Key: v.key,
      VersionId: v.versionId,
      IsLatest: latest,
      LastModified: v.lastModified,
    });
    return {
      $metadata: { httpStatusCode: 200, attempts: 1, totalRetryDelay: 0 },
      Name: input.Bucket,
      Prefix: prefix,
      IsTruncated: entries.length > limit,
      Versions: page
        .filter((e) => !e.v.deleteMarker)
        .map((e) => ({ ...view(e), Size: e.v.size, ETag: `"${e.v.etag}"` })),
      DeleteMarkers: page.filter((e) => e.v.deleteMarker).map(view),
    };
  }

  /**
   * ListObjectsV2 of current keys under a prefix, `MaxKeys` (at most 1,000) a page, continued with the
   * `NextContinuationToken` it returns. https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html
   */
  listObjectsV2(input: ListObjectsV2CommandInput): ListObjectsV2CommandOutput {
    const keys = this.keys(input.Bucket ?? "", input.Prefix ?? "").sort();
    // The token names the last key returned, so deleting listed keys between pages skips nothing.
    const after = input.ContinuationToken;
    const rest = after === undefined ? keys : keys.filter((k) => k > after);
    const limit = Math.min(input.MaxKeys ?? 1000, 1000);
    const page = rest.slice(0, limit);
    const truncated = rest.length > limit;
    return {
      $metadata: { httpStatusCode: 200, attempts: 1, totalRetryDelay: 0 },
      Name: input.Bucket,
      Prefix: input.Prefix,
      KeyCount: page.length,
      IsTruncated: truncated,
      ...(truncated ? { NextContinuationToken: page[page.length - 1] } : {}),
      Contents: page.map((key) => ({ Key: key, Size: this.latest(input.Bucket ?? "", key)!.size })),
    };
  }

  /**
   * DeleteObjects of at most 1,000 keys. The stack's output bucket is not versioned, so a key is gone
   * with every version (this fake versions every bucket); a missing key is deleted too, as S3 says.
   * https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObjects.html
   */
  deleteObjects(input: DeleteObjectsCommandInput): DeleteObjectsCommandOutput {
    const objects = input.Delete?.Objects ?? [];
    if (objects.length === 0 || objects.length > 1000) {
      throw new S3ServiceException({
        name: "MalformedXML",
        $fault: "client",
        message: "DeleteObjects takes 1 to 1,000 keys",
        $metadata: { httpStatusCode: 400 },
      });
    }
    const bucket = this.bucket(input.Bucket ?? "");
    for (const object of objects) bucket.delete(object.Key ?? "");
    this.deleted.push(...objects.map((o) => o.Key ?? ""));
    return {
      $metadata: { httpStatusCode: 200, attempts: 1, totalRetryDelay: 0 },
      Deleted: objects.map((o) => ({ Key: o.Key })),
    };
  }

  /**
   * HeadObject. A key or version that does not exist is a 404, which SDK v3 reports as `NotFound`
   * with the message "UnknownError" (a HEAD response has no body). The ETag comes back quoted.
   * https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html
   */
  headObject(input: HeadObjectCommandInput): HeadObjectCommandOutput {
    const bucket = input.Bucket ?? "";
    if (!this.buckets.has(bucket)) {
      this.headCalls.push({ input, found: false });
      throw new NotFound({ message: "UnknownError", $metadata: { httpStatusCode: 404 } });
    }
    const found =
      input.VersionId !== undefined
        ? this.version(bucket, input.Key ?? "", input.VersionId)
        : this.latest(bucket, input.Key ?? "");
    this.headCalls.push({ input, found: found !== undefined });
    if (found === undefined)
      throw new NotFound({ message: "UnknownError", $metadata: { httpStatusCode: 404 } });
    return {
      $metadata: { httpStatusCode: 200, attempts: 1, totalRetryDelay: 0 },
      AcceptRanges: "bytes",
      LastModified: found.lastModified,
      ContentLength: found.size,
      ETag: `"${found.etag}"`,
      VersionId: found.versionId,
      ContentType: found.contentType,
      ServerSideEncryption: "AES256",
      Metadata: {},
    };
  }

  /**
   * The key as an EventBridge "Object Created" event carries it. AWS does not document whether
   * EventBridge encodes it (ARCHITECTURE.md); classic notifications form-encode it (space → `+`),
   * so scenarios choose: `raw`, `percent` (`%20`) or `form` (`+`, parentheses and `+` escaped).
   */
  static eventKey(key: string, encoding: KeyEncoding): string {
    if (encoding === "raw") return key;
    const percent = key
      .split("/")
      .map((segment) =>
        encodeURIComponent(segment).replace(
          /[!'()]/g,
          (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
        ),
      )
      .join("/");
    return encoding === "percent" ? percent : percent.replace(/%20/g, "+");
  }

  private bucket(name: string): Map<string, StoredVersion[]> {
    const bucket = this.buckets.get(name);
    if (!bucket)
      throw new S3ServiceException({
        name: "NoSuchBucket",
        $fault: "client",
        message: `No bucket ${name}`,
        $metadata: { httpStatusCode: 404 },
      });
    return bucket;
  }
}

export type KeyEncoding = "raw" | "percent" | "form";

function defaultSize(content: ObjectContent): number {
  if (content.kind === "media") {
    // About 8 Mb/s of source material.
    return Math.max(1, Math.round((content.media.durationMs / 1000) * 1_000_000));
  }
  return content.kind === "output" ? 2_048 : 1_024;
}

function contentTypeOf(key: string): string {
  const extension = key.slice(key.lastIndexOf(".") + 1).toLowerCase();
  const types: Record<string, string> = {
    mp4: "video/mp4",
    mov: "video/quicktime",
    mkv: "video/x-matroska",
    webm: "video/webm",
    txt: "text/plain",
    m3u8: "application/vnd.apple.mpegurl",
    mpd: "application/dash+xml",
    jpg: "image/jpeg",
  };
  return types[extension] ?? "binary/octet-stream";
}
