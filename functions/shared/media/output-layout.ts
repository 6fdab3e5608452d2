/**
 * Where a title's outputs live in the output bucket, and how the source is addressed.
 *
 * Every output group's `Destination` ends with the base name `index`. MediaConvert names outputs
 * after the *input file* when a destination has no base name, so ending it with one keeps the
 * upload's name (spaces, `+`, unicode, …) out of every manifest, segment and MediaPackage
 * `SourceArn`. Only the ids built by claim-upload (`[A-Za-z0-9_-]`) appear in these paths.
 * https://docs.aws.amazon.com/mediaconvert/latest/ug/output-file-names-and-paths.html
 */

/**
 * The frame capture writes `<destination><nameModifier>.<7-digit 0-based counter>.jpg`; capture 0 is
 * the first frame (often black), capture 1 is taken a few seconds in and is the poster.
 * job-settings.ts makes sure capture 1 exists for every source longer than one frame.
 */
export const POSTER_CAPTURE_INDEX = 1;

/** Name modifier of the frame-capture output (MediaConvert appends it to the base name). */
export const POSTER_NAME_MODIFIER = "_poster";

/** The files MediaConvert writes for one revision of an asset (all `s3://` URIs). */
export interface OutputLayout {
  /** `s3://<bucket>/<assetId>/<revision>/`: everything the job writes lives under it. */
  readonly prefix: string;
  readonly cmaf: {
    /** CMAF group `Destination` (base name included). */
    readonly destination: string;
    /** HLS multivariant playlist over the fMP4 segments. */
    readonly hlsManifest: string;
    /** DASH MPD over the same segments. */
    readonly dashManifest: string;
  };
  /** The HLS group with TS segments that MediaPackage VOD ingests by default. */
  readonly hls: {
    readonly destination: string;
    readonly manifest: string;
  };
  readonly poster: {
    /** File group `Destination` of the frame-capture output. */
    readonly destination: string;
    readonly nameModifier: string;
    /** The JPEG used as the title's poster. */
    readonly image: string;
  };
}

/**
 * Output paths for one revision of an asset. The CMAF group writes `<base>.m3u8` and `<base>.mpd`,
 * an HLS group `<base>.m3u8` (plus a child playlist per output), and a frame capture
 * `<base><modifier>.NNNNNNN.jpg` with a 0-based, zero-padded counter (MediaConvert
 * FrameCaptureSettings; the COMPLETE event's `outputFilePaths` names the last capture).
 * https://docs.aws.amazon.com/mediaconvert/latest/ug/cmaf-group.html
 * https://docs.aws.amazon.com/mediaconvert/latest/ug/file-group-with-frame-capture-output.html
 *
 * @example outputLayout("vod-output", "lecture-01_a1b2c3", "0123456789ab").cmaf.hlsManifest
 *   === "s3://vod-output/lecture-01_a1b2c3/0123456789ab/cmaf/index.m3u8"
 */
export function outputLayout(outputBucket: string, assetId: string, revision: string): OutputLayout {
  assertBucket(outputBucket);
  assertPathId("assetId", assetId);
  assertPathId("revision", revision);
  const prefix = `s3://${outputBucket}/${assetId}/${revision}/`;
  const base = (folder: string) => `${prefix}${folder}/index`;
  const poster = base("poster");
  return {
    prefix,
    cmaf: {
      destination: base("cmaf"),
      hlsManifest: `${base("cmaf")}.m3u8`,
      dashManifest: `${base("cmaf")}.mpd`,
    },
    hls: { destination: base("hls"), manifest: `${base("hls")}.m3u8` },
    poster: {
      destination: poster,
      nameModifier: POSTER_NAME_MODIFIER,
      image: `${poster}${POSTER_NAME_MODIFIER}.${String(POSTER_CAPTURE_INDEX).padStart(7, "0")}.jpg`,
    },
  };
}

/**
 * The URI MediaConvert reads the source from (job `FileInput`, Probe `FileUrl`): the object key
 * exactly as stored in S3, **not** URL-encoded. AWS does not document an encoding for `s3://`
 * inputs; AWS's own "Video on Demand on AWS" decodes the event key and passes it raw
 * (`s3://${srcBucket}/${srcVideo}`), which is the fix its maintainers gave for spaces and accents
 * (aws-solutions-library-samples/video-on-demand-on-aws#104), and MediaConvert maintainers report
 * `&` in file names working (aws-samples/aws-media-services-vod-automation#5). Encoding the key
 * (`%20`) would name a different object. claim-upload probes the same URI before the job is
 * submitted, so a key MediaConvert cannot read is rejected there, not after a paid transcode.
 *
 * @example sourceUri("vod-source", "talks/c++ talk (final).mp4") === "s3://vod-source/talks/c++ talk (final).mp4"
 */
export function sourceUri(bucket: string, key: string): string {
  assertBucket(bucket);
  if (key.length === 0) throw new RangeError("An S3 object key cannot be empty");
  return `s3://${bucket}/${key}`;
}

/**
 * Splits an `s3://bucket/key` URI; the key comes back exactly as written (no decoding), so
 * `s3UriParts(sourceUri(b, k))` returns `b` and `k`.
 *
 * @example s3UriParts("s3://vod-output/a/b/cmaf/index.m3u8") // { bucket: "vod-output", key: "a/b/cmaf/index.m3u8" }
 */
export function s3UriParts(uri: string): { bucket: string; key: string } {
  const match = /^s3:\/\/([^/]+)\/(.+)$/s.exec(uri);
  if (!match) throw new RangeError(`Not an s3://bucket/key URI: ${JSON.stringify(uri)}`);
  return { bucket: match[1] as string, key: match[2] as string };
}

/**
 * General-purpose bucket naming rules: 3–63 characters, lower-case letters, digits, dots and
 * hyphens, starting and ending with a letter or digit.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
 */
function assertBucket(bucket: string): void {
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
    throw new RangeError(`Not an S3 bucket name: ${JSON.stringify(bucket)}`);
  }
}

/** Ids that name output folders must be the URL- and MediaPackage-safe ids claim-upload derives. */
function assertPathId(name: string, value: string): void {
  if (!/^[A-Za-z0-9_-]{1,128}$/.test(value)) {
    throw new RangeError(`${name} must match [A-Za-z0-9_-]{1,128}, got ${JSON.stringify(value)}`);
  }
}
