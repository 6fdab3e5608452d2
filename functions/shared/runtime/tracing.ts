import type { Tracer } from "@aws-lambda-powertools/tracer";
import type { MiddlewareObj } from "@middy/core";

/*
 * X-Ray subsegments per AWS call (Powertools Tracer), opt-in with the `traceAwsCalls` config key.
 *
 * The choice is made when the bundle is built: infra/lib/bundle.ts replaces
 * `process.env.VOD_TRACE_AWS_CALLS` with the config value (esbuild `define`), so with "false" both
 * branches below are dead code and the X-Ray SDK (aws-xray-sdk-core with semver and cls-hooked,
 * ~135 KB and 13–26 ms of cold init per function, README "Handler weight") is
 * not in the bundle. `require`, not `import`: esbuild drops a `require` in a dead branch but keeps the
 * module of an unused `import`. Outside a bundle (tests, the local runner) the environment decides.
 * Without it, Lambda's active tracing (infra/lib/node-function.ts) still records every invocation and
 * Step Functions traces the execution; only the per-call subsegments are missing.
 * https://docs.powertools.aws.dev/lambda/typescript/latest/core/tracer/
 */

type TracerModule = typeof import("@aws-lambda-powertools/tracer");
type TracerMiddlewareModule = typeof import("@aws-lambda-powertools/tracer/middleware");

/** The tracer, when this build traces AWS calls. It disables itself outside Lambda. */
export const tracer: Tracer | undefined =
  process.env.VOD_TRACE_AWS_CALLS === "true"
    ? // eslint-disable-next-line @typescript-eslint/no-require-imports -- see above: a dead `require` leaves the bundle
      new (require("@aws-lambda-powertools/tracer") as TracerModule).Tracer({ serviceName: "vod-ingest" })
    : undefined;

/** The client, with a subsegment per call when this build traces AWS calls; otherwise as it is. */
export function traced<C extends Parameters<Tracer["captureAWSv3Client"]>[0]>(client: C): C {
  return tracer ? tracer.captureAWSv3Client(client) : client;
}

const tracerMiddleware: TracerMiddlewareModule | undefined =
  process.env.VOD_TRACE_AWS_CALLS === "true"
    ? // eslint-disable-next-line @typescript-eslint/no-require-imports -- see above
      (require("@aws-lambda-powertools/tracer/middleware") as TracerMiddlewareModule)
    : undefined;

/** The handler-segment middleware when this build traces AWS calls; otherwise none. */
export function tracingMiddlewares(): MiddlewareObj[] {
  return tracer && tracerMiddleware ? [tracerMiddleware.captureLambdaHandler(tracer)] : [];
}
