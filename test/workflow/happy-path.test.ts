import { jestSystemTime, MEDIA, WorkflowRunner } from "../runner";

/**
 * The whole ingest workflow, run by the local workflow runner with the real handlers: an upload
 * becomes a PUBLISHED catalogue row, whatever characters its key holds.
 */
describe("ingest workflow: happy path", () => {
  let runner: WorkflowRunner;

  beforeEach(async () => {
    runner = await WorkflowRunner.start({ systemTime: jestSystemTime(jest) });
  });
  afterEach(() => runner.stop());
  afterAll(() => WorkflowRunner.shutdown());

  it("publishes an upload with playback URLs for HLS, DASH and CMAF, its renditions, duration and poster", async () => {
    // Prepare: nothing but the stack.
    // Act
    const upload = runner.upload("courses/intro.mp4", { media: MEDIA.talk1080p });
    await runner.settle();

    // Assess
    const { row, execution, jobs, packagingAssets } = await runner.title(upload);
    expect(execution?.status).toBe("SUCCEEDED");
    expect(execution?.entries.map((e) => e.name)).toEqual([
      "Claim Upload",
      "Route Upload",
      "Transcode To CMAF",
      "Register With MediaPackage",
      "Publish To Catalogue",
      "Published",
    ]);
    expect(row).toMatchObject({
      status: "PUBLISHED",
      revision: upload.revision,
      source: { bucket: upload.bucket, key: upload.key, versionId: upload.versionId, size: upload.size },
      durationMs: expect.any(Number),
      packagingAssetId: `${upload.assetId}-${upload.revision}`,
    });
    const cdn = runner.names.cdnBaseUrl;
    expect(row?.playback).toEqual({
      hls: expect.stringMatching(new RegExp(`^${cdn}/out/v1/[0-9a-f]{32}/.+/index\\.m3u8$`)),
      dash: expect.stringMatching(new RegExp(`^${cdn}/out/v1/[0-9a-f]{32}/.+/index\\.mpd$`)),
      cmaf: expect.stringMatching(new RegExp(`^${cdn}/out/v1/[0-9a-f]{32}/.+/index\\.m3u8$`)),
    });
    expect(row?.cmafGroup).toEqual({
      hls: `${cdn}/${upload.assetId}/${upload.revision}/cmaf/index.m3u8`,
      dash: `${cdn}/${upload.assetId}/${upload.revision}/cmaf/index.mpd`,
    });
    expect(row?.durationMs).toBeGreaterThanOrEqual(MEDIA.talk1080p.durationMs);
    expect(row?.renditions?.map((r) => `${r.widthPx}x${r.heightPx}`)).toEqual([
      "1920x1080",
      "1280x720",
      "854x480",
      "640x360",
    ]);
    expect(row?.posterImage).toMatch(
      new RegExp(`^s3://${runner.names.outputBucket}/${upload.assetId}/${upload.revision}/poster/.+\\.jpg$`),
    );
    expect(row?.error).toBeUndefined();
    expect(jobs).toHaveLength(1);
    expect(packagingAssets).toHaveLength(1);
    expect(runner.failureMessages()).toEqual([]);
    expect(runner.asyncFailures()).toEqual([]);
  });

  it("publishes only CDN URLs, each served through the distribution, while the origin refuses viewers", async () => {
    // Prepare
    const upload = runner.upload("courses/locked.mp4");
    await runner.settle();
    const { row } = await runner.title(upload);
    const urls = [...Object.values(row?.playback ?? {}), ...Object.values(row?.cmafGroup ?? {})];

    // Act
    const viaCdn = urls.map((url) => runner.cdn.get(url));
    const egressUrls = runner.packagingAssetsFor(upload.assetId).flatMap((a) => Object.values(a.urls));
    const direct = egressUrls.map((url) => runner.mediaPackage.egress(url));
    const wrongIdentifier = egressUrls.map((url) =>
      runner.mediaPackage.egress(url, { "X-MediaPackage-CDNIdentifier": "not-the-secret-value" }),
    );

    // Assess
    expect(urls).toHaveLength(5);
    expect(new Set(urls.map((url) => new URL(url).origin))).toEqual(new Set([runner.names.cdnBaseUrl]));
    expect(viaCdn.map((r) => `${r.origin} ${r.status}`)).toEqual([
      "mediapackage 200",
      "mediapackage 200",
      "mediapackage 200",
      "output-bucket 200",
      "output-bucket 200",
    ]);
    expect(direct).toHaveLength(3);
    expect(direct.map((r) => r.status)).toEqual([403, 403, 403]);
    expect(direct[0]?.reason).toBe("no X-MediaPackage-CDNIdentifier");
    expect(wrongIdentifier.map((r) => r.status)).toEqual([403, 403, 403]);
  });

  it("stays within 10 state transitions and 3 critical-path Lambda invocations per title", async () => {
    // Act
    const upload = runner.upload("courses/budget.mp4");
    await runner.settle();

    // Assess
    const metrics = runner.metrics((await runner.title(upload)).execution!);
    expect(metrics.transitions).toBeLessThanOrEqual(10);
    expect(metrics.workflowInvocations).toEqual({ "claim-upload": 1, "submit-job": 1, "register-asset": 1 });
    // Event-driven work of this title: MediaConvert job events, and the execution's RUNNING status event.
    expect(metrics.eventInvocations["handle-job-event"]).toBeGreaterThanOrEqual(2);
  });

  describe.each(["raw", "percent", "form"] as const)(
    "with the key %s-encoded in the S3 event",
    (keyEncoding) => {
      it.each([
        ["spaces and parentheses", "lectures/lecture 01 (final).mov"],
        ["a plus sign", "talks/c++ talk.mp4"],
        ["unicode and deep folders", "ünïcode/日本語/vidéo été 2024/clip №1.mkv"],
      ])("publishes a key with %s", async (_what, key) => {
        // Act
        const upload = runner.upload(key, { keyEncoding });
        await runner.settle();

        // Assess
        const { row, jobs } = await runner.title(upload);
        expect(row).toMatchObject({ status: "PUBLISHED", source: { key } });
        expect(upload.assetId).toMatch(/^[A-Za-z0-9_-]+$/);
        // MediaConvert reads the raw key; no user character reaches an output path or MediaPackage.
        expect(jobs).toHaveLength(1);
        expect(jobs[0]!.request.Settings?.Inputs?.[0]?.FileInput).toBe(`s3://${upload.bucket}/${key}`);
        const destinations = JSON.stringify(jobs[0]!.request.Settings?.OutputGroups);
        expect(destinations).not.toContain(key.split("/").pop()!.split(".")[0]!);
        expect(runner.packagingAssetsFor(upload.assetId)).toHaveLength(1);
      });
    },
  );
});
