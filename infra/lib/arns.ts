/**
 * Where the stack deploys (partition, Region, account) and the ARNs built from it that the
 * provider does not return: ARNs of resources that do not exist yet, or patterns over many.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** Partition, region and account of the stack, for ARNs the provider does not return. */
export interface AwsScope {
  readonly partition: pulumi.Output<string>;
  readonly region: pulumi.Output<string>;
  readonly accountId: pulumi.Output<string>;
}

/** Looks up where the stack deploys; never hard-code the `aws` partition (China, GovCloud). */
export function awsScope(opts?: pulumi.InvokeOutputOptions): AwsScope {
  return {
    partition: aws.getPartitionOutput({}, opts).partition,
    region: aws.getRegionOutput({}, opts).region,
    accountId: aws.getCallerIdentityOutput({}, opts).accountId,
  };
}

/** `arn:<partition>:states:<region>:<account>:stateMachine:<name>`. */
export function stateMachineArn(scope: AwsScope, name: string): pulumi.Output<string> {
  return pulumi.interpolate`arn:${scope.partition}:states:${scope.region}:${scope.accountId}:stateMachine:${name}`;
}

/** Every execution of the named state machine: `arn:<partition>:states:<region>:<account>:execution:<name>:*`. */
export function executionArnPattern(scope: AwsScope, name: string): pulumi.Output<string> {
  return pulumi.interpolate`arn:${scope.partition}:states:${scope.region}:${scope.accountId}:execution:${name}:*`;
}

/** Every MediaConvert job of the account in the Region: `arn:<partition>:mediaconvert:<region>:<account>:jobs/*`. */
export function mediaConvertJobsArn(scope: AwsScope): pulumi.Output<string> {
  return pulumi.interpolate`arn:${scope.partition}:mediaconvert:${scope.region}:${scope.accountId}:jobs/*`;
}

/** Every MediaPackage VOD asset: `arn:<partition>:mediapackage-vod:<region>:<account>:assets/*`. */
export function packagingAssetsArn(scope: AwsScope): pulumi.Output<string> {
  return pulumi.interpolate`arn:${scope.partition}:mediapackage-vod:${scope.region}:${scope.accountId}:assets/*`;
}

/**
 * A schedule group: `arn:<partition>:scheduler:<region>:<account>:schedule-group/<name>`; a schedule
 * created without `groupName` is in the group named `default`.
 */
export function scheduleGroupArn(scope: AwsScope, name = "default"): pulumi.Output<string> {
  return pulumi.interpolate`arn:${scope.partition}:scheduler:${scope.region}:${scope.accountId}:schedule-group/${name}`;
}
