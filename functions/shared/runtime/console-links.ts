/**
 * Step Functions console page of an execution, where an operator reads the failure and presses Redrive.
 * The region is the execution ARN's (`arn:<partition>:states:<region>:<account>:execution:<machine>:<name>`).
 * @example executionConsoleUrl("arn:aws:states:eu-west-1:123456789012:execution:ingest:abc")
 *   === "https://eu-west-1.console.aws.amazon.com/states/home?region=eu-west-1#/v2/executions/details/arn:aws:states:eu-west-1:123456789012:execution:ingest:abc"
 */
export function executionConsoleUrl(executionArn: string): string {
  const region = executionArn.split(":")[3] ?? "";
  return `https://${region}.console.aws.amazon.com/states/home?region=${region}#/v2/executions/details/${executionArn}`;
}

/** The execution's name: the last segment of its ARN (logged with every line). */
export function executionName(executionArn: string): string {
  return executionArn.split(":").pop() ?? executionArn;
}
