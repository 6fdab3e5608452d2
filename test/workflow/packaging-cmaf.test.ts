import { jestSystemTime, WorkflowRunner } from "../runner";

/**
 * `packagingSource: cmaf` registers the CMAF group's `.m3u8` (fragmented MP4) with MediaPackage VOD,
 * an input its "supported inputs" page does not list (ARCHITECTURE.md). The register step must say
 * so clearly when ingest fails, and work where it has been verified to ingest.
 */
describe("ingest workflow: packagingSource cmaf", () => {
  let runner: WorkflowRunner;

  afterEach(() => runner.stop());
  afterAll(() => WorkflowRunner.shutdown());

  it("fails at Register With MediaPackage, naming the switch, when MediaPackage cannot ingest the CMAF .m3u8", async () => {
    // Prepare
    runner = await WorkflowRunner.start({ systemTime: jestSystemTime(jest), packagingSource: "cmaf" });

    // Act
    const upload = runner.upload("courses/cmaf-only.mp4");
    await runner.settle();

    // Assess
    const { row, execution, jobs } = await runner.title(upload);
    expect(execution).toMatchObject({ status: "FAILED", error: "Vod.PackagingFailed" });
    expect(execution?.lastEntry?.name).toBe("Register With MediaPackage");
    expect(row).toMatchObject({
      status: "FAILED",
      error: { code: "Vod.PackagingFailed", state: "Register With MediaPackage" },
    });
    expect(row?.error?.message).toContain("packagingSource");
    // No HLS-TS group was transcoded: half the output minutes.
    expect(jobs[0]!.request.Settings?.OutputGroups?.map((g) => g.OutputGroupSettings?.Type)).toEqual([
      "CMAF_GROUP_SETTINGS",
      "FILE_GROUP_SETTINGS",
    ]);
  });

  it("publishes where MediaPackage ingests the CMAF .m3u8", async () => {
    // Prepare
    runner = await WorkflowRunner.start({
      systemTime: jestSystemTime(jest),
      packagingSource: "cmaf",
      mediaPackage: { cmafSource: "playable" },
    });

    // Act
    const upload = runner.upload("courses/cmaf-ok.mp4");
    await runner.settle();

    // Assess
    const { row, packagingAssets } = await runner.title(upload);
    expect(row?.status).toBe("PUBLISHED");
    expect((packagingAssets[0] as { request: { SourceArn: string } }).request.SourceArn).toMatch(
      /\/cmaf\/index\.m3u8$/,
    );
  });
});
