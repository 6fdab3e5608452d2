import type { TaskItem } from "../ledger/items";
import { TRANSCODE_CANCELED, TRANSCODE_FAILED } from "../contract/errors";

/**
 * What to do with a waiting "Transcode To CMAF" task, given what MediaConvert says about its job.
 * Pure, and the only place this is decided: handle-job-event asks it for every event, reconcile-jobs for
 * every GetJob, so a job looks the same through both doors.
 *
 * Why withhold heartbeats at all: the Task's `HeartbeatSeconds` is the only thing that fails a wait on a
 * job that neither finishes nor errors. Queued jobs get heartbeats until `maxQueueWaitMinutes`
 * (MediaConvert sends no event while a job is queued, so a busy queue must not look hung);
 * progressing jobs get them while their progress moves, or moved less than `stalledJobMinutes` ago.
 */

/** MediaConvert job statuses (GetJob `Job.Status`); events map PROGRESSING / STATUS_UPDATE to PROGRESSING. */
export type JobState = "SUBMITTED" | "PROGRESSING" | "COMPLETE" | "ERROR" | "CANCELED";

/** What is known about a job right now, from one event or one GetJob. */
export interface JobFacts {
  readonly jobId: string;
  readonly state: JobState;
  /** `jobPercentComplete`, when MediaConvert reported it. */
  readonly percentComplete?: number;
  /** When the job was submitted / started transcoding (ISO 8601), when known. */
  readonly submittedAt?: string;
  readonly startedAt?: string;
  readonly errorCode?: number | string;
  readonly errorMessage?: string;
}

/** How long a healthy job may sit in the queue, and go without progress while transcoding. */
export interface WaitLimits {
  readonly maxQueueWaitMinutes: number;
  readonly stalledJobMinutes: number;
}

/** Sent as the SendTaskFailure `cause` (JSON), so the failure names the job and MediaConvert's reason. */
export interface FailureCause {
  readonly jobId: string;
  readonly errorCode?: number | string;
  readonly errorMessage: string;
}

export type Decision =
  | { readonly kind: "succeed" }
  | {
      readonly kind: "fail";
      readonly error: typeof TRANSCODE_FAILED | typeof TRANSCODE_CANCELED;
      readonly cause: FailureCause;
    }
  /** Keep the wait alive; `progress` is set when the job's percentage moved and should be recorded. */
  | { readonly kind: "heartbeat"; readonly progress?: { readonly percent: number; readonly at: string } }
  /** The job looks hung: no heartbeat, so the Task's HeartbeatSeconds fails the wait. */
  | { readonly kind: "hung"; readonly reason: "queued-too-long" | "stalled"; readonly minutes: number };

/** The parts of a task item the decision reads. */
export type TaskTimeline = Pick<
  TaskItem,
  "submittedAt" | "startedAt" | "lastProgressPercent" | "lastProgressAt"
>;

/**
 * @example decide({ jobId: "j", state: "SUBMITTED" }, { submittedAt: "2025-01-01T00:00:00Z" },
 *   new Date("2025-01-01T01:00:00Z"), { maxQueueWaitMinutes: 1440, stalledJobMinutes: 60 })
 *   // → { kind: "heartbeat" }
 */
export function decide(job: JobFacts, task: TaskTimeline, now: Date, limits: WaitLimits): Decision {
  switch (job.state) {
    case "COMPLETE":
      return { kind: "succeed" };
    case "ERROR":
      return {
        kind: "fail",
        error: TRANSCODE_FAILED,
        cause: {
          jobId: job.jobId,
          errorCode: job.errorCode,
          errorMessage: job.errorMessage ?? "MediaConvert reported the job as ERROR without a message",
        },
      };
    case "CANCELED":
      return {
        kind: "fail",
        error: TRANSCODE_CANCELED,
        cause: {
          jobId: job.jobId,
          errorCode: job.errorCode,
          errorMessage: job.errorMessage ?? "The MediaConvert job was canceled",
        },
      };
    case "SUBMITTED": {
      const minutes = minutesBetween(job.submittedAt ?? task.submittedAt, now);
      return minutes < limits.maxQueueWaitMinutes
        ? { kind: "heartbeat" }
        : { kind: "hung", reason: "queued-too-long", minutes };
    }
    case "PROGRESSING": {
      // Any change counts as life: a job retried by MediaConvert (retryCount) may start again from 0.
      if (job.percentComplete !== undefined && job.percentComplete !== task.lastProgressPercent) {
        return { kind: "heartbeat", progress: { percent: job.percentComplete, at: now.toISOString() } };
      }
      const lastSignOfLife = task.lastProgressAt ?? job.startedAt ?? task.startedAt ?? task.submittedAt;
      const minutes = minutesBetween(lastSignOfLife, now);
      return minutes < limits.stalledJobMinutes
        ? { kind: "heartbeat" }
        : { kind: "hung", reason: "stalled", minutes };
    }
  }
}

/** Whole minutes from an ISO 8601 time to `now`; an unreadable time counts as "long ago" (no silent heartbeats). */
function minutesBetween(from: string, now: Date): number {
  const start = Date.parse(from);
  if (Number.isNaN(start)) return Number.POSITIVE_INFINITY;
  return Math.floor((now.getTime() - start) / 60_000);
}

/**
 * Reads a limit in whole minutes from an environment variable's text (set by infra/functions.ts).
 * @example parseMinutes("STALLED_JOB_MINUTES", "60") === 60
 */
export function parseMinutes(name: string, raw: string): number {
  const minutes = Number(raw);
  if (!Number.isInteger(minutes) || minutes <= 0) {
    throw new Error(`${name} must be a whole number of minutes above 0, got "${raw}"`);
  }
  return minutes;
}
