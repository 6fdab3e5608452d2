import { jestSystemTime, MEDIA, WorkflowRunner } from "../runner";
import { TASK_STATES } from "../../statemachines/ingest-states";
import { LONGEST_PACKAGED_TITLE_MS, packagingWaitMs } from "../../functions/shared/media/packaging-wait";

/**
 * How long "Register With MediaPackage" waits for PLAYABLE: sized by the title's duration
 * (functions/shared/media/packaging-wait.ts), not a fixed number of retries.
 */
describe("ingest workflow: waiting for MediaPackage", () => {
  let runner: WorkflowRunner | undefined;

  afterEach(() => runner?.stop());
  afterAll(() => WorkflowRunner.shutdown());

  it("waits as long as the longest title needs: publishes one MediaPackage takes nearly its whole allowance to ingest", async () => {
    // Prepare: a title of the longest supported duration, ingested just inside its allowance.
    const allowanceMs = packagingWaitMs(LONGEST_PACKAGED_TITLE_MS);
    runner = await WorkflowRunner.start({
      systemTime: jestSystemTime(jest),
      mediaPackage: { ingestMs: allowanceMs - 5 * 60_000 },
      mediaConvert: { fixedTranscodeMs: 30 * 60_000 },
    });

    // Act
    const upload = runner.upload("films/feature.mp4", {
      media: { ...MEDIA.talk1080p, durationMs: LONGEST_PACKAGED_TITLE_MS },
    });
    await runner.settle(48 * 3600_000);

    // Assess
    const { row, execution } = await runner.title(upload);
    expect(execution?.status).toBe("SUCCEEDED");
    expect(row?.status).toBe("PUBLISHED");
  });

  it("fails a short title whose asset stays PROCESSING once its allowance is spent, naming the wait", async () => {
    // Prepare: MediaPackage never finishes (for a day).
    runner = await WorkflowRunner.start({
      systemTime: jestSystemTime(jest),
      mediaPackage: { ingestMs: 24 * 3600_000 },
    });

    // Act
    const upload = runner.upload("courses/stuck.mp4", { media: MEDIA.talk1080p });
    await runner.settle(48 * 3600_000);

    // Assess: failed at the title's allowance (10 minutes + 61 s), plus at most one retry's wait.
    const { row, execution } = await runner.title(upload);
    expect(execution).toMatchObject({ status: "FAILED", error: "Vod.PackagingTimedOut" });
    expect(execution?.lastEntry?.name).toBe(TASK_STATES.register);
    expect(row?.error?.message).toMatch(/still ingesting .* after \d+ minutes/);
    const [asset] = runner.packagingAssetsFor(upload.assetId);
    const failedAt = execution!.lastEntry!.exitedAt ?? runner.now().getTime();
    expect(failedAt - asset!.createdAt).toBeGreaterThanOrEqual(packagingWaitMs(MEDIA.talk1080p.durationMs));
    expect(failedAt - asset!.createdAt).toBeLessThan(
      packagingWaitMs(MEDIA.talk1080p.durationMs) + 5 * 60_000,
    );
  });
});
