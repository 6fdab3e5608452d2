import * as z from "zod/mini";
import { eventBridgeEvent } from "../shared/events/eventbridge";

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
  outputFilePaths: z.optional(z.array(z.string())),
  durationInMs: z.optional(z.number()),
  /** Absent on audio-only outputs. */
  videoDetails: z.optional(z.object({ widthInPx: z.number(), heightInPx: z.number() })),
});

/**
 * One output group of a COMPLETE event. `type` is FILE_GROUP, HLS_GROUP, DASH_ISO_GROUP, CMAF_GROUP or
 * MS_SMOOTH_GROUP; a CMAF group lists its `.mpd` and `.m3u8` in `playlistFilePaths` in no promised order.
 * @see https://docs.aws.amazon.com/mediaconvert/latest/ug/output-file-names-and-paths.html
 */
const OutputGroupDetailSchema = z.object({
  type: z.string(),
  outputDetails: z.optional(z.array(OutputDetailSchema)),
  playlistFilePaths: z.optional(z.array(z.string())),
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
  jobId: z.string().check(z.minLength(1)),
  status: z.enum(JOB_EVENT_STATUSES),
  userMetadata: z.optional(z.record(z.string(), z.string())),
  /** Documented as a number; a string is accepted too, so an odd ERROR event still fails the task. */
  errorCode: z.optional(z.union([z.number(), z.string()])),
  errorMessage: z.optional(z.string()),
  jobProgress: z.optional(
    z.object({
      jobPercentComplete: z.optional(z.number()),
      currentPhase: z.optional(z.string()),
      retryCount: z.optional(z.number()),
    }),
  ),
  outputGroupDetails: z.optional(z.array(OutputGroupDetailSchema)),
});

/**
 * The whole EventBridge event, envelope included (the logger's correlation id lives on the envelope);
 * the envelope of every example on the pages above.
 */
export const MediaConvertJobStateChangeSchema = eventBridgeEvent(
  "aws.mediaconvert",
  "MediaConvert Job State Change",
  MediaConvertJobDetailSchema,
);

export type MediaConvertJobDetail = z.output<typeof MediaConvertJobDetailSchema>;
export type MediaConvertOutputGroupDetail = z.output<typeof OutputGroupDetailSchema>;
export type MediaConvertJobStateChange = z.output<typeof MediaConvertJobStateChangeSchema>;
