/**
 * The pipeline's Lambda functions as one component: a table of what each function needs (its
 * environment and its own IAM statements), mapped through `nodeFunction`. Sizing comes from
 * lib/function-table.ts (the runner enforces the same numbers); how a function is built, named
 * and scoped lives in lib/.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { VodConfig } from "./config";
import {
  awsScope,
  executionArnPattern,
  mediaConvertJobsArn,
  packagingAssetsArn,
  stateMachineArn,
} from "./lib/arns";
import { deadLetterQueue } from "./lib/dead-letter-queue";
import type { FunctionEnvironment } from "./lib/function-table";
import { FUNCTION_FOLDERS, FUNCTION_SIZING, type FunctionFolder } from "./lib/function-table";
import { WAITING_TASKS_INDEX } from "./lib/ledger-schema";
import { stackMarker } from "./lib/naming";
import { nodeFunction, type NodeFunction } from "./lib/node-function";
import { completeTranscodeTasks, passRole, type PolicyStatement } from "./lib/policies";
import { readsSigningKey } from "./signing-keys";
import { DEFAULT_ENTITLEMENT_CLAIM } from "../functions/mint-playback-session/env";
import { stackTags } from "../functions/shared/contract/tags";

/** Everything the six functions are wired to. */
export interface IngestFunctionsArgs {
  /** The stack's validated configuration. */
  readonly config: VodConfig;
  /** Upload bucket (claim-upload reads it). */
  readonly sourceBucketArn: pulumi.Input<string>;
  /** Output bucket name (submit-job points MediaConvert at it). */
  readonly outputBucketName: pulumi.Input<string>;
  /** Output bucket ARN (register-asset removes older revisions' outputs from it). */
  readonly outputBucketArn: pulumi.Input<string>;
  /** Catalogue table (every function writes the row). */
  readonly catalogueTableName: pulumi.Input<string>;
  readonly catalogueTableArn: pulumi.Input<string>;
  /** Ledger table (claims and waiting tasks). */
  readonly ledgerTableName: pulumi.Input<string>;
  readonly ledgerTableArn: pulumi.Input<string>;
  /** MediaConvert queue and service role (Transcoding). */
  readonly mediaConvertQueueArn: pulumi.Input<string>;
  readonly mediaConvertRoleArn: pulumi.Input<string>;
  /** The admission queue submit-job drains (Admission). */
  readonly admissionQueue: { readonly url: pulumi.Input<string>; readonly arn: pulumi.Input<string> };
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
  /** `https://<cdn host>`: where viewers play titles (Delivery); the session function builds URLs and cookie policies on it. */
  readonly cdnBaseUrl: pulumi.Input<string>;
  /** The active signing key's secret (SigningKeys), read by the session function. */
  readonly signingKeySecretArn: pulumi.Input<string>;
}

/** What one function needs besides its sizing: its environment and its own permissions. */
export interface FunctionSpec<Folder extends FunctionFolder> {
  /**
   * Typed by the function's env schema (lib/function-table.ts), so `tsc` fails when infra sets a
   * variable the handler does not read or misses one it does.
   */
  readonly environment: FunctionEnvironment<Folder, pulumi.Input<string>>;
  readonly statements: readonly pulumi.Input<PolicyStatement>[];
}

/** One spec per function folder, each environment typed by that function's schema. */
export type FunctionSpecs = { readonly [Folder in FunctionFolder]: FunctionSpec<Folder> };

/**
 * The six Lambda functions of the pipeline (functions/README.md), each with a role that names
 * only its own buckets, tables, queues and services, plus the failed-executions queue that
 * record-failure writes to (it is that function's output, so it is created with it).
 */
export class IngestFunctions extends pulumi.ComponentResource {
  /**
   * Every function by folder: "claim-upload", "submit-job" and "register-asset" are states of the
   * ingest workflow; "handle-job-event" and "record-failure" are EventBridge targets;
   * "reconcile-jobs" is the Scheduler target.
   */
  public readonly byFolder: Readonly<Record<FunctionFolder, NodeFunction>>;
  /** Failed executions, one message each, for an operator to act on. */
  public readonly failuresQueue: aws.sqs.Queue;

  constructor(name: string, args: IngestFunctionsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("vod:functions:IngestFunctions", name, {}, opts);
    const child = { parent: this };
    this.failuresQueue = deadLetterQueue(
      `${name}-failures`,
      { retentionDays: args.config.dlqRetentionDays },
      child,
    );
    const specs = functionSpecs(args, this.failuresQueue, awsScope(child));
    this.byFolder = Object.fromEntries(
      FUNCTION_FOLDERS.map((folder) => [
        folder,
        nodeFunction(
          `${name}-${folder}`,
          {
            folder,
            ...FUNCTION_SIZING[folder],
            logRetentionDays: args.config.logRetentionDays,
            traceAwsCalls: args.config.traceAwsCalls,
            ...specs[folder],
          },
          child,
        ),
      ]),
    ) as Record<FunctionFolder, NodeFunction>;

    this.registerOutputs({
      ...Object.fromEntries(
        FUNCTION_FOLDERS.map((folder) => [`${camelCase(folder)}Arn`, this.byFolder[folder].function.arn]),
      ),
      failuresQueueUrl: this.failuresQueue.url,
    });
  }
}

/**
 * Each function's environment and statements. A table rather than six constructor calls, so adding
 * a function is one entry here (the key type makes `tsc` refuse a folder without one).
 */
export function functionSpecs(
  args: IngestFunctionsArgs,
  failuresQueue: aws.sqs.Queue,
  scope: ReturnType<typeof awsScope>,
): FunctionSpecs {
  const { config } = args;
  const machineArn = stateMachineArn(scope, args.stateMachineName);
  const tables = { catalogue: args.catalogueTableArn, ledger: args.ledgerTableArn };
  return {
    "claim-upload": {
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
        // UpdateItem, not PutItem: a re-upload replaces the revision's fields and keeps the title's (life-cycle.ts).
        { sid: "Catalogue", actions: ["dynamodb:UpdateItem"], resources: [tables.catalogue] },
      ],
    },

    "submit-job": {
      environment: {
        CATALOGUE_TABLE: args.catalogueTableName,
        LEDGER_TABLE: args.ledgerTableName,
        OUTPUT_BUCKET: args.outputBucketName,
        MEDIACONVERT_QUEUE_ARN: args.mediaConvertQueueArn,
        MEDIACONVERT_ROLE_ARN: args.mediaConvertRoleArn,
        STACK_MARKER: stackMarker(),
        LADDER_TOP_RUNG: String(config.ladderTopRung),
        PACKAGING_SOURCE: config.packagingSource,
        JOB_TAGS: JSON.stringify(stackTags(stackMarker(), config.tags)),
        ADMISSION_QUEUE_URL: args.admissionQueue.url,
        CREATE_JOB_RATE: String(config.createJobRate),
        ADMISSION_CONCURRENCY: String(config.admissionConcurrency),
      },
      statements: [
        // The event source mapping polls with the function's role (AWSLambdaSQSQueueExecutionRole's
        // actions); ChangeMessageVisibility sets a requeued title's retry delay (submit-job/admit.ts).
        // https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html
        {
          sid: "DrainAdmissionQueue",
          actions: [
            "sqs:ReceiveMessage",
            "sqs:DeleteMessage",
            "sqs:GetQueueAttributes",
            "sqs:ChangeMessageVisibility",
          ],
          resources: [args.admissionQueue.arn],
        },
        // Heartbeats a title's task before its CreateJob, and fails one that cannot be submitted.
        completeTranscodeTasks(machineArn),
        // CreateJob's resource types are Queue, Preset and JobTemplate; jobs name no preset or
        // template (the ladder is built in code), so the queue is the only resource to allow.
        { sid: "CreateJob", actions: ["mediaconvert:CreateJob"], resources: [args.mediaConvertQueueArn] },
        // Finds a job whose CreateJob response was lost (submit-job/find-job.ts). The Service
        // Authorization Reference gives ListJobs the Queue resource type, and the only call names
        // this queue (`Queue` = its name), so the grant is that queue: another queue's job
        // settings stay unreadable.
        // https://docs.aws.amazon.com/service-authorization/latest/reference/list_awselementalmediaconvert.html
        { sid: "FindLostJob", actions: ["mediaconvert:ListJobs"], resources: [args.mediaConvertQueueArn] },
        // CreateJob with `Tags` is also authorized as TagResource on the job (the Service
        // Authorization Reference maps CreateJob to CreateJob, TagResource and iam:PassRole).
        { sid: "TagJobs", actions: ["mediaconvert:TagResource"], resources: [mediaConvertJobsArn(scope)] },
        passRole("PassMediaConvertRole", args.mediaConvertRoleArn, ["mediaconvert.amazonaws.com"]),
        ...currentSourceVersion(args.sourceBucketArn),
        {
          sid: "TaskAndCatalogue",
          actions: ["dynamodb:UpdateItem"],
          resources: [tables.ledger, tables.catalogue],
        },
      ],
    },

    "handle-job-event": {
      environment: {
        CATALOGUE_TABLE: args.catalogueTableName,
        LEDGER_TABLE: args.ledgerTableName,
        STACK_MARKER: stackMarker(),
        // A PROGRESSING job whose progress stops moving is hung; the handler stops heartbeating it.
        STALLED_JOB_MINUTES: String(config.stalledJobMinutes),
      },
      statements: [
        completeTranscodeTasks(machineArn),
        {
          sid: "WaitingTasks",
          actions: ["dynamodb:GetItem", "dynamodb:UpdateItem"],
          resources: [tables.ledger],
        },
        { sid: "Catalogue", actions: ["dynamodb:UpdateItem"], resources: [tables.catalogue] },
      ],
    },

    "reconcile-jobs": {
      environment: {
        CATALOGUE_TABLE: args.catalogueTableName,
        LEDGER_TABLE: args.ledgerTableName,
        LEDGER_WAITING_INDEX: WAITING_TASKS_INDEX,
        MAX_QUEUE_WAIT_MINUTES: String(config.maxQueueWaitHours * 60),
        STALLED_JOB_MINUTES: String(config.stalledJobMinutes),
      },
      statements: [
        { sid: "ReadJobs", actions: ["mediaconvert:GetJob"], resources: [mediaConvertJobsArn(scope)] },
        completeTranscodeTasks(machineArn),
        {
          sid: "OpenTasks",
          actions: ["dynamodb:Query"],
          resources: [pulumi.interpolate`${tables.ledger}/index/${WAITING_TASKS_INDEX}`],
        },
        // The waiting tasks come from the Query above; the function only updates them (progress,
        // close) and never reads one by key.
        { sid: "WaitingTasks", actions: ["dynamodb:UpdateItem"], resources: [tables.ledger] },
        { sid: "Catalogue", actions: ["dynamodb:UpdateItem"], resources: [tables.catalogue] },
      ],
    },

    "register-asset": {
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
        CDN_BASE_URL: args.cdnBaseUrl,
        OUTPUT_BUCKET: args.outputBucketName,
        REMOVE_SUPERSEDED_OUTPUTS: String(config.removeSupersededOutputs),
        PACKAGING_ASSET_QUOTA: String(config.packagingAssetQuota),
      },
      statements: [
        ...currentSourceVersion(args.sourceBucketArn),
        // Older revisions of the key (register-asset/older-revisions.ts): which versions it had,
        // their assets and, per config, their outputs. ListAssets counts the group on a 429 to
        // tell the asset quota from throttling; a List action, allowed on `*`.
        {
          sid: "ListSourceVersions",
          actions: ["s3:ListBucketVersions"],
          resources: [args.sourceBucketArn],
        },
        {
          sid: "DeleteOlderAssets",
          actions: ["mediapackage-vod:DeleteAsset"],
          resources: [packagingAssetsArn(scope)],
        },
        { sid: "CountAssets", actions: ["mediapackage-vod:ListAssets"], resources: ["*"] },
        ...(config.removeSupersededOutputs
          ? [
              { sid: "ListOutputs", actions: ["s3:ListBucket"], resources: [args.outputBucketArn] },
              {
                sid: "DeleteOlderOutputs",
                actions: ["s3:DeleteObject"],
                resources: [pulumi.interpolate`${args.outputBucketArn}/*`],
              },
            ]
          : []),
        // CreateAsset has no resource types (the asset does not exist yet): `*` is required.
        { sid: "CreateAsset", actions: ["mediapackage-vod:CreateAsset"], resources: ["*"] },
        {
          sid: "DescribeAsset",
          actions: ["mediapackage-vod:DescribeAsset"],
          resources: [packagingAssetsArn(scope)],
        },
        // CreateAsset passes SourceRoleArn. The Service Authorization Reference's operations table
        // gives the one value IAM evaluates for that pass: CreateAsset → iam:PassRole,
        // iam:PassedToService = `mediapackage-vod.amazonaws.com` (list_mediapackage-vod.html). That
        // is not the principal that later assumes the role (`mediapackage.amazonaws.com`, the
        // trust policy's, mediapackage/latest/ug/setting-up-create-trust-rel.html): the trust
        // policy names the assuming principal, this condition the service the role is passed to.
        passRole("PassPackagingRole", args.packagingRoleArn, ["mediapackage-vod.amazonaws.com"]),
        { sid: "Catalogue", actions: ["dynamodb:UpdateItem"], resources: [tables.catalogue] },
      ],
    },

    "record-failure": {
      environment: {
        CATALOGUE_TABLE: args.catalogueTableName,
        FAILURES_QUEUE_URL: failuresQueue.url,
      },
      statements: [
        {
          sid: "ReadFailedExecution",
          actions: ["states:GetExecutionHistory"],
          resources: [executionArnPattern(scope, args.stateMachineName)],
        },
        { sid: "ReportFailure", actions: ["sqs:SendMessage"], resources: [failuresQueue.arn] },
        { sid: "Catalogue", actions: ["dynamodb:UpdateItem"], resources: [tables.catalogue] },
      ],
    },

    "mint-playback-session": {
      environment: {
        CATALOGUE_TABLE: args.catalogueTableName,
        SIGNING_KEY_SECRET_ARN: args.signingKeySecretArn,
        CDN_BASE_URL: args.cdnBaseUrl,
        COOKIE_TTL_SECONDS: String(config.cookieTtlSeconds),
        ENTITLEMENT_CLAIM: DEFAULT_ENTITLEMENT_CLAIM,
      },
      statements: [
        { sid: "ReadTitle", actions: ["dynamodb:GetItem"], resources: [tables.catalogue] },
        readsSigningKey(args.signingKeySecretArn),
      ],
    },
  };
}

/**
 * HeadObject of a source key without a version id, which answers the current version
 * (functions/shared/media/source-version.ts): s3:GetObject on the objects, and s3:ListBucket so a
 * deleted key answers 404, not 403 (https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html).
 */
function currentSourceVersion(sourceBucketArn: pulumi.Input<string>): PolicyStatement[] {
  return [
    {
      sid: "ReadCurrentSourceVersion",
      actions: ["s3:GetObject"],
      resources: [pulumi.interpolate`${sourceBucketArn}/*`],
    },
    { sid: "ListSource", actions: ["s3:ListBucket"], resources: [sourceBucketArn] },
  ];
}

/** @example camelCase("claim-upload") === "claimUpload" */
function camelCase(folder: string): string {
  return folder.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}
