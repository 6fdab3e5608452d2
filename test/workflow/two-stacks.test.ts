import { jestSystemTime, WorkflowRunner, type FakeJob } from "../runner";

/**
 * Two stacks in one account share MediaConvert's event stream. Their events carry the other stack's
 * userMetadata marker and, in the worst case, the same correlation id (the same upload ingested by
 * both). Nothing of theirs may complete, fail or heartbeat our task.
 */
describe("ingest workflow: another stack's MediaConvert events", () => {
  let runner: WorkflowRunner;

  afterEach(() => runner.stop());
  afterAll(() => WorkflowRunner.shutdown());

  /** Our job, and two foreign jobs with its correlation id: one fails early, one completes first. */
  async function interleave(): Promise<{
    ours: FakeJob;
    foreign: FakeJob[];
    upload: ReturnType<WorkflowRunner["upload"]>;
  }> {
    // Slow enough that the foreign events land in the middle of our job.
    runner.mediaConvert.options.fixedTranscodeMs = 5 * 60_000;
    const upload = runner.upload("courses/shared.mp4");
    await runner.runUntil(() => runner.jobsFor(upload).length === 1);
    const ours = runner.jobsFor(upload)[0]!;
    const metadata = { ...ours.request.UserMetadata, stack: "vod-other" };
    const input = ours.request.Settings!.Inputs![0]!.FileInput!;
    const foreign = [
      runner.mediaConvert.foreignJob(metadata, input, {
        outcome: "ERROR",
        errorCode: 1030,
        errorMessage: "not ours",
      }),
      runner.mediaConvert.foreignJob(metadata, input, { outcome: "COMPLETE", transcodeMs: 60_000 }),
    ];
    return { ours, foreign, upload };
  }

  it("ignores events carrying another stack's marker even when they reach handle-job-event", async () => {
    // Prepare: a rule without the marker filter, so the handler's own check is what protects us.
    runner = await WorkflowRunner.start({ systemTime: jestSystemTime(jest), jobEventRule: "all" });

    // Act
    const { ours, foreign, upload } = await interleave();
    await runner.settle();

    // Assess
    const { row, execution } = await runner.title(upload);
    expect(foreign.map((j) => j.status)).toEqual(["ERROR", "COMPLETE"]);
    expect(foreign[1]!.finishedAt!).toBeLessThan(ours.finishedAt!);
    const deliveredForeign = runner.bus.delivered.filter((d) =>
      foreign.some((j) => j.id === (d.event.detail as { jobId: string }).jobId),
    );
    expect(deliveredForeign.length).toBeGreaterThanOrEqual(3);
    expect(execution?.status).toBe("SUCCEEDED");
    expect(row).toMatchObject({ status: "PUBLISHED", job: { id: ours.id } });
    expect(runner.tokens.callsOf("SendTaskFailure")).toEqual([]);
    expect(runner.tokens.callsOf("SendTaskSuccess").map((c) => c.result)).toEqual(["accepted"]);
    expect(runner.asyncFailures()).toEqual([]);
  });

  it("never delivers them with the deployed rule, which filters on the marker", async () => {
    // Prepare
    runner = await WorkflowRunner.start({ systemTime: jestSystemTime(jest) });

    // Act
    const { foreign, upload } = await interleave();
    await runner.settle();

    // Assess
    const foreignIds = new Set(foreign.map((j) => j.id));
    expect(
      runner.bus.published.some((e) => foreignIds.has((e.detail as { jobId?: string }).jobId ?? "")),
    ).toBe(true);
    expect(
      runner.bus.delivered.some((d) => foreignIds.has((d.event.detail as { jobId?: string }).jobId ?? "")),
    ).toBe(false);
    expect((await runner.row(upload.assetId))?.status).toBe("PUBLISHED");
  });
});
