import { jestSystemTime, MEDIA, WorkflowRunner } from "../runner";

/** What S3 and EventBridge throw at the workflow: duplicates, re-uploads, things that are not videos. */
describe("ingest workflow: uploads", () => {
  let runner: WorkflowRunner;

  beforeEach(async () => {
    runner = await WorkflowRunner.start({ systemTime: jestSystemTime(jest) });
  });
  afterEach(() => runner.stop());
  afterAll(() => WorkflowRunner.shutdown());

  it("processes a duplicate delivery of the same object version once: one job, one MediaPackage asset", async () => {
    // Act: EventBridge delivers the "Object Created" event twice; two executions start.
    const upload = runner.upload("courses/duplicate.mp4", { deliveries: 2 });
    await runner.settle();

    // Assess
    const { row, executions, jobs, packagingAssets } = await runner.title(upload);
    expect(executions).toHaveLength(2);
    expect(executions.map((e) => e.status)).toEqual(["SUCCEEDED", "SUCCEEDED"]);
    expect(executions.map((e) => e.lastEntry?.name).sort()).toEqual(["Nothing To Do", "Published"]);
    expect(jobs).toHaveLength(1);
    expect(runner.mediaConvert.jobs.size).toBe(1);
    expect(packagingAssets).toHaveLength(1);
    expect(row?.status).toBe("PUBLISHED");
  });

  it("processes a re-upload of the same key as a new version and moves the row to it", async () => {
    // Prepare: the first version is published.
    const first = runner.upload("courses/re-upload.mp4");
    await runner.settle();
    expect((await runner.row(first.assetId))?.status).toBe("PUBLISHED");

    // Act
    const second = runner.upload("courses/re-upload.mp4", {
      media: { ...MEDIA.talk1080p, durationMs: 95_000 },
    });
    await runner.settle();

    // Assess
    expect(second.assetId).toBe(first.assetId);
    expect(second.revision).not.toBe(first.revision);
    const row = await runner.row(second.assetId);
    expect(row).toMatchObject({
      status: "PUBLISHED",
      revision: second.revision,
      source: { versionId: second.versionId },
      packagingAssetId: `${second.assetId}-${second.revision}`,
    });
    expect(row?.durationMs).toBeGreaterThanOrEqual(95_000);
    expect(runner.jobsFor(first)).toHaveLength(1);
    expect(runner.jobsFor(second)).toHaveLength(1);
    // The first version's asset was removed once the second was playable (register-asset/older-revisions.ts).
    expect(runner.packagingAssetsFor(second.assetId).map((a) => a.request.Id)).toEqual([
      `${second.assetId}-${second.revision}`,
    ]);
  });

  it("keeps the row on the newest version when a re-upload overtakes the one still transcoding", async () => {
    // Prepare: the first version is transcoding when the second arrives.
    const first = runner.upload("courses/overtaken.mp4", {
      media: { ...MEDIA.talk1080p, durationMs: 600_000 },
    });
    await runner.runUntil(() => runner.jobsFor(first).length === 1);

    // Act
    const second = runner.upload("courses/overtaken.mp4", { media: MEDIA.clip720pSilent });
    await runner.settle();

    // Assess: both versions ran to the end; the older one's publish found the row taken.
    expect(runner.claimingExecution(first)?.lastEntry?.name).toBe("Superseded By Newer Upload");
    expect(runner.claimingExecution(second)?.lastEntry?.name).toBe("Published");
    expect(await runner.row(second.assetId)).toMatchObject({
      status: "PUBLISHED",
      revision: second.revision,
      source: { versionId: second.versionId },
      packagingAssetId: `${second.assetId}-${second.revision}`,
    });
  });

  it.each([
    ["a .txt file", "notes/readme.txt", { media: "text" as const, size: 1_204 }, "Vod.UnsupportedExtension"],
    ["a zero-byte video", "courses/empty.mp4", { size: 0 }, "Vod.EmptySource"],
  ])("rejects %s: REJECTED row, no MediaConvert job", async (_what, key, options, code) => {
    // Act
    const upload = runner.upload(key, options);
    await runner.settle();

    // Assess
    const { row, execution, jobs } = await runner.title(upload);
    expect(execution?.status).toBe("SUCCEEDED");
    expect(execution?.lastEntry?.name).toBe("Source Rejected");
    expect(row).toMatchObject({ status: "REJECTED", error: { code, state: "Claim Upload" } });
    expect(jobs).toEqual([]);
    expect(runner.mediaConvert.createJobCalls).toEqual([]);
    // Cheap checks first: neither costs a Probe call.
    expect(runner.mediaConvert.probeCalls).toEqual([]);
    expect(runner.failureMessages()).toEqual([]);
  });

  it("rejects a file MediaConvert cannot read after probing it", async () => {
    // Act
    const upload = runner.upload("courses/not-really.mp4", { media: "unrecognised" });
    await runner.settle();

    // Assess
    const { row, jobs } = await runner.title(upload);
    expect(row).toMatchObject({ status: "REJECTED", error: { code: "Vod.UnreadableSource" } });
    expect(runner.mediaConvert.probeCalls).toHaveLength(1);
    expect(jobs).toEqual([]);
  });

  it("ignores a folder marker: no row, no job", async () => {
    // Act: the console's "Create folder" writes a zero-byte key ending in "/".
    const upload = runner.upload("courses/2026/", { size: 0 });
    await runner.settle();

    // Assess
    const { row, execution } = await runner.title(upload);
    expect(execution?.status).toBe("SUCCEEDED");
    expect(execution?.lastEntry?.name).toBe("Nothing To Do");
    expect(row).toBeUndefined();
    expect(await runner.rows()).toEqual([]);
    expect(runner.mediaConvert.jobs.size).toBe(0);
  });
});
