import type { WorkflowRunner } from "./runner";
import { PACKAGING_OUTAGE_MINUTES } from "../../statemachines/ingest-states";

/**
 * A fault profile: the background failures a real account sees, injected into a running runner so a
 * burst meets them all at once (issue 12: `npm run bench -- --faults`, and test/workflow/faults.test.ts
 * with a harsher profile on a small burst). Each share is drawn from the runner's seeded random, so a
 * run repeats exactly.
 */
export interface FaultProfile {
  /** Share of accepted CreateJob calls answered with a 500, and the share of those that created the job first. */
  readonly createJobServerErrors: { readonly share: number; readonly afterCreateShare: number };
  /** Share of MediaConvert job state change events that never reach their rule (EventBridge is best effort for AWS service events). */
  readonly lostJobEvents: number;
  /** Share of S3 "Object Created" events delivered twice (EventBridge delivers at least once). */
  readonly duplicatedUploadEvents: number;
  /** A MediaPackage VOD API outage (503 on every asset call): minutes after the faults are applied, and how long. */
  readonly packagingOutage: { readonly startsAfterMinutes: number; readonly minutes: number };
}

/** The bench's `--faults` profile, as issue 12 specifies it. */
export const BENCH_FAULTS: FaultProfile = {
  createJobServerErrors: { share: 0.05, afterCreateShare: 0.5 },
  lostJobEvents: 0.01,
  duplicatedUploadEvents: 0.05,
  // Starts once the first titles reach "Register With MediaPackage" (the first jobs finish after ~2 min).
  packagingOutage: { startsAfterMinutes: 5, minutes: PACKAGING_OUTAGE_MINUTES },
};

/** Turns the profile on from now on. */
export function applyFaults(runner: WorkflowRunner, profile: FaultProfile): void {
  runner.mediaConvert.options.createJobServerErrors = profile.createJobServerErrors;
  runner.bus.interfereWithShare(
    (event) => event.source === "aws.mediaconvert",
    "lose",
    profile.lostJobEvents,
  );
  runner.bus.interfereWithShare(
    (event) => event.source === "aws.s3" && event["detail-type"] === "Object Created",
    "duplicate",
    profile.duplicatedUploadEvents,
  );
  const from = runner.clock.now() + profile.packagingOutage.startsAfterMinutes * 60_000;
  runner.mediaPackage.outage(from, from + profile.packagingOutage.minutes * 60_000);
}

/** What the faults did, for a report or an assertion that they happened at all. */
export interface FaultTally {
  readonly createJobServerErrors: number;
  /** Of those, calls that created their job before failing. */
  readonly createJobServerErrorsAfterCreate: number;
  readonly lostJobEvents: number;
  readonly duplicatedUploadEvents: number;
  readonly packagingOutageRefusals: number;
}

export function faultTally(runner: WorkflowRunner): FaultTally {
  const results = runner.mediaConvert.createJobCalls.map((c) => c.result);
  const uploadDeliveries = new Map<string, number>();
  for (const delivery of runner.bus.delivered) {
    if (delivery.event.source !== "aws.s3") continue;
    const key = `${delivery.rule}:${delivery.event.id}`;
    uploadDeliveries.set(key, (uploadDeliveries.get(key) ?? 0) + 1);
  }
  return {
    createJobServerErrors: results.filter((r) => r.endsWith("InternalServerErrorException")).length,
    createJobServerErrorsAfterCreate: results.filter((r) =>
      /^created:.*:InternalServerErrorException$/.test(r),
    ).length,
    lostJobEvents: runner.bus.lost.filter((l) => l.event.source === "aws.mediaconvert").length,
    duplicatedUploadEvents: [...uploadDeliveries.values()].filter((n) => n > 1).length,
    packagingOutageRefusals: runner.mediaPackage.outageRefusals,
  };
}
