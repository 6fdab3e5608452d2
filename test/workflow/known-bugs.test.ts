import { jestSystemTime, WorkflowRunner } from "../runner";

/**
 * Scenarios that state the correct outcome and currently fail because of a handler bug
 * (`it.failing`: green while the bug is there; jest turns it red once the bug is fixed, and then
 * `.failing` should be removed). Each names the code at fault.
 */
describe("ingest workflow: known handler bugs", () => {
  let runner: WorkflowRunner;

  afterEach(() => runner.stop());
  afterAll(() => WorkflowRunner.shutdown());

  /**
   * submit-job (functions/submit-job/submit-job.ts): a retry creates a job whenever the ledger holds
   * no job id. When CreateJob's response is lost after MediaConvert created the job, and the job then
   * waits SUBMITTED (no event, so handle-job-event cannot adopt its id), a Task retry more than one
   * minute later (throttling backoff in a burst) is outside ClientRequestToken's one-minute window and
   * creates a second job for the same title, writing to the same output prefix.
   */
  it.failing(
    "creates one job even when a CreateJob response is lost and the retry comes after a minute",
    async () => {
      // Prepare: the queue is busy (one slot, a 30-minute job in it).
      runner = await WorkflowRunner.start({
        systemTime: jestSystemTime(jest),
        mediaConvert: { concurrentJobs: 1, fixedTranscodeMs: 30 * 60_000 },
      });
      runner.upload("courses/first.mp4");
      await runner.runUntil(() => runner.mediaConvert.jobs.size === 1);

      // Act: the second title's CreateJob succeeds but its response is lost; the retries are throttled.
      runner.mediaConvert.loseNextCreateJobResponse(1);
      const upload = runner.upload("courses/second.mp4");
      await runner.runUntil(() =>
        runner.mediaConvert.createJobCalls.some((c) => c.result.endsWith("response-lost")),
      );
      runner.mediaConvert.throttleNext(6);
      await runner.settle();

      // Assess
      const { row, jobs } = await runner.title(upload);
      expect(row?.status).toBe("PUBLISHED");
      expect(jobs).toHaveLength(1);
    },
  );

  /**
   * shared/transcode-task.ts `succeed` (called by handle-job-event and reconcile-jobs): the task item
   * of an attempt Step Functions timed out keeps `waiting`, so when that "hung" job does finish after
   * the redrive's job published the title, its COMPLETE is treated as live: the row is updated first
   * (conditioned on the revision only) and SendTaskSuccess then fails with TaskTimedOut. The PUBLISHED
   * row ends up naming the stale job.
   */
  it.failing(
    "keeps the published row on the redrive's job when the timed-out job completes late",
    async () => {
      // Prepare: the first job stalls for 2.5 hours (long enough to time out), then finishes.
      runner = await WorkflowRunner.start({ systemTime: jestSystemTime(jest) });
      runner.mediaConvert.scriptNext({ outcome: "STALL", stallMs: 150 * 60_000 });
      const upload = runner.upload("courses/stalled.mp4");
      await runner.runUntil(() => runner.failureMessages().length === 1);
      const execution = runner.claimingExecution(upload)!;
      expect(execution.error).toBe("States.HeartbeatTimeout");

      // Act: the operator redrives at once; later, the stalled job completes.
      runner.redrive(execution.executionArn);
      await runner.runUntil(() => execution.closed);
      const published = await runner.row(upload.assetId);
      await runner.settle();

      // Assess
      const [stale, fresh] = runner.jobsFor(upload);
      expect(stale!.finishedAt!).toBeGreaterThan(execution.stopDate!);
      expect(published).toMatchObject({ status: "PUBLISHED", job: { id: fresh!.id } });
      expect(await runner.row(upload.assetId)).toEqual(published);
    },
  );
});
