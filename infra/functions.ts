/**
 * The Lambda side of the stack: `nodeFunction` (how every function is built), the pipeline's six
 * functions (`IngestFunctions`), their asynchronous on-failure destinations, and the naming and
 * ARN helpers the other components share (stack marker, physical names, partition-aware ARNs).
 */
import * as path from "node:path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { WAITING_TASKS_INDEX } from "./lib/ledger-schema";
import type { VodConfig } from "./config";
import { deadLetterQueue } from "./lib/dead-letter-queue";
import { FUNCTIONS_DIR, handlerArchive } from "./lib/bundle";
import type { PolicyStatement } from "./lib/policies";

/** Everything the six functions are wired to. */
export interface IngestFunctionsArgs {
  /** The stack's validated configuration. */
  readonly config: VodConfig;
  /** Upload bucket (claim-upload reads it). */
  readonly sourceBucketArn: pulumi.Input<string>;
  /** Output bucket name (submit-job points MediaConvert at it). */
  readonly outputBucketName: pulumi.Input<string>;
  /** Catalogue table (every function writes the row). */
  readonly catalogueTableName: pulumi.Input<string>;
  readonly catalogueTableArn: pulumi.Input<string>;
  /** Ledger table (claims and waiting tasks). */
  readonly ledgerTableName: pulumi.Input<string>;
  readonly ledgerTableArn: pulumi.Input<string>;
  /** MediaConvert queue and service role (Transcoding). */
  readonly mediaConvertQueueArn: pulumi.Input<string>;
  readonly mediaConvertRoleArn: pulumi.Input<string>;
  /** MediaPackage VOD packaging group, configurations and source role (Packaging). */
  readonly packagingGroupId: pulumi.Input<string>;
  readonly packagingConfigurations: {
    readonly hls: pulumi.Input<string>;
    readonly dash: pulumi.Input<string>;
    readonly cmaf: pulumi.Input<string>;
  };
  readonly packagingRoleArn: pulumi.Input<string>;
  /**
   * Physical name of the ingest state machine (see `ingestStateMachineName`). The functions that
   * complete its tasks or read its executions are scoped to ARNs built from this name, because the
   * state machine itself needs these functions' ARNs first.
   */
  readonly stateMachineName: string;
}

/**
 * The six Lambda functions of the pipeline (functions/README.md), each with a role that names
 * only its own buckets, tables, queues and services, plus the failed-executions queue that
 * record-failure writes to (it is that function's output, so it is created with it).
 */
export class IngestFunctions extends pulumi.ComponentResource {
  /** State "Claim Upload". */
  public readonly claimUpload: NodeFunction;
  /** State "Transcode To CMAF" (waitForTaskToken). */
  public readonly submitJob: NodeFunction;
  /** EventBridge "MediaConvert Job State Change" target. */
  public readonly handleJobEvent: NodeFunction;
  /** EventBridge Scheduler target. */
  public readonly reconcileJobs: NodeFunction;
  /** State "Register With MediaPackage". */
  public readonly registerAsset: NodeFunction;
  /** EventBridge "Step Functions Execution Status Change" target. */
  public readonly recordFailure: NodeFunction;
  /** Failed executions, one message each, for an operator to act on. */
  public readonly failuresQueue: aws.sqs.Queue;

  constructor(name: string, args: IngestFunctionsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("vod:functions:IngestFunctions", name, {}, opts);
    const child = { parent: this };
    const { config } = args;
    const scope = awsScope(child);
    const machineArn = stateMachineArn(scope, args.stateMachineName);
    const tables = { catalogue: args.catalogueTableArn, ledger: args.ledgerTableArn };
    const common = { logRetentionDays: config.logRetentionDays };

    this.failuresQueue = deadLetterQueue(
      `${name}-failures`,
      { retentionDays: config.dlqRetentionDays },
      child,
    );

    this.claimUpload = nodeFunction(
      `${name}-claim-upload`,
      {
        ...common,
        folder: "claim-upload",
        timeoutSeconds: 60,
        memoryMb: 512,
        environment: {
          CATALOGUE_TABLE: args.catalogueTableName,
          LEDGER_TABLE: args.ledgerTableName,
          ACCEPTED_EXTENSIONS: config.acceptedExtensions.join(","),
        },
        statements: [
          {
            sid: "ReadSource",
            actions: ["s3:GetObject", "s3:GetObjectVersion"],
            resources: [pulumi.interpolate`${args.sourceBucketArn}/*`],
          },
          // Without ListBucket, S3 answers HeadObject on a missing key with 403 instead of 404,
          // and the key resolver could not tell "try the next encoding" from "not allowed".
          { sid: "ListSource", actions: ["s3:ListBucket"], resources: [args.sourceBucketArn] },
          // Probe has no resource types in the Service Authorization Reference: `*` is required.
          // It reads the object with this role's credentials (the statements above).
          { sid: "ProbeSource", actions: ["mediaconvert:Probe"], resources: ["*"] },
          { sid: "Claims", actions: ["dynamodb:GetItem", "dynamodb:PutItem"], resources: [tables.ledger] },
          { sid: "Catalogue", actions: ["dynamodb:PutItem"], resources: [tables.catalogue] },
        ],
      },
      child,
    );

    this.submitJob = nodeFunction(
      `${name}-submit-job`,
      {
        ...common,
        folder: "submit-job",
        timeoutSeconds: 30,
        memoryMb: 512,
        environment: {
          CATALOGUE_TABLE: args.catalogueTableName,
          LEDGER_TABLE: args.ledgerTableName,
          OUTPUT_BUCKET: args.outputBucketName,
          MEDIACONVERT_QUEUE_ARN: args.mediaConvertQueueArn,
          MEDIACONVERT_ROLE_ARN: args.mediaConvertRoleArn,
          STACK_MARKER: stackMarker(),
          LADDER_TOP_RUNG: String(config.ladderTopRung),
          PACKAGING_SOURCE: config.packagingSource,
        },
        statements: [
          // CreateJob's resource types are Queue, Preset and JobTemplate; jobs name no preset or
          // template (the ladder is built in code), so the queue is the only resource to allow.
          { sid: "CreateJob", actions: ["mediaconvert:CreateJob"], resources: [args.mediaConvertQueueArn] },
          // Finds a job whose CreateJob response was lost (submit-job/find-job.ts). A List action: the
          // Service Authorization Reference we could read names no resource type for it, and `*` is
          // valid whether or not it has one. It reveals job settings, never media.
          { sid: "FindLostJob", actions: ["mediaconvert:ListJobs"], resources: ["*"] },
          passRole("PassMediaConvertRole", args.mediaConvertRoleArn, ["mediaconvert.amazonaws.com"]),
          {
            sid: "TaskAndCatalogue",
            actions: ["dynamodb:UpdateItem"],
            resources: [tables.ledger, tables.catalogue],
          },
        ],
      },
      child,
    );

    this.handleJobEvent = nodeFunction(
      `${name}-handle-job-event`,
      {
        ...common,
        folder: "handle-job-event",
        timeoutSeconds: 30,
        memoryMb: 256,
        environment: {
          CATALOGUE_TABLE: args.catalogueTableName,
          LEDGER_TABLE: args.ledgerTableName,
          STACK_MARKER: stackMarker(),
          // A PROGRESSING job whose progress stops moving is hung; the handler stops heartbeating it.
          STALLED_JOB_MINUTES: String(config.stalledJobMinutes),
        },
        statements: [
          completeTasks(machineArn),
          {
            sid: "WaitingTasks",
            actions: ["dynamodb:GetItem", "dynamodb:UpdateItem"],
            resources: [tables.ledger],
          },
          { sid: "Catalogue", actions: ["dynamodb:UpdateItem"], resources: [tables.catalogue] },
        ],
      },
      child,
    );

    this.reconcileJobs = nodeFunction(
      `${name}-reconcile-jobs`,
      {
        ...common,
        folder: "reconcile-jobs",
        // Runs may overlap when the interval is shorter; a duplicate heartbeat or completion is harmless.
        timeoutSeconds: 300,
        memoryMb: 512,
        environment: {
          CATALOGUE_TABLE: args.catalogueTableName,
          LEDGER_TABLE: args.ledgerTableName,
          LEDGER_WAITING_INDEX: WAITING_TASKS_INDEX,
          MAX_QUEUE_WAIT_MINUTES: String(config.maxQueueWaitHours * 60),
          STALLED_JOB_MINUTES: String(config.stalledJobMinutes),
        },
        statements: [
          {
            sid: "ReadJobs",
            actions: ["mediaconvert:GetJob"],
            resources: [
              pulumi.interpolate`arn:${scope.partition}:mediaconvert:${scope.region}:${scope.accountId}:jobs/*`,
            ],
          },
          completeTasks(machineArn),
          {
            sid: "OpenTasks",
            actions: ["dynamodb:Query"],
            resources: [pulumi.interpolate`${tables.ledger}/index/${WAITING_TASKS_INDEX}`],
          },
          {
            sid: "WaitingTasks",
            actions: ["dynamodb:GetItem", "dynamodb:UpdateItem"],
            resources: [tables.ledger],
          },
          { sid: "Catalogue", actions: ["dynamodb:UpdateItem"], resources: [tables.catalogue] },
        ],
      },
      child,
    );

    this.registerAsset = nodeFunction(
      `${name}-register-asset`,
      {
        ...common,
        folder: "register-asset",
        timeoutSeconds: 60,
        memoryMb: 256,
        environment: {
          CATALOGUE_TABLE: args.catalogueTableName,
          PACKAGING_SOURCE: config.packagingSource,
          PACKAGING_GROUP_ID: args.packagingGroupId,
          PACKAGING_ROLE_ARN: args.packagingRoleArn,
          PACKAGING_CONFIGURATIONS: pulumi.jsonStringify({
            hls: args.packagingConfigurations.hls,
            dash: args.packagingConfigurations.dash,
            cmaf: args.packagingConfigurations.cmaf,
          }),
        },
        statements: [
          // CreateAsset has no resource types (the asset does not exist yet): `*` is required.
          { sid: "CreateAsset", actions: ["mediapackage-vod:CreateAsset"], resources: ["*"] },
          {
            sid: "DescribeAsset",
            actions: ["mediapackage-vod:DescribeAsset"],
            resources: [
              pulumi.interpolate`arn:${scope.partition}:mediapackage-vod:${scope.region}:${scope.accountId}:assets/*`,
            ],
          },
          // CreateAsset passes SourceRoleArn. The Service Authorization Reference gives
          // `mediapackage-vod.amazonaws.com` as the iam:PassedToService value while the role trusts
          // `mediapackage.amazonaws.com`; both name MediaPackage, so either is accepted.
          passRole("PassPackagingRole", args.packagingRoleArn, [
            "mediapackage-vod.amazonaws.com",
            "mediapackage.amazonaws.com",
          ]),
          { sid: "Catalogue", actions: ["dynamodb:UpdateItem"], resources: [tables.catalogue] },
        ],
      },
      child,
    );

    this.recordFailure = nodeFunction(
      `${name}-record-failure`,
      {
        ...common,
        folder: "record-failure",
        timeoutSeconds: 30,
        memoryMb: 256,
        environment: {
          CATALOGUE_TABLE: args.catalogueTableName,
          FAILURES_QUEUE_URL: this.failuresQueue.url,
        },
        statements: [
          {
            sid: "ReadFailedExecution",
            actions: ["states:GetExecutionHistory"],
            resources: [executionArnPattern(scope, args.stateMachineName)],
          },
          { sid: "ReportFailure", actions: ["sqs:SendMessage"], resources: [this.failuresQueue.arn] },
          { sid: "Catalogue", actions: ["dynamodb:UpdateItem"], resources: [tables.catalogue] },
        ],
      },
      child,
    );

    this.registerOutputs({
      claimUploadArn: this.claimUpload.function.arn,
      submitJobArn: this.submitJob.function.arn,
      handleJobEventArn: this.handleJobEvent.function.arn,
      reconcileJobsArn: this.reconcileJobs.function.arn,
      registerAssetArn: this.registerAsset.function.arn,
      recordFailureArn: this.recordFailure.function.arn,
      failuresQueueUrl: this.failuresQueue.url,
    });
  }
}

/** What one Lambda function needs; everything else (runtime, architecture, tracing, logs) is fixed. */
export interface NodeFunctionArgs {
  /** Folder under `functions/` whose `handler.ts` is bundled, e.g. `claim-upload`. */
  readonly folder: string;
  /** Environment variables besides the ones every function gets (NODE_OPTIONS, POWERTOOLS_SERVICE_NAME). */
  readonly environment: Readonly<Record<string, pulumi.Input<string>>>;
  /** The function's own permissions, scoped to exact ARNs; logs and X-Ray are added here. */
  readonly statements: readonly pulumi.Input<PolicyStatement>[];
  /** Seconds before Lambda stops an invocation. */
  readonly timeoutSeconds: number;
  /** Memory in MB (CPU scales with it). */
  readonly memoryMb: number;
  /** Days CloudWatch keeps the function's log group. */
  readonly logRetentionDays: number;
  /**
   * Reserved concurrency; default: none. Left unset by this stack on purpose: a new account's
   * concurrency quota can be as low as 10, and reserving any of it makes CreateFunction fail there.
   */
  readonly reservedConcurrency?: number;
}

/** A function and the supporting resources `nodeFunction` created for it. */
export interface NodeFunction {
  readonly function: aws.lambda.Function;
  readonly role: aws.iam.Role;
  readonly logGroup: aws.cloudwatch.LogGroup;
  /** The role's inline policy; resources that Lambda validates against the role depend on it. */
  readonly policy: aws.iam.RolePolicy;
}

/**
 * One Lambda function the way every function of this stack is built: Node.js 24 on arm64, the
 * handler bundled from `functions/<folder>/handler.ts` at `pulumi up`, X-Ray active, JSON logs to
 * a log group created here with retention (so Lambda never creates one that keeps logs forever),
 * and a role of its own that may write only to that log group plus the statements given.
 *
 * The function gets a physical name (`<stack marker>-<folder>`) because its log group must be
 * named `/aws/lambda/<function name>` before the function exists.
 *
 * @example nodeFunction("vod-claim-upload", { folder: "claim-upload", environment: {}, statements: [], timeoutSeconds: 60, memoryMb: 512, logRetentionDays: 30 })
 */
export function nodeFunction(
  name: string,
  args: NodeFunctionArgs,
  opts?: pulumi.ResourceOptions,
): NodeFunction {
  const functionName = physicalName(stackMarker(), args.folder, LAMBDA_NAME_MAX);
  const role = new aws.iam.Role(
    `${name}-role`,
    {
      description: `Execution role of the ${args.folder} function`,
      assumeRolePolicy: serviceTrustPolicy("lambda.amazonaws.com"),
    },
    opts,
  );
  const logGroup = new aws.cloudwatch.LogGroup(
    `${name}-logs`,
    { name: `/aws/lambda/${functionName}`, retentionInDays: args.logRetentionDays },
    opts,
  );
  const policy = new aws.iam.RolePolicy(
    `${name}-policy`,
    {
      role: role.id,
      policy: aws.iam.getPolicyDocumentOutput({
        statements: [...baseStatements(logGroup.arn), ...args.statements],
      }).json,
    },
    opts,
  );
  const fn = new aws.lambda.Function(
    name,
    {
      name: functionName,
      description: `vod-ingest ${args.folder}`,
      runtime: aws.lambda.Runtime.NodeJS24dX,
      architectures: ["arm64"],
      handler: "index.handler",
      code: handlerArchive(path.join(FUNCTIONS_DIR, args.folder, "handler.ts")),
      role: role.arn,
      timeout: args.timeoutSeconds,
      memorySize: args.memoryMb,
      reservedConcurrentExecutions: args.reservedConcurrency,
      tracingConfig: { mode: "Active" },
      loggingConfig: { logFormat: "JSON", logGroup: logGroup.name },
      environment: {
        variables: {
          ...args.environment,
          NODE_OPTIONS: "--enable-source-maps",
          POWERTOOLS_SERVICE_NAME: args.folder,
        },
      },
    },
    // The log group must exist first (or Lambda creates one without retention), and the policy
    // too, so the first invocation does not run without its permissions.
    pulumi.mergeOptions(opts, { dependsOn: [logGroup, policy] }),
  );
  return { function: fn, role, logGroup, policy };
}

/** Settings for a function's asynchronous invocations (EventBridge and Scheduler invoke asynchronously). */
export interface AsyncFailureArgs {
  /** The SQS queue that receives a record of every invocation that failed all its attempts. */
  readonly queue: aws.sqs.Queue;
  /** Retries Lambda makes after the first failed attempt (0–2). */
  readonly maximumRetryAttempts: number;
  /** Seconds Lambda keeps retrying an event before it gives up (60–21600). */
  readonly maximumEventAgeSeconds: number;
}

/**
 * Sends the records of a function's failed asynchronous invocations to an SQS queue (Lambda's
 * on-failure destination, which carries the request, the response and the error, unlike a
 * function dead-letter queue). Lambda checks that the function's role may `sqs:SendMessage` to the
 * queue when the destination is configured, so the grant is a separate policy the configuration
 * depends on.
 * https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html
 */
export function asyncFailureDestination(
  name: string,
  target: NodeFunction,
  args: AsyncFailureArgs,
  opts?: pulumi.ResourceOptions,
): aws.lambda.FunctionEventInvokeConfig {
  const grant = new aws.iam.RolePolicy(
    `${name}-send`,
    {
      role: target.role.id,
      policy: aws.iam.getPolicyDocumentOutput({
        statements: [{ actions: ["sqs:SendMessage"], resources: [args.queue.arn] }],
      }).json,
    },
    opts,
  );
  return new aws.lambda.FunctionEventInvokeConfig(
    name,
    {
      functionName: target.function.name,
      maximumRetryAttempts: args.maximumRetryAttempts,
      maximumEventAgeInSeconds: args.maximumEventAgeSeconds,
      destinationConfig: { onFailure: { destination: args.queue.arn } },
    },
    pulumi.mergeOptions(opts, { dependsOn: [grant] }),
  );
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

/** Lambda function names are at most 64 characters. */
export const LAMBDA_NAME_MAX = 64;

/**
 * A stable value that identifies this stack in the account: `<project>-<stack>` reduced to
 * `[A-Za-z0-9_-]`. It names physical resources that need names and is the MediaConvert job
 * `userMetadata.stack` the job-event rule filters on (MediaConvert refuses some characters there).
 * @example stackMarker() === "vod-ingest-dev"
 */
export function stackMarker(): string {
  return sanitise(`${pulumi.getProject()}-${pulumi.getStack()}`);
}

/** `value` with every character outside `[A-Za-z0-9_-]` replaced by `-`. */
export function sanitise(value: string): string {
  return value.replace(/[^A-Za-z0-9_-]/g, "-");
}

/**
 * `<prefix>-<suffix>` within `max` characters: when too long, the prefix is cut and a short hash of
 * the whole name keeps it unique and stable.
 * @example physicalName("vod-ingest-dev", "claim-upload", 64) === "vod-ingest-dev-claim-upload"
 */
export function physicalName(prefix: string, suffix: string, max: number): string {
  const full = `${prefix}-${suffix}`;
  if (full.length <= max) return full;
  const hash = fnv1a(full).toString(16).padStart(8, "0");
  const keep = max - suffix.length - hash.length - 2;
  if (keep < 1) throw new Error(`Cannot fit "${full}" into ${max} characters`);
  return `${prefix.slice(0, keep)}-${hash}-${suffix}`;
}

/**
 * What every function may do besides its own work: write to its own log group (never create
 * others), and send traces. X-Ray's PutTraceSegments and PutTelemetryRecords have no resource
 * types, so the Service Authorization Reference requires `*` for them.
 */
function baseStatements(logGroupArn: pulumi.Input<string>): PolicyStatement[] {
  return [
    {
      sid: "WriteOwnLogs",
      actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
      resources: [pulumi.interpolate`${logGroupArn}:*`],
    },
    {
      sid: "SendTraces",
      actions: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
      resources: ["*"],
    },
  ];
}

function fnv1a(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
  return h;
}

/** State machine names are at most 80 characters. */
export const STATE_MACHINE_NAME_MAX = 80;

/**
 * The physical name of the ingest state machine. Named (not auto-named) so that its ARN is known
 * before it exists: the functions that complete its tasks need that ARN, and it needs theirs.
 * @example ingestStateMachineName() === "vod-ingest-dev-ingest"
 */
export function ingestStateMachineName(): string {
  return physicalName(stackMarker(), "ingest", STATE_MACHINE_NAME_MAX);
}

/** `arn:<partition>:states:<region>:<account>:stateMachine:<name>`. */
export function stateMachineArn(scope: AwsScope, name: string): pulumi.Output<string> {
  return pulumi.interpolate`arn:${scope.partition}:states:${scope.region}:${scope.accountId}:stateMachine:${name}`;
}

/** Every execution of the named state machine: `arn:<partition>:states:<region>:<account>:execution:<name>:*`. */
export function executionArnPattern(scope: AwsScope, name: string): pulumi.Output<string> {
  return pulumi.interpolate`arn:${scope.partition}:states:${scope.region}:${scope.accountId}:execution:${name}:*`;
}

/**
 * Completing, failing and heartbeating "Transcode To CMAF" tasks. The Service Authorization
 * Reference lists no resource type for these actions, but Step Functions authorizes them against
 * the state machine that issued the token (the AWS CDK's `grantTaskResponse` scopes them the same
 * way), so they are limited to this stack's state machine.
 */
function completeTasks(machineArn: pulumi.Input<string>): PolicyStatement {
  return {
    sid: "CompleteTranscodeTasks",
    actions: ["states:SendTaskSuccess", "states:SendTaskFailure", "states:SendTaskHeartbeat"],
    resources: [machineArn],
  };
}

/** `iam:PassRole` on one role, only to the named service(s). */
function passRole(sid: string, roleArn: pulumi.Input<string>, services: string[]): PolicyStatement {
  return {
    sid,
    actions: ["iam:PassRole"],
    resources: [roleArn],
    conditions: [{ test: "StringEquals", variable: "iam:PassedToService", values: services }],
  };
}

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
