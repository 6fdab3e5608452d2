import { outputLayout } from "../shared/media/output-layout";
import { createJobInput, taskOutputs } from "./job-request";

const options = {
  settings: { OutputGroups: [] },
  assetId: "lecture-01-final_3f9a2c",
  correlationId: "4306848e75a22d412fed3f08a68cd465",
  stackMarker: "vod-ingest-dev",
  queueArn: "arn:aws:mediaconvert:us-west-2:111122223333:queues/vod-ingest-dev",
  roleArn: "arn:aws:iam::111122223333:role/vod-ingest-dev-mediaconvert",
  tags: { team: "media", "vod:stack": "vod-ingest-dev" },
};
const layout = outputLayout("vod-output", "lecture-01-final_3f9a2c", "0a1b2c3d4e5f");

describe("createJobInput", () => {
  it("puts only the three ids in userMetadata", () => {
    expect(createJobInput(options).UserMetadata).toEqual({
      assetId: "lecture-01-final_3f9a2c",
      correlationId: "4306848e75a22d412fed3f08a68cd465",
      stack: "vod-ingest-dev",
    });
  });

  it.each([
    ["stack marker", { stackMarker: "vod ingest/dev" }],
    ["asset id", { assetId: "a%26b" }],
    ["asset id longer than 256", { assetId: "a".repeat(257) }],
  ])("refuses a %s userMetadata could not carry", (_what, override) => {
    expect(() => createJobInput({ ...options, ...override })).toThrow(/userMetadata/);
  });

  it("tags the job for billing with the stack's tags", () => {
    const input = createJobInput(options);
    expect(input.Tags).toEqual({ team: "media", "vod:stack": "vod-ingest-dev" });
    expect(input.BillingTagsSource).toBe("JOB");
  });

  it("refuses tags MediaConvert would refuse", () => {
    expect(() => createJobInput({ ...options, tags: { "aws:x": "1" } })).toThrow(/reserved/);
  });

  it("refuses a ClientRequestToken longer than 64 characters", () => {
    expect(() => createJobInput({ ...options, correlationId: "a".repeat(65) })).toThrow(/64/);
  });
});

describe("taskOutputs", () => {
  it("stores the HLS-TS manifest as what MediaPackage ingests by default", () => {
    expect(taskOutputs(layout, "hls-ts").packagingManifest).toBe(layout.hls.manifest);
  });

  it("stores the CMAF group's .m3u8 as what MediaPackage ingests with packagingSource cmaf", () => {
    expect(taskOutputs(layout, "cmaf")).toEqual({
      cmafHlsManifest: layout.cmaf.hlsManifest,
      cmafDashManifest: layout.cmaf.dashManifest,
      packagingManifest: layout.cmaf.hlsManifest,
      posterImage: layout.poster.image,
    });
  });
});
