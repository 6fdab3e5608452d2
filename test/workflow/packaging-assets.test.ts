import { jestSystemTime, MEDIA, WorkflowRunner } from "../runner";
import { TASK_STATES } from "../../statemachines/ingest-states";

/**
 * MediaPackage VOD assets are capped per packaging group ("Maximum Assets per Packaging Group",
 * 10,000 by default: https://docs.aws.amazon.com/mediapackage/latest/ug/vod-quotas.html). One asset
 * per source revision that is never removed would fill it; hitting it must fail the title plainly,
 * not be retried as throttling. These runners hold a group of two.
 */
describe("ingest workflow: MediaPackage assets", () => {
  let runner: WorkflowRunner;

  beforeEach(async () => {
    runner = await WorkflowRunner.start({
      systemTime: jestSystemTime(jest),
      mediaPackage: { assetQuota: 2 },
    });
  });
  afterEach(() => runner.stop());
  afterAll(() => WorkflowRunner.shutdown());

  it("removes the superseded revision's asset and outputs once a re-upload of the key publishes", async () => {
    // Prepare: version 1 is published.
    const key = "courses/revised.mp4";
    const first = runner.upload(key);
    await runner.settle();
    const outputsOf = (revision: string) =>
      runner.s3.keys(runner.names.outputBucket, `${first.assetId}/${revision}/`);
    expect(outputsOf(first.revision).length).toBeGreaterThan(0);

    // Act
    const second = runner.upload(key, { media: { ...MEDIA.talk1080p, durationMs: 95_000 } });
    await runner.settle();

    // Assess: only the current revision keeps an asset and outputs.
    expect(await runner.row(first.assetId)).toMatchObject({
      status: "PUBLISHED",
      revision: second.revision,
      packagingAssetId: `${second.assetId}-${second.revision}`,
    });
    expect(runner.packagingAssetsFor(first.assetId).map((a) => a.request.Id)).toEqual([
      `${second.assetId}-${second.revision}`,
    ]);
    expect(outputsOf(first.revision)).toEqual([]);
    expect(outputsOf(second.revision).length).toBeGreaterThan(0);
  });

  it("fails the title at Register With MediaPackage, naming the quota, when the packaging group is full", async () => {
    // Prepare: two titles fill the group.
    for (const key of ["courses/one.mp4", "courses/two.mp4"]) runner.upload(key);
    await runner.settle();

    // Act
    const third = runner.upload("courses/three.mp4");
    await runner.settle();

    // Assess: failed once, not retried as throttling.
    const { row, execution } = await runner.title(third);
    expect(execution).toMatchObject({ status: "FAILED", error: "Vod.PackagingQuotaExceeded" });
    expect(execution?.lastEntry?.name).toBe(TASK_STATES.register);
    expect(execution?.entriesOf(TASK_STATES.register)[0]?.retries).toBe(0);
    expect(row).toMatchObject({ status: "FAILED", error: { code: "Vod.PackagingQuotaExceeded" } });
    expect(row?.error?.message).toContain("Maximum Assets per Packaging Group");
    expect(row?.error?.message).toContain("2");
    const attempts = runner.mediaPackage.createAssetCalls.filter((c) =>
      c.input.Id?.startsWith(third.assetId),
    );
    expect(attempts.map((c) => c.result)).toEqual(["TooManyRequestsException"]);
  });
});
