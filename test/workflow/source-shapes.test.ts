import { jestSystemTime, WorkflowRunner, type MediaFacts } from "../runner";

/** A source's picture and frame rate, with stereo AAC, one minute long unless told. */
function source(widthPx: number, heightPx: number, extra: Partial<MediaFacts> = {}): MediaFacts {
  return {
    format: "mp4",
    widthPx,
    heightPx,
    durationMs: 60_000,
    frameRate: { numerator: 30_000, denominator: 1001 },
    videoCodec: "AVC",
    audio: { codec: "AAC", channels: 2, sampleRate: 48_000 },
    ...extra,
  };
}

/**
 * Sources whose shape or frame rate MediaConvert is strict about. The runner's MediaConvert refuses
 * what the service would (an H.264 picture beyond 4096×2160, a CMAF fragment that is not a whole
 * number of GOPs), so each title below publishes only if the job's settings are ones AWS accepts.
 */
describe("ingest workflow: source shapes and frame rates", () => {
  let runner: WorkflowRunner;
  // One top rung for the whole file: the handlers read LADDER_TOP_RUNG once per module load.
  const start = () => WorkflowRunner.start({ systemTime: jestSystemTime(jest), ladderTopRung: 2160 });

  afterEach(() => runner.stop());
  afterAll(() => WorkflowRunner.shutdown());

  it("publishes an ultra-wide 32:9 upload (7680×2160) with H.264 renditions no wider than 4096, instead of failing at Transcode To CMAF", async () => {
    // Prepare
    runner = await start();

    // Act
    const upload = runner.upload("panoramas/skyline.mp4", { media: source(7680, 2160) });
    await runner.settle();

    // Assess
    const { row, execution, jobs } = await runner.title(upload);
    expect(execution?.status).toBe("SUCCEEDED");
    expect(row?.status).toBe("PUBLISHED");
    expect(row?.renditions?.map((r) => `${r.widthPx}x${r.heightPx}`)).toEqual([
      "4096x1152",
      "3840x1080",
      "2560x720",
      "1706x480",
      "1280x360",
    ]);
    expect(jobs).toHaveLength(1);
    expect(runner.mediaConvert.createJobCalls.map((c) => c.result.split(":")[0])).toEqual(["created"]);
  });

  it("publishes a 4608×1080 upload, its top rung 4096×960 (a top rung of 1080 would not have saved it)", async () => {
    // Prepare
    runner = await start();

    // Act
    const upload = runner.upload("panoramas/dashcam.mp4", { media: source(4608, 1080) });
    await runner.settle();

    // Assess
    const { row } = await runner.title(upload);
    expect(row?.error).toBeUndefined();
    expect(row?.status).toBe("PUBLISHED");
    expect(row?.renditions?.[0]).toMatchObject({ widthPx: 4096, heightPx: 960 });
  });

  it.each([
    ["8K 7680×4320", "3840x2160", source(7680, 4320)],
    ["DCI 4K 4096×2160", "4096x2160", source(4096, 2160)],
    ["portrait 4K 2160×3840", "2160x3840", source(2160, 3840)],
    ["portrait DCI 4K 2160×4096", "2160x4096", source(2160, 4096)],
    ["tiny odd-sized 161×91", "160x90", source(161, 91, { audio: null })],
    ["one-frame 1920×1080", "1920x1080", source(1920, 1080, { durationMs: 33, audio: null })],
  ])("publishes a %s upload, its top rung %s", async (_what, top, media) => {
    // Prepare
    runner = await start();

    // Act
    const upload = runner.upload("shapes/source.mp4", { media });
    await runner.settle();

    // Assess
    const { row } = await runner.title(upload);
    expect(row?.status).toBe("PUBLISHED");
    const [first] = row?.renditions ?? [];
    expect(`${first?.widthPx}x${first?.heightPx}`).toBe(top);
  });

  it.each([
    ["23.976", 24_000, 1001, 48],
    ["25", 25, 1, 50],
    ["29.97", 30_000, 1001, 60],
    ["50", 50, 1, 100],
    ["59.94", 60_000, 1001, 120],
  ])(
    "publishes a %s fps upload (%i/%i), every rung cut into %i-frame GOPs",
    async (_fps, numerator, denominator, gop) => {
      // Prepare
      runner = await start();

      // Act
      const upload = runner.upload("rates/clip.mp4", {
        media: source(1920, 1080, { frameRate: { numerator, denominator } }),
      });
      await runner.settle();

      // Assess
      const { row, jobs } = await runner.title(upload);
      expect(row?.status).toBe("PUBLISHED");
      expect(row?.facts?.frameRate).toEqual({ numerator, denominator });
      const encodes = (jobs[0]?.request.Settings?.OutputGroups ?? [])
        .flatMap((g) => g.Outputs ?? [])
        .flatMap((o) => o.VideoDescription?.CodecSettings?.H264Settings ?? []);
      expect(encodes.map((e) => `${e.GopSize} ${e.GopSizeUnits}`)).toEqual(
        encodes.map(() => `${gop} FRAMES`),
      );
    },
  );
});
