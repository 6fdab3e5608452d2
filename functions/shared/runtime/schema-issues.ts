import * as z from "zod/mini";
import { en } from "zod/locales";

/**
 * zod/mini ships no messages: without a locale every issue reads "Invalid input". English is loaded
 * once here, for every schema in the process (zod's config is global), so a refused payload or
 * environment still says what was expected ("Too small: expected string to have >=1 characters",
 * "Invalid input: expected "aws.s3""). Only `en` is bundled: the other locales tree-shake away.
 * https://zod.dev/packages/mini (error messages), https://zod.dev/error-customization#internationalization
 */
z.config(en());

/**
 * Every issue of a failed parse on one line, `path: message; …` (`(root)` for the value itself), for
 * error messages and logs. Values are never quoted, so a secret in a refused field stays out of logs.
 * @example issuesText(z.object({ a: z.string() }).safeParse({}).error!) === "a: Invalid input: expected string, received undefined"
 */
export function issuesText(error: z.core.$ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.map(String).join(".") || "(root)"}: ${issue.message}`)
    .join("; ");
}
