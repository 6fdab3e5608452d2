import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { awsScope } from "./lib/arns";
import { serviceTrustPolicy } from "./lib/policies";

/** Inputs of the MediaConvert side of the stack. */
export interface TranscodingArgs {
  /** Bucket MediaConvert reads sources from (the source bucket's ARN). */
  readonly sourceBucketArn: pulumi.Input<string>;
  /** Bucket MediaConvert writes the ladder to (the output bucket's ARN). */
  readonly outputBucketArn: pulumi.Input<string>;
  /** ARN of an existing queue to use; default "": the stack creates its own on-demand queue. */
  readonly mediaConvertQueueArn?: string;
  /** Concurrent jobs of the queue created here (config `mediaConvertConcurrentJobs`). */
  readonly concurrentJobs: number;
}

/**
 * The MediaConvert queue jobs are submitted to and the service role jobs run with. The role reads
 * only source objects and writes only output objects; submit-job passes it with `iam:PassRole`.
 */
export class Transcoding extends pulumi.ComponentResource {
  /** The queue every job goes to (the configured one, or the one created here). */
  public readonly queueArn: pulumi.Output<string>;
  /** The MediaConvert service role submit-job passes to CreateJob. */
  public readonly roleArn: pulumi.Output<string>;

  constructor(name: string, args: TranscodingArgs, opts?: pulumi.ComponentResourceOptions) {
    super("vod:transcoding:Transcoding", name, {}, opts);
    const child = { parent: this };
    const existing = args.mediaConvertQueueArn ?? "";

    // An on-demand queue of our own keeps this stack's jobs (and the alarm on them) apart from
    // anything else in the account's Default queue. ACTIVE is stated because the provider's
    // documentation is unsure of its default. Concurrent jobs are stated too: on-demand queues
    // share the account's "Concurrent jobs per account" quota ("the total number of concurrent
    // jobs combined must also be less than or equal to" it, mediaconvert/latest/ug/
    // working-with-on-demand-queues.html), a new queue takes its share from the unallocated
    // jobs (ListQueues `UnallocatedConcurrentJobs`), and the unstated default differs by Region.
    // A value above the headroom is refused with HTTP 429, which the provider retries for about
    // an hour before failing (hashicorp/terraform-provider-aws#41012, #41013): README says how
    // to check the headroom first, and how to fall back to the Default queue.
    this.queueArn =
      existing !== ""
        ? pulumi.output(existing)
        : new aws.mediaconvert.Queue(
            `${name}-queue`,
            {
              description: "vod-ingest transcoding jobs",
              pricingPlan: "ON_DEMAND",
              status: "ACTIVE",
              concurrentJobs: args.concurrentJobs,
            },
            child,
          ).arn;

    const scope = awsScope(child);
    const role = new aws.iam.Role(
      `${name}-role`,
      {
        description: "MediaConvert service role: reads sources, writes the ladder",
        // Only MediaConvert acting for this account may assume it (confused-deputy protection,
        // mediaconvert/latest/ug/cross-service-confused-deputy-prevention.html).
        assumeRolePolicy: serviceTrustPolicy("mediaconvert.amazonaws.com", [
          { test: "StringEquals", variable: "aws:SourceAccount", values: [scope.accountId] },
        ]),
      },
      child,
    );
    new aws.iam.RolePolicy(
      `${name}-role-policy`,
      { role: role.id, policy: mediaConvertRolePolicy(args.sourceBucketArn, args.outputBucketArn) },
      child,
    );
    this.roleArn = role.arn;

    this.registerOutputs({ queueArn: this.queueArn, roleArn: this.roleArn });
  }
}

/**
 * What a MediaConvert job needs from S3. Reading: GetObject (and GetObjectVersion, for a
 * version-qualified input). Writing: PutObject, which also covers the multipart uploads
 * MediaConvert uses for large outputs, and AbortMultipartUpload so a failed upload can be cleaned
 * up. No ACL actions: jobs set no canned ACL (the output bucket enforces bucket-owner ownership).
 * The bucket-level reads are not documented as required either way; they are granted because they
 * expose no object data and cost a job nothing: ListBucket on the source bucket turns a missing
 * input into "not found" instead of "access denied", GetBucketLocation lets the service resolve a
 * bucket's Region. https://docs.aws.amazon.com/mediaconvert/latest/ug/iam-role.html
 */
export function mediaConvertRolePolicy(
  sourceBucketArn: pulumi.Input<string>,
  outputBucketArn: pulumi.Input<string>,
): pulumi.Output<string> {
  return aws.iam.getPolicyDocumentOutput({
    statements: [
      {
        sid: "ReadSources",
        actions: ["s3:GetObject", "s3:GetObjectVersion"],
        resources: [pulumi.interpolate`${sourceBucketArn}/*`],
      },
      {
        sid: "WriteLadder",
        actions: ["s3:PutObject", "s3:AbortMultipartUpload"],
        resources: [pulumi.interpolate`${outputBucketArn}/*`],
      },
      {
        sid: "ListSources",
        actions: ["s3:ListBucket"],
        resources: [sourceBucketArn],
      },
      {
        sid: "LocateBuckets",
        actions: ["s3:GetBucketLocation"],
        resources: [sourceBucketArn, outputBucketArn],
      },
    ],
  }).json;
}
