import { RegisterRequestSchema } from "./schema";
import registerRequest from "./events/register-request.json";

describe("RegisterRequestSchema", () => {
  it("reads the manifest MediaPackage ingests from packagingManifest", () => {
    // Act
    const request = RegisterRequestSchema.parse(structuredClone(registerRequest));

    // Assess
    expect(request.transcode.packagingManifest).toBe(registerRequest.transcode.packagingManifest);
  });

  it("still reads a state written before the rename, where the URI was called packagingSource", () => {
    // Prepare: an execution that failed at this state before the deploy, redriven after it.
    const { packagingManifest, ...transcode } = structuredClone(registerRequest.transcode);
    const legacy = {
      ...structuredClone(registerRequest),
      transcode: { ...transcode, packagingSource: packagingManifest },
    };

    // Act
    const request = RegisterRequestSchema.parse(legacy);

    // Assess
    expect(request.transcode.packagingManifest).toBe(packagingManifest);
    expect(request.transcode).not.toHaveProperty("packagingSource");
  });

  it("refuses a transcode result with no manifest under either name", () => {
    // Prepare
    const { packagingManifest: _dropped, ...transcode } = structuredClone(registerRequest.transcode);

    // Act
    const parsed = RegisterRequestSchema.safeParse({ ...structuredClone(registerRequest), transcode });

    // Assess
    expect(parsed.success).toBe(false);
  });
});
