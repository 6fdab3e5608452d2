import { jestSystemTime, WorkflowRunner } from "../runner";

/**
 * The two ways one title could get a second job's results: a CreateJob whose response is lost, and a
 * timed-out job that finishes after the redrive's job. Both once were bugs these scenarios caught.
 */
describe("ingest workflow: lost CreateJob responses and late jobs", () => {
  let runner: WorkflowRunner;

  afterEach(() => runner.stop());
  afterAll(() => WorkflowRunner.shutdown());

  /**
   * MediaConvert created the job but the response was lost; the job waits SUBMITTED (no event names
   * it) and the Task retries come more than a minute later (throttled), past ClientRequestToken's
   * one-minute window. submit-job finds the job with ListJobs instead of creating a second one.
   */
  it("creates one job even when a CreateJob response is lost and the retry comes after a minute", async () => {
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
    // submit-job's requeue backoff is full jitter from Math.random: pin it near the top of each range,
    // so the six throttled tries surely take the retry past the one-minute window (2 + 4 + … + 64 s).
    const random = jest.spyOn(Math, "random").mockReturnValue(0.99);
    await runner.settle();
    random.mockRestore();

    // Assess
    const { row, jobs } = await runner.title(upload);
    expect(row?.status).toBe("PUBLISHED");
    expect(jobs).toHaveLength(1);
    const lost = runner.mediaConvert.createJobCalls.find((c) => c.result.endsWith("response-lost"))!;
    const found = runner.mediaConvert.listJobsCalls.find((c) => c.result.startsWith("listed"))!;
    expect(found.at - lost.at).toBeGreaterThan(60_000); // past ClientRequestToken's window
    expect(row?.job?.id).toBe(jobs[0]!.id);
  });

  /**
   * A "hung" job times out, the operator redrives, the redrive's job publishes the title, and then the
   * old job finishes after all. The redrive closed the old attempt's task (SUPERSEDED), so its late
   * COMPLETE changes nothing; the row would refuse it anyway (it follows the redrive's job).
   */
  it("keeps the published row on the redrive's job when the timed-out job completes late", async () => {
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
  });
});
