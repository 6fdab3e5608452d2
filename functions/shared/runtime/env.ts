import type * as z from "zod/mini";
import { issuesText } from "./schema-issues";

/**
 * The environment variables a function's env schema (`functions/<fn>/env.ts`) reads, as the
 * strings Lambda passes. infra/functions.ts types each function's `environment` with it (values
 * `pulumi.Input<string>`), so `tsc` fails when infra sets a variable the schema does not read or
 * misses one it does; tests type the environment they set the same way.
 * @example const env: EnvironmentOf<typeof ClaimUploadEnvSchema> = { CATALOGUE_TABLE: "t", LEDGER_TABLE: "l", ACCEPTED_EXTENSIONS: "mp4" }
 */
export type EnvironmentOf<Schema extends z.ZodMiniObject, Value = string> = {
  readonly [Name in keyof z.input<Schema>]-?: Value;
};

/**
 * The function's environment, parsed by its schema on first use and kept for the container's life.
 * Parsing on first use (not at module load) lets a test set the environment after its imports; a
 * mis-deployed function still fails on its first invocation, naming the variable, instead of writing
 * to the wrong place.
 */
export function lazyEnv<Schema extends z.ZodMiniType>(schema: Schema): () => z.output<Schema> {
  let parsed: z.output<Schema> | undefined;
  return () => {
    if (parsed === undefined) {
      const result = schema.safeParse(process.env);
      if (!result.success) throw new Error(`Invalid environment: ${issuesText(result.error)}`);
      parsed = result.data;
    }
    return parsed;
  };
}
