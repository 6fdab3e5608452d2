/**
 * Tagging every resource of the stack without changing how any resource is provisioned: a stack
 * transformation (`tagResources`) adds the stack's tags to the `tags` input of each @pulumi/aws
 * resource type below, and aws-native resources take `nativeTags` explicitly.
 *
 * Why not the provider's `defaultTags`: that needs an explicit aws.Provider (or stack config that
 * every user must set), and moving resources from the default provider to an explicit one changes
 * their provider reference, which Pulumi plans as a replacement of already-deployed resources. A
 * `tags` input is an in-place update (TagResource) for every type listed here.
 */
import * as pulumi from "@pulumi/pulumi";

/**
 * Types that take `tags` but are left untagged on purpose: the viewer's files
 * (`aws:s3/bucketObjectv2:BucketObjectv2`): S3 object tags are limited to 10 per object, billed
 * per tag, and not cost allocation tags; their bucket carries the tags.
 */
export const UNTAGGED_AWS_TYPES: readonly string[] = ["aws:s3/bucketObjectv2:BucketObjectv2"];

/**
 * The @pulumi/aws types this stack creates that take `tags` (a test checks each against the
 * installed provider, and that the program creates no taggable type missing here or in
 * UNTAGGED_AWS_TYPES).
 */
export const TAGGED_AWS_TYPES: readonly string[] = [
  "aws:apigatewayv2/api:Api",
  "aws:apigatewayv2/stage:Stage",
  "aws:cloudfront/distribution:Distribution",
  "aws:cloudwatch/eventRule:EventRule",
  "aws:cloudwatch/logGroup:LogGroup",
  "aws:cloudwatch/metricAlarm:MetricAlarm",
  "aws:cognito/userPool:UserPool",
  "aws:dynamodb/table:Table",
  "aws:iam/role:Role",
  "aws:kms/key:Key",
  "aws:lambda/eventSourceMapping:EventSourceMapping",
  "aws:lambda/function:Function",
  "aws:mediaconvert/queue:Queue",
  "aws:s3/bucket:Bucket",
  "aws:secretsmanager/secret:Secret",
  "aws:sfn/stateMachine:StateMachine",
  "aws:sns/topic:Topic",
  "aws:sqs/queue:Queue",
  "aws:wafv2/webAcl:WebAcl",
];

const TAGGED = new Set(TAGGED_AWS_TYPES);

/**
 * A transformation that adds `tags` to every resource of TAGGED_AWS_TYPES; a resource's own tags
 * win over the stack's. Register it before the first resource (`registerStackTransformation`).
 * @example pulumi.runtime.registerStackTransformation(tagResources(stackTags(stackMarker(), config.tags)))
 */
export function tagResources(tags: Readonly<Record<string, string>>): pulumi.ResourceTransformation {
  return ({ type, props, opts }) => {
    if (!TAGGED.has(type)) return undefined;
    const own = props.tags as pulumi.Input<Record<string, pulumi.Input<string>>> | undefined;
    return {
      props: {
        ...props,
        tags:
          own === undefined
            ? { ...tags }
            : pulumi.output(own).apply((resolved) => ({ ...tags, ...resolved })),
      },
      opts,
    };
  };
}

/**
 * aws-native's tag list (`[{ key, value }]`, Cloud Control's shape), sorted by key so that the
 * same tags always give the same input.
 * @example nativeTags({ "vod:stack": "s" }) // [{ key: "vod:stack", value: "s" }]
 */
export function nativeTags(tags: Readonly<Record<string, string>>): { key: string; value: string }[] {
  return Object.keys(tags)
    .sort()
    .map((key) => ({ key, value: tags[key]! }));
}
