import { SQSClient } from "@aws-sdk/client-sqs";

/** ./tracing.ts as a bundle built with `traceAwsCalls` (or without) sees it, loaded afresh. */
function tracingModule(traceAwsCalls: string | undefined): typeof import("./tracing") {
  const saved = { ...process.env };
  if (traceAwsCalls === undefined) delete process.env.VOD_TRACE_AWS_CALLS;
  else process.env.VOD_TRACE_AWS_CALLS = traceAwsCalls;
  // Powertools Tracer enables itself only inside Lambda.
  process.env.AWS_EXECUTION_ENV = "AWS_Lambda_nodejs24.x";
  process.env.AWS_LAMBDA_FUNCTION_NAME = "vod-tracing-test";
  try {
    let loaded: typeof import("./tracing") | undefined;
    jest.isolateModules(() => {
      loaded = jest.requireActual<typeof import("./tracing")>("./tracing");
    });
    return loaded!;
  } finally {
    process.env = saved;
  }
}

const middlewareNames = (client: SQSClient) => client.middlewareStack.identify().join("\n");

describe("tracing", () => {
  it("instruments clients and the handler when the bundle traces AWS calls", () => {
    // Act
    const tracing = tracingModule("true");
    const client = tracing.traced(new SQSClient({ region: "eu-west-1" }));

    // Assess
    expect(tracing.tracer).toBeDefined();
    expect(middlewareNames(client)).toContain("XRaySDKInstrumentation");
    expect(tracing.tracingMiddlewares()).toHaveLength(1);
  });

  it.each([[undefined], ["false"]])(
    "leaves clients as they are and adds no middleware when VOD_TRACE_AWS_CALLS is %s",
    (value) => {
      // Act
      const tracing = tracingModule(value);
      const client = new SQSClient({ region: "eu-west-1" });

      // Assess
      expect(tracing.tracer).toBeUndefined();
      expect(tracing.traced(client)).toBe(client);
      expect(middlewareNames(client)).not.toContain("XRaySDKInstrumentation");
      expect(tracing.tracingMiddlewares()).toEqual([]);
    },
  );
});
