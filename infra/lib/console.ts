/** Links into the AWS console, for stack outputs an operator clicks. */
import * as pulumi from "@pulumi/pulumi";
import type { AwsScope } from "./arns";

/** Console domains per partition (the China and GovCloud consoles live elsewhere). */
const CONSOLE_DOMAINS: Readonly<Record<string, string>> = {
  aws: "console.aws.amazon.com",
  "aws-cn": "console.amazonaws.cn",
  "aws-us-gov": "console.amazonaws-us-gov.com",
};

/**
 * The AWS console of the stack's Region, e.g. `https://us-east-1.console.aws.amazon.com`.
 * Links to pages go after it (`/states/home?region=…`).
 */
export function consoleUrl(scope: AwsScope): pulumi.Output<string> {
  return pulumi
    .all([scope.partition, scope.region])
    .apply(([partition, region]) => `https://${region}.${CONSOLE_DOMAINS[partition] ?? CONSOLE_DOMAINS.aws}`);
}
