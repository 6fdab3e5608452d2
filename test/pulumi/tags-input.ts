import { readFileSync } from "node:fs";
import * as path from "node:path";

/**
 * Whether the installed @pulumi/aws gives a resource type a `tags` input: the `…Args` interface of
 * its declaration file (`aws:<module>/<file>:<Class>` → `@pulumi/aws/<module>/<file>.d.ts`).
 * @example hasTagsInput("aws:sqs/queue:Queue") === true; hasTagsInput("aws:sqs/queuePolicy:QueuePolicy") === false
 */
export function hasTagsInput(type: string): boolean {
  const match = /^aws:([^/]+)\/([^:]+):(.+)$/.exec(type);
  if (!match) return false;
  const file = path.join(
    path.dirname(require.resolve("@pulumi/aws/package.json")),
    match[1]!,
    `${match[2]}.d.ts`,
  );
  const args = readFileSync(file, "utf8").split(`export interface ${match[3]}Args {`)[1] ?? "";
  return /\n\s+tags\?:/.test(args.split(/\n\}/)[0] ?? "");
}
