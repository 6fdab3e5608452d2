import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** A statement for `aws.iam.getPolicyDocumentOutput({ statements: [...] })`. */
export type PolicyStatement = aws.types.input.iam.GetPolicyDocumentStatementArgs;

/**
 * Denies every request to a bucket and its objects that is not made over TLS. A Deny on `s3:*`
 * grants nothing; it is the form AWS documents for enforcing encryption in transit.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html#transit
 * @example denyInsecureTransport(bucket.arn) // Resource: [arn, arn/*], Condition Bool aws:SecureTransport=false
 */
export function denyInsecureTransport(bucketArn: pulumi.Input<string>): PolicyStatement {
  return {
    sid: "DenyInsecureTransport",
    effect: "Deny",
    principals: [{ type: "*", identifiers: ["*"] }],
    actions: ["s3:*"],
    resources: [bucketArn, pulumi.interpolate`${bucketArn}/*`],
    conditions: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
  };
}

/**
 * Lets EventBridge put events that a rule target could not take into a dead-letter queue, only
 * for the given rules. A DLQ set through the API gets no policy by itself.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html#eb-dlq-perms
 */
export function eventBridgeSendsToQueue(
  queueArn: pulumi.Input<string>,
  ruleArns: readonly pulumi.Input<string>[],
): PolicyStatement {
  if (ruleArns.length === 0) {
    throw new Error("eventBridgeSendsToQueue needs at least one rule ARN to scope aws:SourceArn to");
  }
  return {
    sid: "EventBridgeDeadLetters",
    effect: "Allow",
    principals: [{ type: "Service", identifiers: ["events.amazonaws.com"] }],
    actions: ["sqs:SendMessage"],
    resources: [queueArn],
    conditions: [{ test: "ArnEquals", variable: "aws:SourceArn", values: [...ruleArns] }],
  };
}

/**
 * The statement of KMS's default key policy: the account owns the key and IAM policies decide
 * who may use and manage it. Without it no IAM principal could ever change or delete the key
 * (and KMS refuses a policy that locks the caller out). In a key policy `Resource: "*"` means
 * "this key", and `kms:*` is the documented default, not a grant to anyone outside the account.
 * https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#key-policy-default-allow-root-enable-iam
 */
export function accountOwnsKey(
  partition: pulumi.Input<string>,
  accountId: pulumi.Input<string>,
): PolicyStatement {
  return {
    sid: "AccountOwnsKey",
    effect: "Allow",
    principals: [{ type: "AWS", identifiers: [pulumi.interpolate`arn:${partition}:iam::${accountId}:root`] }],
    actions: ["kms:*"],
    resources: ["*"],
  };
}

/**
 * Lets CloudWatch alarms publish to an SNS topic encrypted with this key. Alarms cannot use the
 * AWS managed key `alias/aws/sns` (its policy cannot be changed to admit CloudWatch).
 * https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
 * https://repost.aws/knowledge-center/cloudwatch-configure-alarm-sns
 */
export function cloudWatchAlarmsUseKey(): PolicyStatement {
  return {
    sid: "CloudWatchAlarmsPublish",
    effect: "Allow",
    principals: [{ type: "Service", identifiers: ["cloudwatch.amazonaws.com"] }],
    actions: ["kms:Decrypt", "kms:GenerateDataKey*"],
    resources: ["*"],
  };
}

/**
 * Trust conditions against the confused deputy: the service may assume the role only while it acts
 * for this account (`aws:SourceAccount`) and, where the service documents the value it sends, for
 * the one resource that uses the role (`aws:SourceArn`; ArnEquals, as the value is a whole ARN).
 * A source ARN is built from names (lib/arns.ts) when the resource needs the role first.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html#cross-service-confused-deputy-prevention
 * @example actingFor(scope.accountId, ruleArn) // StringEquals aws:SourceAccount, ArnEquals aws:SourceArn
 */
export function actingFor(
  accountId: pulumi.Input<string>,
  sourceArn?: pulumi.Input<string>,
): NonNullable<PolicyStatement["conditions"]> {
  return [
    { test: "StringEquals", variable: "aws:SourceAccount", values: [accountId] },
    ...(sourceArn === undefined
      ? []
      : [{ test: "ArnEquals", variable: "aws:SourceArn", values: [sourceArn] }]),
  ];
}

/** The trust policy of a role only the given AWS service may assume. */
export function serviceTrustPolicy(
  service: string,
  conditions: PolicyStatement["conditions"] = undefined,
): pulumi.Output<string> {
  return aws.iam.getPolicyDocumentOutput({
    statements: [
      {
        actions: ["sts:AssumeRole"],
        principals: [{ type: "Service", identifiers: [service] }],
        ...(conditions === undefined ? {} : { conditions }),
      },
    ],
  }).json;
}

/** `iam:PassRole` on one role, only to the named service(s). */
export function passRole(sid: string, roleArn: pulumi.Input<string>, services: string[]): PolicyStatement {
  return {
    sid,
    actions: ["iam:PassRole"],
    resources: [roleArn],
    conditions: [{ test: "StringEquals", variable: "iam:PassedToService", values: services }],
  };
}

/**
 * Completing, failing and heartbeating "Transcode To CMAF" tasks. The Service Authorization
 * Reference lists no resource type for these actions, but Step Functions authorizes them against
 * the state machine that issued the token (the AWS CDK's `grantTaskResponse` scopes them the same
 * way), so they are limited to this stack's state machine.
 */
export function completeTranscodeTasks(machineArn: pulumi.Input<string>): PolicyStatement {
  return {
    sid: "CompleteTranscodeTasks",
    actions: ["states:SendTaskSuccess", "states:SendTaskFailure", "states:SendTaskHeartbeat"],
    resources: [machineArn],
  };
}

/**
 * Lets one CloudFront distribution read a bucket's objects through Origin Access Control, and
 * nothing else: the service principal with `AWS:SourceArn` = the distribution's ARN (the form
 * the CloudFront guide gives; without ListBucket a missing object is a 403, not a 404).
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-s3.html
 * @example cloudFrontReadsBucket(bucket.arn, distribution.arn) // Allow s3:GetObject on arn/* if AWS:SourceArn = distribution
 */
export function cloudFrontReadsBucket(
  bucketArn: pulumi.Input<string>,
  distributionArn: pulumi.Input<string>,
): PolicyStatement {
  return {
    sid: "CloudFrontReadsObjects",
    effect: "Allow",
    principals: [{ type: "Service", identifiers: ["cloudfront.amazonaws.com"] }],
    actions: ["s3:GetObject"],
    resources: [pulumi.interpolate`${bucketArn}/*`],
    conditions: [{ test: "StringEquals", variable: "AWS:SourceArn", values: [distributionArn] }],
  };
}
