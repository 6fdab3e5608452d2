import { z } from "zod";
import { EventBridgeSchema } from "@aws-lambda-powertools/parser/schemas/eventbridge";

/**
 * The `detail.status` values of "MediaConvert Job State Change" events.
 * MediaConvert emits no event while a job waits in its queue (SUBMITTED).
 * @see https://docs.aws.amazon.com/mediaconvert/latest/ug/mediaconvert_event_list.html
 */
export const JOB_EVENT_STATUSES = [
  "INPUT_INFORMATION",
  "PROGRESSING",
  "STATUS_UPDATE",
  "COMPLETE",
  "CANCELED",
  "ERROR",
  "NEW_WARNING",
  "QUEUE_HOP",
] as const;
export type JobEventStatus = (typeof JOB_EVENT_STATUSES)[number];

/** One output of a group: CMAF outputs carry no `outputFilePaths`, only durations and video details. */
const OutputDetailSchema = z.object({
  outputFilePaths: z.array(z.string()).optional(),
  durationInMs: z.number().optional(),
  /** Absent on audio-only outputs. */
  videoDetails: z.object({ widthInPx: z.number(), heightInPx: z.number() }).optional(),
});

/**
 * One output group of a COMPLETE event. `type` is FILE_GROUP, HLS_GROUP, DASH_ISO_GROUP, CMAF_GROUP or
 * MS_SMOOTH_GROUP; a CMAF group lists its `.mpd` and `.m3u8` in `playlistFilePaths` in no promised order.
 * @see https://docs.aws.amazon.com/mediaconvert/latest/ug/output-file-names-and-paths.html
 */
const OutputGroupDetailSchema = z.object({
  type: z.string(),
  outputDetails: z.array(OutputDetailSchema).optional(),
  playlistFilePaths: z.array(z.string()).optional(),
});

/**
 * `detail` of a "MediaConvert Job State Change" event: the fields this pipeline reads, the rest stripped.
 *
 * @example STATUS_UPDATE (https://docs.aws.amazon.com/mediaconvert/latest/ug/ev_status_status_update.html)
 * ```json
 * {
 *   "timestamp": 1671477681737,
 *   "accountId": "111122223333",
 *   "queue": "arn:aws:mediaconvert:us-west-2:111122223333:queues/Default",
 *   "jobId": "1671477617078-2886ye",
 *   "status": "STATUS_UPDATE",
 *   "userMetadata": { "assetId": "lecture-01", "correlationId": "3f1c…", "stack": "vod-dev" },
 *   "framesDecoded": 353,
 *   "jobProgress": { "jobPercentComplete": 7, "currentPhase": "TRANSCODING", "retryCount": 0 }
 * }
 * ```
 * ERROR adds `errorCode` (a number, e.g. 1040) and `errorMessage`
 * (https://docs.aws.amazon.com/mediaconvert/latest/ug/ev_status_error.html); COMPLETE adds
 * `outputGroupDetails` (https://docs.aws.amazon.com/mediaconvert/latest/ug/ev_status_complete.html).
 */
export const MediaConvertJobDetailSchema = z.object({
  timestamp: z.number(),
  accountId: z.string(),
  queue: z.string(),
  jobId: z.string().min(1),
  status: z.enum(JOB_EVENT_STATUSES),
  userMetadata: z.record(z.string(), z.string()).optional(),
  /** Documented as a number; a string is accepted too, so an odd ERROR event still fails the task. */
  errorCode: z.union([z.number(), z.string()]).optional(),
  errorMessage: z.string().optional(),
  jobProgress: z
    .object({
      jobPercentComplete: z.number().optional(),
      currentPhase: z.string().optional(),
      retryCount: z.number().optional(),
    })
    .optional(),
  outputGroupDetails: z.array(OutputGroupDetailSchema).optional(),
});

/** The whole EventBridge event, envelope included (the logger's correlation id lives on the envelope). */
export const MediaConvertJobStateChangeSchema = EventBridgeSchema.extend({
  source: z.literal("aws.mediaconvert"),
  "detail-type": z.literal("MediaConvert Job State Change"),
  detail: MediaConvertJobDetailSchema,
});

export type MediaConvertJobDetail = z.infer<typeof MediaConvertJobDetailSchema>;
export type MediaConvertOutputGroupDetail = z.infer<typeof OutputGroupDetailSchema>;
export type MediaConvertJobStateChange = z.infer<typeof MediaConvertJobStateChangeSchema>;
