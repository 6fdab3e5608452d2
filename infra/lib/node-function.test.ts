import * as pulumi from "@pulumi/pulumi";
import { setupPulumiMocks } from "../../test/pulumi/mocks";

/** The `traceAwsCalls` switch, from nodeFunction's args to the code Lambda receives. */
const mocks = setupPulumiMocks();
let archives: jest.MockedFunction<typeof import("./bundle").handlerArchive>;

beforeAll(async () => {
  // The real bundler, watched: what nodeFunction asks of it and the archive it gets back. (The jest
  // transform does not hoist jest.mock, so node-function is loaded after it, here.)
  jest.doMock("./bundle", () => {
    const actual = jest.requireActual<typeof import("./bundle")>("./bundle");
    return { ...actual, handlerArchive: jest.fn(actual.handlerArchive) };
  });
  archives = jest.mocked(jest.requireMock<typeof import("./bundle")>("./bundle").handlerArchive);
  const { nodeFunction } = jest.requireActual<typeof import("./node-function")>("./node-function");
  for (const [name, traceAwsCalls] of [
    ["vod-plain", undefined],
    ["vod-traced", true],
  ] as const) {
    nodeFunction(name, {
      folder: "handle-job-event",
      environment: {},
      statements: [],
      timeoutSeconds: 30,
      memoryMb: 256,
      logRetentionDays: 30,
      ...(traceAwsCalls === undefined ? {} : { traceAwsCalls }),
    });
  }
  await mocks.settle();
}, 120_000);

/** The `index.mjs` of the archive the n-th nodeFunction call deployed. */
async function deployedModule(call: number): Promise<string> {
  const archive = archives.mock.results[call]?.value as pulumi.asset.AssetArchive;
  const assets = (await archive.assets) as Record<string, pulumi.asset.StringAsset>;
  return (await (assets["index.mjs"] as unknown as { text: Promise<string> }).text) ?? "";
}

describe("nodeFunction tracing", () => {
  it("bundles without the X-Ray SDK unless told to trace AWS calls", async () => {
    // Assess
    expect(archives.mock.calls.map(([, options]) => options)).toEqual([
      { traceAwsCalls: false },
      { traceAwsCalls: true },
    ]);
    expect(await deployedModule(0)).not.toContain("XRaySDKInstrumentation");
    expect(await deployedModule(1)).toContain("XRaySDKInstrumentation");
  });

  it("keeps Lambda's active tracing either way", () => {
    for (const name of ["vod-plain", "vod-traced"]) {
      expect(mocks.resourceNamed(name, "aws:lambda/function:Function").inputs).toMatchObject({
        tracingConfig: { mode: "Active" },
      });
    }
  });
});
