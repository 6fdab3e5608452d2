/**
 * The "Transcode To CMAF" task's clocks, derived from the reconciler interval and the longest queue
 * wait. infra/workflow.ts renders them into the ASL and the local workflow runner (test/runner) into
 * its copy of the same ASL, so the arithmetic is written once. No Pulumi imports.
 */

/**
 * Seconds the "Transcode To CMAF" task may go without a heartbeat: three reconciler intervals plus
 * a minute. The reconciler heartbeats every queued or progressing job once per interval, so a task
 * times out only after two runs in a row missed it (a failed or throttled run, a late schedule) and
 * the third is overdue by more than a minute — never because a healthy job waits in a busy queue.
 * @example transcodeHeartbeatSeconds(5) === 960
 */
export function transcodeHeartbeatSeconds(reconcileIntervalMinutes: number): number {
  return 3 * reconcileIntervalMinutes * 60 + 60;
}

/**
 * Seconds the "Transcode To CMAF" task may take in all: MediaConvert's own 48-hour limit on a
 * progressing job, plus the longest queue wait we accept, plus an hour for a late event or
 * reconciler run. Only work that is truly stuck reaches it; the reconciler fails jobs earlier.
 * In minutes because the reconciler is configured in minutes (MAX_QUEUE_WAIT_MINUTES) and the
 * runner accepts any whole number of them; whole minutes keep the arithmetic exact.
 * @example transcodeTimeoutSeconds(24 * 60) === 262_800
 */
export function transcodeTimeoutSeconds(maxQueueWaitMinutes: number): number {
  return (48 * 60 + maxQueueWaitMinutes) * 60 + 3600;
}

/**
 * Age (seconds) of the oldest title waiting for admission at which the alarm fires: half the transcode
 * heartbeat. A title that waits longer than the heartbeat times out before submit-job reaches it (and is
 * dropped, not submitted), so this leaves the other half for an operator to act (raise `createJobRate`
 * or the quota behind it) — the README's sizing rule: burst ÷ createJobRate < heartbeat.
 * @example admissionAlarmSeconds(5) === 480
 */
export function admissionAlarmSeconds(reconcileIntervalMinutes: number): number {
  return transcodeHeartbeatSeconds(reconcileIntervalMinutes) / 2;
}
