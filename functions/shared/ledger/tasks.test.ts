import type { TaskItem } from "./items";
import { readTaskItem } from "./tasks";

const outputs: TaskItem["outputs"] = {
  cmafHlsManifest: "s3://vod-output/a/r/cmaf/index.m3u8",
  cmafDashManifest: "s3://vod-output/a/r/cmaf/index.mpd",
  packagingManifest: "s3://vod-output/a/r/hls/index.m3u8",
  posterImage: "s3://vod-output/a/r/poster/index_poster.0000001.jpg",
};
const stored = { pk: "task#c0ffee", correlationId: "c0ffee", packagingSource: "hls-ts", waiting: "1" };

describe("readTaskItem", () => {
  it("returns an item in today's shape as it is", () => {
    // Act
    const task = readTaskItem({ ...stored, outputs });

    // Assess
    expect(task.outputs).toEqual(outputs);
    expect(task.packagingSource).toBe("hls-ts");
  });

  it("reads the manifest of an item written before the rename, when outputs named it packagingSource", () => {
    // Prepare
    const { packagingManifest, ...rest } = outputs;

    // Act
    const task = readTaskItem({ ...stored, outputs: { ...rest, packagingSource: packagingManifest } });

    // Assess
    expect(task.outputs).toEqual(outputs);
    expect(task.packagingSource).toBe("hls-ts");
  });
});
