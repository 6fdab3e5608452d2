import type {
  CreateJobCommandInput,
  H264Settings,
  H265Settings,
  VideoCodec,
} from "@aws-sdk/client-mediaconvert";
import { jestSystemTime, WorkflowRunner, type MediaFacts } from "..";

/** The GOP fields, common to H.264 and H.265. */
type Gop = Pick<H264Settings & H265Settings, "GopSize" | "GopClosedCadence"> & {
  GopSizeUnits?: "AUTO" | "FRAMES" | "SECONDS";
};

/**
 * The MediaConvert stand-in refuses at CreateJob what the service would not encode: a picture
 * beyond its codec's maximum, and a CMAF fragment that is not a whole number of GOPs.
 */
describe("MediaConvertFake CreateJob", () => {
  let runner: WorkflowRunner;

  beforeEach(async () => {
    runner = await WorkflowRunner.start({ systemTime: jestSystemTime(jest) });
  });
  afterEach(() => runner.stop());
  afterAll(() => WorkflowRunner.shutdown());

  /** A job reading a stored source of this frame rate, with one CMAF output of this picture and encode. */
  function job(
    codec: VideoCodec,
    size: { width: number; height: number },
    encode: Gop = { GopSizeUnits: "AUTO" },
    frameRate: MediaFacts["frameRate"] = { numerator: 30_000, denominator: 1001 },
  ): CreateJobCommandInput {
    const media: MediaFacts = { format: "mp4", widthPx: 7680, heightPx: 4320, durationMs: 10_000, frameRate };
    runner.s3.put(runner.names.sourceBucket, "in/source.mp4", { content: { kind: "media", media } });
    const settings = codec === "H_265" ? { H265Settings: encode } : { H264Settings: encode };
    return {
      Role: `arn:aws:iam::123456789012:role/mediaconvert`,
      Queue: runner.names.mediaConvertQueueArn,
      Tags: { ...runner.names.jobTags },
      Settings: {
        Inputs: [{ FileInput: `s3://${runner.names.sourceBucket}/in/source.mp4` }],
        OutputGroups: [
          {
            OutputGroupSettings: {
              Type: "CMAF_GROUP_SETTINGS",
              CmafGroupSettings: {
                Destination: `s3://${runner.names.outputBucket}/out/index`,
                FragmentLength: 2,
              },
            },
            Outputs: [
              {
                NameModifier: "_v",
                ContainerSettings: { Container: "CMFC" },
                VideoDescription: {
                  Width: size.width,
                  Height: size.height,
                  CodecSettings: { Codec: codec, ...settings },
                },
              },
            ],
          },
        ],
      },
    };
  }

  function refusal(
    input: CreateJobCommandInput,
  ): { name: string; status?: number; message: string } | undefined {
    try {
      runner.mediaConvert.createJob(input);
      return undefined;
    } catch (error) {
      const e = error as Error & { $metadata?: { httpStatusCode?: number } };
      return { name: e.name, status: e.$metadata?.httpStatusCode, message: e.message };
    }
  }

  it("refuses (403) a job without the stack's tags, as a tag-enforcing service control policy would", () => {
    // Prepare
    const tagged = job("H_264", { width: 1920, height: 1080 });
    const { Tags: _tags, ...untagged } = tagged;

    // Act / Assess
    expect(refusal(untagged)).toMatchObject({ name: "ForbiddenException", status: 403 });
    expect(refusal({ ...tagged, Tags: { ...tagged.Tags, "vod:stack": "another-stack" } })).toMatchObject({
      name: "ForbiddenException",
      message: expect.stringContaining("vod:stack"),
    });
    expect(refusal(tagged)).toBeUndefined();
  });

  it("answers a fault profile's 500s, some after the job was created, which a caller cannot tell apart", () => {
    // Prepare: every call fails; half of the failures create the job first.
    runner.mediaConvert.options.createJobServerErrors = { share: 1, afterCreateShare: 0.5 };
    const input = job("H_264", { width: 1920, height: 1080 });

    // Act
    const answers = Array.from({ length: 20 }, () => refusal(input));

    // Assess
    for (const answer of answers)
      expect(answer).toMatchObject({ name: "InternalServerErrorException", status: 500 });
    const results = runner.mediaConvert.createJobCalls.map((c) => c.result);
    const createdFirst = results.filter((r) => r.endsWith(":InternalServerErrorException")).length;
    expect(createdFirst).toBeGreaterThan(0);
    expect(createdFirst).toBeLessThan(20);
    expect(runner.mediaConvert.jobs.size).toBe(createdFirst);
  });

  it("refuses (400) tags MediaConvert refuses: an aws: key, more than 50", () => {
    // Prepare
    const tagged = job("H_264", { width: 1920, height: 1080 });
    const many = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, "v"]));

    // Act / Assess
    expect(refusal({ ...tagged, Tags: { ...tagged.Tags, "aws:owner": "x" } })).toMatchObject({ status: 400 });
    expect(refusal({ ...tagged, Tags: { ...tagged.Tags, ...many } })).toMatchObject({ status: 400 });
  });

  it("refuses an H.264 picture beyond 4096×2160 with a 400, and a portrait one beyond 2160×4096", () => {
    // Act
    const wide = refusal(job("H_264", { width: 4608, height: 1080 }));
    const tall = refusal(job("H_264", { width: 2176, height: 3840 }));

    // Assess
    expect(wide).toEqual({
      name: "BadRequestException",
      status: 400,
      message: expect.stringContaining(
        "4608x1080 exceeds the maximum output resolution of H_264 (4096x2160)",
      ),
    });
    expect(tall?.message).toContain("2176x3840 exceeds the maximum output resolution of H_264 (2160x4096)");
    expect(runner.mediaConvert.jobs.size).toBe(0);
  });

  it("accepts H.264 at exactly 4096×2160 and 2160×4096, and H.265 up to 8192×4320", () => {
    // Assess
    expect(refusal(job("H_264", { width: 4096, height: 2160 }))).toBeUndefined();
    expect(refusal(job("H_264", { width: 2160, height: 4096 }))).toBeUndefined();
    expect(refusal(job("H_265", { width: 8192, height: 4320 }))).toBeUndefined();
    expect(refusal(job("H_265", { width: 8192, height: 4352 }))?.status).toBe(400);
  });

  it("refuses a GOP in seconds that is not a whole number of frames at the source's 29.97 fps", () => {
    // Act
    const refused = refusal(
      job("H_264", { width: 1920, height: 1080 }, { GopSize: 2, GopSizeUnits: "SECONDS" }),
    );

    // Assess
    expect(refused).toMatchObject({ name: "BadRequestException", status: 400 });
    expect(refused?.message).toContain("59.94 frames, not a whole number");
  });

  it("accepts a GOP in seconds that is whole frames (2 s at 25 fps), and AUTO at any rate", () => {
    // Assess
    const at25 = { numerator: 25, denominator: 1 };
    expect(
      refusal(job("H_264", { width: 1920, height: 1080 }, { GopSize: 2, GopSizeUnits: "SECONDS" }, at25)),
    ).toBeUndefined();
    expect(refusal(job("H_264", { width: 1920, height: 1080 }, { GopSizeUnits: "AUTO" }))).toBeUndefined();
  });

  it("refuses a fragment that is not a whole multiple of GOP size × closed cadence ÷ frame rate (AWS's 50 fps, 90 frames example)", () => {
    // Act
    const at50 = { numerator: 50, denominator: 1 };
    const refused = refusal(
      job(
        "H_264",
        { width: 1920, height: 1080 },
        { GopSize: 90, GopSizeUnits: "FRAMES", GopClosedCadence: 1 },
        at50,
      ),
    );
    const cadence = refusal(
      job(
        "H_264",
        { width: 1920, height: 1080 },
        { GopSize: 60, GopSizeUnits: "FRAMES", GopClosedCadence: 2 },
      ),
    );

    // Assess
    expect(refused?.message).toContain(
      "FragmentLength 2 is not a multiple of GOP size × closed GOP cadence ÷ frame rate",
    );
    expect(cadence?.status).toBe(400);
  });

  it("accepts AWS's 30 fps, 60-frame example, and 60 frames at 29.97 read at its nominal 30", () => {
    // Assess
    const gop60 = { GopSize: 60, GopSizeUnits: "FRAMES", GopClosedCadence: 1 } as const;
    expect(
      refusal(job("H_264", { width: 1920, height: 1080 }, gop60, { numerator: 30, denominator: 1 })),
    ).toBeUndefined();
    expect(refusal(job("H_264", { width: 1920, height: 1080 }, gop60))).toBeUndefined();
  });
});
