import { jestSystemTime, WorkflowRunner } from "../runner";
import { applyFaults, faultTally, type FaultProfile } from "../runner/faults";
import { PACKAGING_OUTAGE_MINUTES, TASK_STATES } from "../../statemachines/ingest-states";

/**
 * The bench's fault profile (test/runner/faults.ts, issue 12) on a small burst, harsher than the
 * bench's so that every fault meets some title: CreateJob 500s (half after the job was created), lost
 * MediaConvert events, duplicated upload events and a 10-minute MediaPackage outage while titles are
 * registering. Every title must still publish with one job and one packaging asset, and nothing may
 * wait in a dead-letter queue.
 */
const HARSH: FaultProfile = {
  createJobServerErrors: { share: 0.25, afterCreateShare: 0.5 },
  lostJobEvents: 0.1,
  duplicatedUploadEvents: 0.3,
  packagingOutage: { startsAfterMinutes: 2, minutes: PACKAGING_OUTAGE_MINUTES },
};

describe("ingest workflow: a burst through the fault profile", () => {
  let runner: WorkflowRunner;

  afterEach(() => runner.stop());
  afterAll(() => WorkflowRunner.shutdown());

  it("publishes every title once, with one job and one asset, through 500s, lost events, duplicates and an outage", async () => {
    // Prepare: 4 jobs at a time, so titles reach "Register With MediaPackage" throughout the outage.
    runner = await WorkflowRunner.start({
      systemTime: jestSystemTime(jest),
      admission: { createJobRate: 4, concurrency: 2 },
      mediaConvert: { createJobPerSecond: 5, concurrentJobs: 4, fixedTranscodeMs: 60_000 },
    });
    applyFaults(runner, HARSH);

    // Act
    const uploads = Array.from({ length: 40 }, (_, i) => runner.upload(`faults/${i}.mp4`));
    await runner.settle();

    // Assess: every fault happened ...
    const tally = faultTally(runner);
    expect(tally.createJobServerErrors).toBeGreaterThan(tally.createJobServerErrorsAfterCreate);
    expect(tally.createJobServerErrorsAfterCreate).toBeGreaterThan(0);
    expect(tally.lostJobEvents).toBeGreaterThan(0);
    expect(tally.duplicatedUploadEvents).toBeGreaterThan(0);
    expect(tally.packagingOutageRefusals).toBeGreaterThan(0);
    // ... and titles were registering while MediaPackage was down, so some retried through it.
    const registerRetries = runner
      .executions()
      .flatMap((e) => e.entriesOf(TASK_STATES.register))
      .reduce((n, e) => n + e.retries, 0);
    expect(registerRetries).toBeGreaterThan(0);
    // Nothing was lost or done twice.
    for (const upload of uploads) {
      const { row, jobs, packagingAssets } = await runner.title(upload);
      expect(row?.status).toBe("PUBLISHED");
      expect(jobs).toHaveLength(1);
      expect(packagingAssets).toHaveLength(1);
    }
    const created = runner.mediaPackage.createAssetCalls.filter((c) => c.result === "created");
    expect(new Set(created.map((c) => c.input.Id)).size).toBe(created.length);
    expect(runner.sqs.messages(runner.names.queues.admissionFailures)).toHaveLength(0);
    expect(runner.asyncFailures()).toEqual([]);
  });
});
