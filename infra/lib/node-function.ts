/**
 * How every Lambda function of this stack is built (`nodeFunction`), and the on-failure
 * destination of its asynchronous invocations (`asyncFailureDestination`). Supporting resources
 * come from these small functions, not from more components (awsx's `role.ts` style); each is
 * created with the caller's options, so it sits under the caller's component.
 */
import * as path from "node:path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { FUNCTIONS_DIR, handlerArchive } from "./bundle";
import { LAMBDA_NAME_MAX, physicalName, stackMarker } from "./naming";
import { serviceTrustPolicy, type PolicyStatement } from "./policies";

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
  /** Bundle Powertools Tracer: an X-Ray subsegment per AWS call (config `traceAwsCalls`); default false. */
  readonly traceAwsCalls?: boolean;
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
      code: handlerArchive(path.join(FUNCTIONS_DIR, args.folder, "handler.ts"), {
        traceAwsCalls: args.traceAwsCalls ?? false,
      }),
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
