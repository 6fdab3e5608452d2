import { jestSystemTime, WorkflowRunner } from "../runner";

/**
 * Waiting on MediaConvert without losing titles or timing out busy queues (ARCHITECTURE.md): lost
 * events heal through the reconciler, queued jobs are kept alive, a hung job times out and a redrive
 * submits a new one. Defaults as deployed: the reconciler runs every 5 minutes, HeartbeatSeconds is
 * 960 (infra/workflow.ts), a job without progress for 60 minutes counts as stalled.
 */
describe("ingest workflow: waiting on MediaConvert", () => {
  let runner: WorkflowRunner;

  afterEach(() => runner.stop());
  afterAll(() => WorkflowRunner.shutdown());

  it("publishes a title whose COMPLETE event was lost: the reconciler finishes the task", async () => {
    // Prepare
    runner = await WorkflowRunner.start({ systemTime: jestSystemTime(jest) });
    runner.bus.lose(
      (event) =>
        event.source === "aws.mediaconvert" && (event.detail as { status?: string }).status === "COMPLETE",
    );

    // Act
    const upload = runner.upload("courses/lost-event.mp4");
    await runner.settle();

    // Assess
    const { row, execution, jobs } = await runner.title(upload);
    expect(runner.bus.lost).toHaveLength(1);
    expect(execution?.status).toBe("SUCCEEDED");
    expect(row).toMatchObject({
      status: "PUBLISHED",
      durationMs: expect.any(Number),
      posterImage: expect.any(String),
    });
    expect(jobs).toHaveLength(1);
    // Completed by the reconciler: SendTaskSuccess came from reconcile-jobs, after GetJob.
    const success = runner.tokens.callsOf("SendTaskSuccess", execution!.executionArn);
    expect(success).toHaveLength(1);
    expect(runner.mediaConvert.getJobCalls.some((c) => c.Id === jobs[0]!.id)).toBe(true);
    expect(runner.invocationCounts()["reconcile-jobs"]).toBeGreaterThanOrEqual(1);
  });

  it("heals a lost COMPLETE event with a reconciler run started by hand", async () => {
    // Prepare: no schedule; the event is lost.
    runner = await WorkflowRunner.start({
      systemTime: jestSystemTime(jest),
      reconcileIntervalMinutes: false,
    });
    runner.bus.lose((event) => (event.detail as { status?: string }).status === "COMPLETE");
    const upload = runner.upload("courses/tick.mp4");
    await runner.runUntil(() => runner.jobsFor(upload)[0]?.status === "COMPLETE");
    await runner.advance(10 * 60_000);
    expect(runner.claimingExecution(upload)?.status).toBe("RUNNING");

    // Act
    const run = await runner.tickReconciler();
    await runner.settle();

    // Assess
    expect(run.outcome).toBe("success");
    expect((await runner.row(upload.assetId))?.status).toBe("PUBLISHED");
  });

  it("shrugs off a COMPLETE event that arrives after the reconciler already finished the task", async () => {
    // Prepare: the event is 12 minutes late; the reconciler (every 5 minutes) gets there first.
    runner = await WorkflowRunner.start({ systemTime: jestSystemTime(jest) });
    runner.bus.delay((event) => (event.detail as { status?: string }).status === "COMPLETE", 12 * 60_000);

    // Act
    const upload = runner.upload("courses/late-event.mp4");
    await runner.settle();

    // Assess
    const { row, execution } = await runner.title(upload);
    expect(row?.status).toBe("PUBLISHED");
    expect(runner.tokens.callsOf("SendTaskSuccess", execution!.executionArn).map((c) => c.result)).toEqual([
      "accepted",
    ]);
    expect(runner.asyncFailures()).toEqual([]);
    const completeDeliveries = runner.bus.delivered.filter(
      (d) => (d.event.detail as { status?: string }).status === "COMPLETE",
    );
    expect(completeDeliveries).toHaveLength(1);
    expect(completeDeliveries[0]!.at).toBeGreaterThan(execution!.stopDate!);
  });

  it("does not time out a job queued longer than HeartbeatSeconds: the reconciler heartbeats it", async () => {
    // Prepare: one job at a time, 40 minutes each, so the second waits queued (no events) for 40 minutes.
    runner = await WorkflowRunner.start({
      systemTime: jestSystemTime(jest),
      mediaConvert: { concurrentJobs: 1, fixedTranscodeMs: 40 * 60_000 },
    });
    const heartbeatSeconds = runner.workflow.definition.States["Transcode To CMAF"] as {
      HeartbeatSeconds?: number;
    };

    // Act
    const first = runner.upload("courses/queue-1.mp4");
    const second = runner.upload("courses/queue-2.mp4");
    await runner.settle();

    // Assess
    const [job] = runner.jobsFor(second);
    const queuedMs = job!.startedAt! - job!.createdAt;
    expect(queuedMs).toBeGreaterThan(heartbeatSeconds.HeartbeatSeconds! * 1000);
    for (const upload of [first, second]) {
      const { row, execution } = await runner.title(upload);
      expect(execution?.status).toBe("SUCCEEDED");
      expect(row?.status).toBe("PUBLISHED");
    }
    const secondExecution = runner.claimingExecution(second)!;
    const heartbeatsWhileQueued = runner.tokens
      .callsOf("SendTaskHeartbeat", secondExecution.executionArn)
      .filter((c) => c.at < job!.startedAt!);
    expect(heartbeatsWhileQueued.length).toBeGreaterThanOrEqual(3);
  });

  it("without the reconciler, the same queued job would time out (the heartbeat really is enforced)", async () => {
    // Prepare
    runner = await WorkflowRunner.start({
      systemTime: jestSystemTime(jest),
      reconcileIntervalMinutes: false,
      mediaConvert: { concurrentJobs: 1, fixedTranscodeMs: 40 * 60_000 },
    });

    // Act
    runner.upload("courses/queue-1.mp4");
    const second = runner.upload("courses/queue-2.mp4");
    await runner.settle();

    // Assess
    const { execution, row } = await runner.title(second);
    expect(execution).toMatchObject({ status: "FAILED", error: "States.HeartbeatTimeout" });
    expect(row?.status).toBe("FAILED");
  });

  it("times out a hung job (States.HeartbeatTimeout, row FAILED with a clear message); a redrive submits a new job and publishes", async () => {
    // Prepare: the first job goes PROGRESSING and then never moves again.
    runner = await WorkflowRunner.start({ systemTime: jestSystemTime(jest) });
    runner.mediaConvert.scriptNext({ outcome: "HANG" });
    const upload = runner.upload("courses/hung.mp4");
    await runner.settle();
    const hung = await runner.title(upload);
    expect(hung.execution).toMatchObject({ status: "FAILED", error: "States.HeartbeatTimeout" });
    expect(hung.execution?.lastEntry?.name).toBe("Transcode To CMAF");
    // Not before the job counted as stalled (60 minutes without progress) and the last heartbeat expired.
    const waitedMs = hung.execution!.stopDate! - hung.execution!.startDate;
    expect(waitedMs).toBeGreaterThan(60 * 60_000);
    expect(waitedMs).toBeLessThan(60 * 60_000 + 2 * 960_000 + 10 * 60_000);
    expect(hung.row).toMatchObject({
      status: "FAILED",
      error: { code: "States.HeartbeatTimeout", state: "Transcode To CMAF" },
    });
    expect(hung.row?.error?.message).toMatch(/stopped reporting progress/);
    expect(hung.failureMessages).toHaveLength(1);
    expect(hung.jobs.map((j) => j.status)).toEqual(["PROGRESSING"]);

    // Act
    const execution = runner.redrive(hung.execution!.executionArn);
    await runner.settle();

    // Assess
    const { row, jobs } = await runner.title(upload);
    expect(execution).toMatchObject({ status: "SUCCEEDED", redriveCount: 1 });
    expect(jobs).toHaveLength(2);
    expect(jobs[1]!.id).not.toBe(jobs[0]!.id);
    expect(jobs[1]!.request.ClientRequestToken).not.toBe(jobs[0]!.request.ClientRequestToken);
    expect(row).toMatchObject({ status: "PUBLISHED", job: { id: jobs[1]!.id } });
    expect(row?.error).toBeUndefined();
  });
});
