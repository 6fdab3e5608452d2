import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { awsScope, stateMachineArn } from "./lib/arns";
import { consoleUrl } from "./lib/console";
import { renderIngestDefinition } from "./lib/asl";
import { taskFunctionSubstitutions } from "./lib/workflow-functions";
import { WORKFLOW_FUNCTIONS, type WorkflowFunction } from "./lib/function-table";
import { transcodeHeartbeatSeconds, transcodeTimeoutSeconds } from "./lib/timing";
import { actingFor, serviceTrustPolicy, type PolicyStatement } from "./lib/policies";

/** Inputs of the ingest state machine. */
export interface WorkflowArgs {
  /** Physical name of the state machine (`ingestStateMachineName()`); its ARN is built from it elsewhere. */
  readonly stateMachineName: string;
  /** ARN of every function a Task state invokes (`WORKFLOW_TASK_FUNCTIONS`), by folder. */
  readonly taskFunctionArns: Readonly<Record<WorkflowFunction, pulumi.Input<string>>>;
  /** The admission queue "Transcode To CMAF" sends titles to (Admission). */
  readonly admissionQueue: { readonly url: pulumi.Input<string>; readonly arn: pulumi.Input<string> };
  /** Catalogue table name and ARN ("Publish To Catalogue" updates it directly). */
  readonly catalogueTableName: pulumi.Input<string>;
  readonly catalogueTableArn: pulumi.Input<string>;
  /** Minutes between reconciler runs; sizes the transcode heartbeat. */
  readonly reconcileIntervalMinutes: number;
  /** Longest accepted wait in the MediaConvert queue; sizes the transcode timeout. */
  readonly maxQueueWaitHours: number;
  /** Days CloudWatch keeps the state machine's log group. */
  readonly logRetentionDays: number;
}

/**
 * The ingest workflow: a Standard state machine (only Standard supports `.waitForTaskToken` on a
 * Lambda task and redrive) running statemachines/ingest.asl.json, with error logging and X-Ray.
 */
export class Workflow extends pulumi.ComponentResource {
  /** ARN of the state machine (the upload rule's target). */
  public readonly stateMachineArn: pulumi.Output<string>;
  /** Its name. */
  public readonly stateMachineName: pulumi.Output<string>;
  /** Where an operator watches and redrives executions. */
  public readonly consoleUrl: pulumi.Output<string>;

  constructor(name: string, args: WorkflowArgs, opts?: pulumi.ComponentResourceOptions) {
    super("vod:workflow:Workflow", name, {}, opts);
    const child = { parent: this };
    const scope = awsScope(child);

    // `/aws/vendedlogs/` names keep Step Functions from adding every log group to the account's
    // CloudWatch Logs resource policy, which is limited to 5,120 characters (step-functions bp-cwl.html).
    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-logs`,
      { name: `/aws/vendedlogs/states/${args.stateMachineName}`, retentionInDays: args.logRetentionDays },
      child,
    );

    const role = new aws.iam.Role(
      `${name}-role`,
      {
        description: "Runs the ingest state machine",
        // Only Step Functions running this state machine for this account (confused deputy,
        // step-functions/latest/dg/procedure-create-iam-role.html#prevent-cross-service-confused-deputy).
        // The ARN comes from the name: the state machine needs this role before it exists.
        assumeRolePolicy: serviceTrustPolicy(
          "states.amazonaws.com",
          actingFor(scope.accountId, stateMachineArn(scope, args.stateMachineName)),
        ),
      },
      child,
    );
    const policy = new aws.iam.RolePolicy(
      `${name}-policy`,
      {
        role: role.id,
        policy: aws.iam.getPolicyDocumentOutput({
          statements: stateMachineStatements(
            WORKFLOW_FUNCTIONS.map((folder) => args.taskFunctionArns[folder]),
            args.catalogueTableArn,
            args.admissionQueue.arn,
          ),
        }).json,
      },
      child,
    );

    const definition = pulumi
      .all([
        scope.partition,
        pulumi.output(args.taskFunctionArns),
        args.catalogueTableName,
        args.admissionQueue.url,
      ])
      .apply(([partition, arns, catalogueTable, admissionQueueUrl]) =>
        renderIngestDefinition({
          Partition: partition,
          ...taskFunctionSubstitutions(arns),
          CatalogueTableName: catalogueTable,
          AdmissionQueueUrl: admissionQueueUrl,
          TranscodeHeartbeatSeconds: transcodeHeartbeatSeconds(args.reconcileIntervalMinutes),
          TranscodeTimeoutSeconds: transcodeTimeoutSeconds(args.maxQueueWaitHours * 60),
        }),
      );

    const machine = new aws.sfn.StateMachine(
      name,
      {
        name: args.stateMachineName,
        type: "STANDARD",
        roleArn: role.arn,
        definition,
        // ERROR, not ALL: a Standard workflow keeps its full history in Step Functions for 90 days,
        // so the log only needs what an alarm or a search starts from. Execution data stays out
        // because task inputs carry task tokens, which let anyone who reads them complete a task.
        loggingConfiguration: {
          level: "ERROR",
          includeExecutionData: false,
          logDestination: pulumi.interpolate`${logGroup.arn}:*`,
        },
        tracingConfiguration: { enabled: true },
      },
      // CreateStateMachine checks the role's log-delivery permissions: the policy must exist first.
      { parent: this, dependsOn: [policy] },
    );

    this.stateMachineArn = machine.arn;
    this.stateMachineName = machine.name;
    this.consoleUrl = pulumi.interpolate`${consoleUrl(scope)}/states/home?region=${scope.region}#/statemachines/view/${machine.arn}`;
    this.registerOutputs({
      stateMachineArn: this.stateMachineArn,
      stateMachineName: this.stateMachineName,
      consoleUrl: this.consoleUrl,
    });
  }
}

/**
 * The state machine role: the admission queue "Transcode To CMAF" sends to, its two Lambda tasks (and their versions/aliases, `:*`, which a
 * qualified FunctionName would invoke), the catalogue update of "Publish To Catalogue", and what
 * logging and tracing need. The log-delivery actions are those of "IAM policies for logging to
 * CloudWatch Logs" (step-functions/latest/dg/cw-logs.html) and the X-Ray ones those of
 * step-functions/latest/dg/xray-iam.html; both pages give `*` as the resource because log
 * deliveries and trace segments are not resources IAM can name. Without them CreateStateMachine
 * is refused.
 */
export function stateMachineStatements(
  functionArns: readonly pulumi.Input<string>[],
  catalogueTableArn: pulumi.Input<string>,
  admissionQueueArn: pulumi.Input<string>,
): PolicyStatement[] {
  return [
    // "Transcode To CMAF" (sqs:sendMessage.waitForTaskToken); the queue uses SSE-SQS, so no KMS grant.
    { sid: "AdmitTitles", actions: ["sqs:SendMessage"], resources: [admissionQueueArn] },
    {
      sid: "InvokeTaskFunctions",
      actions: ["lambda:InvokeFunction"],
      resources: functionArns.flatMap((arn) => [arn, pulumi.interpolate`${arn}:*`]),
    },
    { sid: "PublishToCatalogue", actions: ["dynamodb:UpdateItem"], resources: [catalogueTableArn] },
    {
      sid: "DeliverLogs",
      actions: [
        "logs:CreateLogDelivery",
        "logs:GetLogDelivery",
        "logs:UpdateLogDelivery",
        "logs:DeleteLogDelivery",
        "logs:ListLogDeliveries",
        "logs:PutResourcePolicy",
        "logs:DescribeResourcePolicies",
        "logs:DescribeLogGroups",
      ],
      resources: ["*"],
    },
    {
      sid: "SendTraces",
      actions: [
        "xray:PutTraceSegments",
        "xray:PutTelemetryRecords",
        "xray:GetSamplingRules",
        "xray:GetSamplingTargets",
      ],
      resources: ["*"],
    },
  ];
}
