import type * as z from "zod/mini";
import type { EnvironmentOf } from "../runtime/env";

/**
 * Sets a function's whole environment for a test file, typed by the function's env schema
 * (`functions/<fn>/env.ts`), and the Region its SDK clients resolve. Handlers parse their
 * environment on first use (`lazyEnv`), so a test calls this at module scope after its imports —
 * no module has to be imported first. Returns the values, for assertions.
 * @example const ENV = setFunctionEnvironment(RecordFailureEnvSchema, { CATALOGUE_TABLE: "t", FAILURES_QUEUE_URL: "https://sqs…" });
 */
export function setFunctionEnvironment<Schema extends z.ZodMiniObject>(
  _schema: Schema,
  values: EnvironmentOf<Schema>,
  region = "us-west-2",
): EnvironmentOf<Schema> {
  Object.assign(process.env, values, { AWS_REGION: region });
  return values;
}
