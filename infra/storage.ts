import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { awsScope } from "./lib/arns";
import { consoleUrl } from "./lib/console";
import { cloudFrontReadsBucket, denyInsecureTransport, type PolicyStatement } from "./lib/policies";

/** Days after which S3 aborts an unfinished multipart upload (a failed large upload keeps billing otherwise). */
export const ABORT_MULTIPART_DAYS = 7;

type LifecycleRule = aws.types.input.s3.BucketLifecycleConfigurationRule;

export interface StorageArgs {
  /** Days before a replaced (noncurrent) source version is deleted; 0 keeps them forever. Config `sourceNoncurrentDays`, default 30. */
  readonly sourceNoncurrentDays: number;
  /** Days before transcoded outputs are deleted; 0 keeps them forever. Config `outputExpirationDays`, default 0. */
  readonly outputExpirationDays: number;
  /**
   * Let `pulumi destroy` delete the source bucket with every uploaded master and version in it.
   * Default false: uploads are the only copy of the masters, so destroy stops at a non-empty
   * source bucket until someone empties it on purpose.
   */
  readonly forceDestroySource?: boolean;
  /**
   * The CloudFront distribution that serves the output bucket through Origin Access Control
   * (infra/delivery.ts); its ARN is the only reader the bucket policy allows. It is created after
   * this component, so infra/index.ts passes a `pulumi.deferredOutput`. Default: no reader.
   */
  readonly outputDistributionArn?: pulumi.Input<string>;
}

/**
 * The two buckets (ARCHITECTURE.md decision 10): uploads land in the private, versioned source
 * bucket, which tells EventBridge about every new object; MediaConvert writes the ladder to the
 * output bucket, which MediaPackage VOD reads (so it must stay in the stack's region).
 *
 * Both: Block Public Access, bucket-owner-enforced ownership (no ACLs), default encryption
 * SSE-S3, a TLS-only bucket policy and lifecycle rules from config. SSE-S3 rather than SSE-KMS:
 * MediaConvert, MediaPackage and the functions read and write through their IAM roles alone,
 * there is no per-request KMS charge on thousands of segments, and S3 Bucket Keys (which only
 * apply to SSE-KMS) are not needed.
 */
export class Storage extends pulumi.ComponentResource {
  public readonly sourceBucketName: pulumi.Output<string>;
  public readonly sourceBucketArn: pulumi.Output<string>;
  public readonly outputBucketName: pulumi.Output<string>;
  public readonly outputBucketArn: pulumi.Output<string>;
  /** The source bucket in the S3 console: where the media team drops its uploads. */
  public readonly sourceBucketConsoleUrl: pulumi.Output<string>;
  /** `<bucket>.s3.<region>.amazonaws.com`: the output bucket as a CloudFront origin. */
  public readonly outputBucketRegionalDomainName: pulumi.Output<string>;

  constructor(name: string, args: StorageArgs, opts?: pulumi.ComponentResourceOptions) {
    // Validated before anything is registered, so a wrong value fails `pulumi preview` cleanly.
    const sourceRules = sourceLifecycleRules(args.sourceNoncurrentDays);
    const outputRules = outputLifecycleRules(args.outputExpirationDays);
    super("vod:storage:Storage", name, {}, opts);

    // Source: the uploaded masters.
    const source = new aws.s3.Bucket(
      `${name}-source`,
      { forceDestroy: args.forceDestroySource ?? false },
      { parent: this },
    );
    const sourceSecured = secureBucket(`${name}-source`, source, this);
    // Versioned so an overwrite never loses a master and each upload has its own version id,
    // which is what the pipeline's idempotency key is made of (ARCHITECTURE.md decision 5).
    const versioning = new aws.s3.BucketVersioning(
      `${name}-source-versioning`,
      { bucket: source.id, versioningConfiguration: { status: "Enabled" } },
      { parent: this, dependsOn: [sourceSecured] },
    );
    // After versioning: rules about noncurrent versions only make sense once it is on.
    const sourceLifecycle = new aws.s3.BucketLifecycleConfiguration(
      `${name}-source-lifecycle`,
      { bucket: source.id, rules: sourceRules },
      { parent: this, dependsOn: [versioning] },
    );
    // "Object Created" events go to the default event bus, where the ingest rule matches them.
    new aws.s3.BucketNotification(
      `${name}-source-notification`,
      { bucket: source.id, eventbridge: true },
      { parent: this, dependsOn: [sourceLifecycle] },
    );

    // Output: the transcoded ladder. Not versioned: every output is reproducible from its
    // source, and a re-upload writes under a new revision folder rather than overwriting.
    // forceDestroy, because a stack's outputs are worthless without the stack (and a dev
    // `pulumi destroy` would otherwise stop at the first transcoded title).
    const output = new aws.s3.Bucket(`${name}-output`, { forceDestroy: true }, { parent: this });
    const outputSecured = secureBucket(
      `${name}-output`,
      output,
      this,
      args.outputDistributionArn === undefined
        ? []
        : [cloudFrontReadsBucket(output.arn, args.outputDistributionArn)],
    );
    new aws.s3.BucketLifecycleConfiguration(
      `${name}-output-lifecycle`,
      { bucket: output.id, rules: outputRules },
      { parent: this, dependsOn: [outputSecured] },
    );

    this.sourceBucketName = source.bucket;
    this.sourceBucketArn = source.arn;
    this.outputBucketName = output.bucket;
    this.outputBucketArn = output.arn;
    const scope = awsScope({ parent: this });
    this.sourceBucketConsoleUrl = pulumi.interpolate`${consoleUrl(scope)}/s3/buckets/${this.sourceBucketName}?region=${scope.region}`;
    this.outputBucketRegionalDomainName = output.bucketRegionalDomainName;
    this.registerOutputs({
      sourceBucketName: this.sourceBucketName,
      sourceBucketConsoleUrl: this.sourceBucketConsoleUrl,
      sourceBucketArn: this.sourceBucketArn,
      outputBucketName: this.outputBucketName,
      outputBucketArn: this.outputBucketArn,
      outputBucketRegionalDomainName: this.outputBucketRegionalDomainName,
    });
  }
}

/**
 * What every bucket shares: no ACLs, no public access, encrypted at rest, TLS in transit; the
 * bucket policy adds the `readers` statements (e.g. one CloudFront distribution).
 * Returns the last step. Every configuration change to one bucket runs after the previous one:
 * S3 answers concurrent changes with `OperationAborted` ("A conflicting conditional operation is
 * currently in progress"), e.g. hashicorp/terraform-provider-aws#7628.
 */
export function secureBucket(
  name: string,
  bucket: aws.s3.Bucket,
  parent: pulumi.Resource,
  readers: readonly PolicyStatement[] = [],
): pulumi.Resource {
  const ownership = new aws.s3.BucketOwnershipControls(
    `${name}-ownership`,
    { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } },
    { parent },
  );
  const publicAccess = new aws.s3.BucketPublicAccessBlock(
    `${name}-public-access`,
    {
      bucket: bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    },
    { parent, dependsOn: [ownership] },
  );
  const encryption = new aws.s3.BucketServerSideEncryptionConfiguration(
    `${name}-encryption`,
    { bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] },
    { parent, dependsOn: [publicAccess] },
  );
  const policy = aws.iam.getPolicyDocumentOutput(
    { statements: [denyInsecureTransport(bucket.arn), ...readers] },
    { parent },
  );
  return new aws.s3.BucketPolicy(
    `${name}-policy`,
    { bucket: bucket.id, policy: policy.json },
    { parent, dependsOn: [encryption] },
  );
}

/**
 * Lifecycle rules of the source bucket: abort stale multipart uploads; with `noncurrentDays` > 0
 * also delete replaced versions after that many days, and the delete markers left with nothing
 * behind them.
 * @example sourceLifecycleRules(0) // only the multipart rule: every version is kept
 */
export function sourceLifecycleRules(noncurrentDays: number): LifecycleRule[] {
  const rules: LifecycleRule[] = [abortMultipartUploads()];
  if (wholeDays("sourceNoncurrentDays", noncurrentDays) > 0) {
    rules.push({
      id: "expire-noncurrent-versions",
      status: "Enabled",
      filter: {},
      noncurrentVersionExpiration: { noncurrentDays },
      expiration: { expiredObjectDeleteMarker: true },
    });
  }
  return rules;
}

/**
 * Lifecycle rules of the output bucket: abort stale multipart uploads; with `expirationDays` > 0
 * also delete outputs that many days after they were written.
 * @example outputLifecycleRules(90)[1] // { id: "expire-outputs", expiration: { days: 90 }, … }
 */
export function outputLifecycleRules(expirationDays: number): LifecycleRule[] {
  const rules: LifecycleRule[] = [abortMultipartUploads()];
  if (wholeDays("outputExpirationDays", expirationDays) > 0) {
    rules.push({ id: "expire-outputs", status: "Enabled", filter: {}, expiration: { days: expirationDays } });
  }
  return rules;
}

function abortMultipartUploads(): LifecycleRule {
  return {
    id: "abort-incomplete-multipart-uploads",
    status: "Enabled",
    filter: {},
    abortIncompleteMultipartUpload: { daysAfterInitiation: ABORT_MULTIPART_DAYS },
  };
}

function wholeDays(key: string, days: number): number {
  if (!Number.isInteger(days) || days < 0) {
    throw new RangeError(`${key} must be a whole number of days, 0 or more, got ${days}`);
  }
  return days;
}
