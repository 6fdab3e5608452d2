import { jestSystemTime, MEDIA, WorkflowRunner } from "../runner";
import { FLOW_STATES } from "../../statemachines/ingest-states";

/**
 * MediaConvert reads a key's current version, never the one claim-upload claimed (its inputs take no
 * version id; shared/media/source-version.ts). A re-upload while a title is processing must never be
 * published under the older revision, even when the newer upload's event is slow to arrive.
 */
describe("ingest workflow: the claimed source version", () => {
  let runner: WorkflowRunner;

  beforeEach(async () => {
    runner = await WorkflowRunner.start({ systemTime: jestSystemTime(jest) });
  });
  afterEach(() => runner.stop());
  afterAll(() => WorkflowRunner.shutdown());

  it("never publishes newer bytes under the older revision when a re-upload lands before the job reads its input", async () => {
    // Prepare: version 1 is claimed and its job created, but not started (a job starts a moment later).
    const key = "courses/replaced-mid-flight.mp4";
    const first = runner.upload(key, { media: { ...MEDIA.talk1080p, durationMs: 600_000 } });
    await runner.runUntil(() => runner.jobsFor(first).length === 1);
    // Version 2 lands now; its "Object Created" event is 30 minutes late.
    runner.bus.delay(
      (event) => (event.detail as { object?: { key?: string } }).object?.key !== undefined,
      1_800_000,
    );

    // Act
    const second = runner.upload(key, { media: MEDIA.clip720pSilent });
    await runner.settle();

    // Assess: version 1's job read version 2's bytes (MediaConvert cannot be pinned) ...
    const [firstJob] = runner.jobsFor(first);
    expect(firstJob?.readVersionId).toBe(second.versionId);
    // ... so version 1 was never published, and never registered with MediaPackage.
    const firstExecution = runner.claimingExecution(first)!;
    expect(firstExecution.status).toBe("SUCCEEDED");
    expect(firstExecution.lastEntry?.name).toBe(FLOW_STATES.superseded);
    expect(firstExecution.entries.map((e) => e.name)).not.toContain(FLOW_STATES.published);
    expect(runner.packagingAssetsFor(first.assetId).map((a) => a.request.Id)).toEqual([
      `${second.assetId}-${second.revision}`,
    ]);
    // Version 2's own execution published it.
    expect(runner.claimingExecution(second)?.lastEntry?.name).toBe(FLOW_STATES.published);
    expect(await runner.row(second.assetId)).toMatchObject({
      status: "PUBLISHED",
      revision: second.revision,
      source: { versionId: second.versionId },
    });
  });

  it("creates no job for a claimed version that a re-upload replaced before the transcode started", async () => {
    // Prepare: version 2 lands right behind version 1, before anything ran; its event is late.
    const key = "courses/replaced-before-submit.mp4";
    const first = runner.upload(key);
    runner.bus.delay(
      (event) => (event.detail as { object?: { key?: string } }).object?.key !== undefined,
      1_800_000,
    );

    // Act
    const second = runner.upload(key, { media: MEDIA.clip720pSilent });
    await runner.settle();

    // Assess: no transcode was paid for version 1's revision.
    expect(runner.claimingExecution(first)?.lastEntry?.name).toBe(FLOW_STATES.superseded);
    expect(runner.jobsFor(first)).toEqual([]);
    expect(runner.jobsFor(second)).toHaveLength(1);
    expect((await runner.row(second.assetId))?.revision).toBe(second.revision);
  });
});
