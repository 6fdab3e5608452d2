import { buildViewer, viewerConfigFile, VIEWER_PREFIX } from "./viewer-bundle";

describe("buildViewer", () => {
  const files = buildViewer();
  const byKey = new Map(files.map((file) => [file.key, file]));

  it("points index.html at the hashed entry module, which it ships", () => {
    // Act
    const html = byKey.get("viewer/index.html")!.body;
    const entry = /src="(viewer-[A-Z0-9]+\.js)"/.exec(html)?.[1];

    // Assess
    expect(entry).toBeDefined();
    expect(byKey.has(`${VIEWER_PREFIX}${entry}`)).toBe(true);
  });

  it("splits each player into its own hashed chunk, loaded on demand", () => {
    const chunks = files.filter((file) => file.key.startsWith("viewer/chunks/"));
    expect(chunks.map((file) => file.key.replace(/-[A-Z0-9]+\.js$/, ""))).toEqual(
      expect.arrayContaining(["viewer/chunks/hls", "viewer/chunks/dash.all.min"]),
    );
    const entry = files.find((file) => /^viewer\/viewer-[A-Z0-9]+\.js$/.test(file.key))!;
    expect(entry.body.length).toBeLessThan(50_000);
    console.log(files.map((file) => `${file.key} ${(file.body.length / 1024).toFixed(0)} KiB`).join("\n"));
  });

  it("lets CDNs keep hashed files a year and revalidates the page", () => {
    for (const file of files) {
      expect(file.cacheControl).toBe(
        file.key === "viewer/index.html" ? "no-cache" : "public, max-age=31536000, immutable",
      );
    }
  });
});

describe("viewerConfigFile", () => {
  it("writes config.json beside the page, revalidated on every load", () => {
    const file = viewerConfigFile({ sessionPath: "/auth/v1/{assetId}/session" });
    expect(file).toEqual({
      key: "viewer/config.json",
      body: '{"sessionPath":"/auth/v1/{assetId}/session"}',
      contentType: "application/json",
      cacheControl: "no-cache",
    });
  });
});
