import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { asyncFailureDestination, type NodeFunction } from "./lib/node-function";
import { executionStatusPattern, jobEventPattern, uploadPattern } from "./lib/event-patterns";
import { awsScope, scheduleGroupArn } from "./lib/arns";
import { actingFor, serviceTrustPolicy } from "./lib/policies";
import { allowEventBridgeToSend, deadLetterQueue } from "./lib/dead-letter-queue";

/** Inputs of the event wiring around the state machine. */
export interface EventsArgs {
  /** Bucket whose "Object Created" events start executions. */
  readonly sourceBucketName: pulumi.Input<string>;
  /** Only keys starting with this are ingested; default "": the whole bucket. */
  readonly uploadPrefix?: string;
  /** The MediaConvert `userMetadata.stack` value of this stack's jobs (`stackMarker()`). */
  readonly stackMarker: string;
  /** The ingest state machine. */
  readonly stateMachineArn: pulumi.Input<string>;
  /** Target of MediaConvert job state changes. */
  readonly handleJobEvent: NodeFunction;
  /** Target of execution status changes. */
  readonly recordFailure: NodeFunction;
  /** Target of the reconciler schedule. */
  readonly reconcileJobs: NodeFunction;
  /** Minutes between reconciler runs (1–60). */
  readonly reconcileIntervalMinutes: number;
  /** Days a dead-letter queue keeps a message (1–14). */
  readonly dlqRetentionDays: number;
}

/** Name, URL and ARN of one queue. */
export interface QueueRef {
  readonly name: pulumi.Output<string>;
  readonly url: pulumi.Output<string>;
  readonly arn: pulumi.Output<string>;
}

/** The dead-letter queues of the event wiring, by what they catch. */
export interface EventQueues {
  /** Upload events EventBridge could not deliver to the state machine. */
  readonly uploads: QueueRef;
  /** MediaConvert job events EventBridge could not deliver to handle-job-event. */
  readonly jobEvents: QueueRef;
  /** handle-job-event invocations that failed every attempt (Lambda on-failure destination). */
  readonly jobEventFailures: QueueRef;
  /** Execution status events EventBridge could not deliver to record-failure. */
  readonly executionEvents: QueueRef;
  /** record-failure invocations that failed every attempt (Lambda on-failure destination). */
  readonly executionEventFailures: QueueRef;
  /** Reconciler runs EventBridge Scheduler could not start. */
  readonly reconciler: QueueRef;
  /** Reconciler runs that Lambda started and that failed (Lambda on-failure destination). */
  readonly reconcilerFailures: QueueRef;
}

/**
 * Retries of an EventBridge target: the most the service allows (185 attempts over 24 hours), so a
 * throttled or briefly unavailable target loses nothing; what is left after that goes to the DLQ.
 */
export const TARGET_RETRY_POLICY = { maximumRetryAttempts: 185, maximumEventAgeInSeconds: 86_400 } as const;

/**
 * Everything that reacts to events: S3 uploads start executions, MediaConvert job changes and
 * execution status changes reach their Lambda functions, and EventBridge Scheduler runs the
 * reconciler. Every hop retries and ends in an encrypted dead-letter queue (ARCHITECTURE.md, 4).
 */
export class Events extends pulumi.ComponentResource {
  /** Every dead-letter queue created here. */
  public readonly queues: EventQueues;
  /** The rules, for reference and alarms. */
  public readonly uploadRuleArn: pulumi.Output<string>;
  public readonly jobEventRuleArn: pulumi.Output<string>;
  public readonly executionStatusRuleArn: pulumi.Output<string>;
  public readonly reconcilerScheduleArn: pulumi.Output<string>;

  constructor(name: string, args: EventsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("vod:events:Events", name, {}, opts);
    const child = { parent: this };
    const scope = awsScope(child);
    const dlq = (role: string) =>
      deadLetterQueue(`${name}-${role}`, { retentionDays: args.dlqRetentionDays }, child);

    // (a) Uploads → state machine.
    const uploadRule = new aws.cloudwatch.EventRule(
      `${name}-upload`,
      {
        description: "An object was created in the source bucket: start an ingest execution",
        eventPattern: pulumi.jsonStringify(uploadPattern(args.sourceBucketName, args.uploadPrefix ?? "")),
      },
      child,
    );
    const uploadsDlq = dlq("uploads-dlq");
    allowEventBridgeToSend(`${name}-uploads-dlq-policy`, uploadsDlq, [uploadRule.arn], child);
    const startRole = new aws.iam.Role(
      `${name}-start-role`,
      {
        description: "EventBridge starts ingest executions",
        // Only EventBridge delivering for this rule of this account: for a rule target the
        // aws:SourceArn EventBridge sends is the rule's ARN
        // (eventbridge/latest/userguide/cross-service-confused-deputy-prevention.html).
        assumeRolePolicy: serviceTrustPolicy(
          "events.amazonaws.com",
          actingFor(scope.accountId, uploadRule.arn),
        ),
      },
      child,
    );
    const startPolicy = new aws.iam.RolePolicy(
      `${name}-start-policy`,
      {
        role: startRole.id,
        policy: aws.iam.getPolicyDocumentOutput({
          statements: [
            { sid: "StartIngest", actions: ["states:StartExecution"], resources: [args.stateMachineArn] },
          ],
        }).json,
      },
      child,
    );
    new aws.cloudwatch.EventTarget(
      `${name}-upload-target`,
      {
        rule: uploadRule.name,
        arn: args.stateMachineArn,
        roleArn: startRole.arn,
        retryPolicy: TARGET_RETRY_POLICY,
        deadLetterConfig: { arn: uploadsDlq.arn },
      },
      { parent: this, dependsOn: [startPolicy] },
    );

    // (b) MediaConvert job state changes of this stack's jobs → handle-job-event.
    const jobEventRule = new aws.cloudwatch.EventRule(
      `${name}-job-event`,
      {
        description: "A MediaConvert job of this stack changed state: complete or heartbeat its task",
        eventPattern: pulumi.jsonStringify(jobEventPattern(args.stackMarker)),
      },
      child,
    );
    const jobEventsDlq = dlq("job-events-dlq");
    const jobEventFailures = dlq("job-event-failures");
    this.lambdaTarget(`${name}-job-event`, jobEventRule, args.handleJobEvent, jobEventsDlq);
    // A job event older than an hour is stale: the reconciler has acted on the job since.
    asyncFailureDestination(
      `${name}-job-event-async`,
      args.handleJobEvent,
      { queue: jobEventFailures, maximumRetryAttempts: 2, maximumEventAgeSeconds: 3600 },
      child,
    );

    // (c) Execution status changes → record-failure.
    const statusRule = new aws.cloudwatch.EventRule(
      `${name}-execution-status`,
      {
        description: "An ingest execution failed, timed out, was aborted, or runs again after a redrive",
        eventPattern: pulumi.jsonStringify(executionStatusPattern(args.stateMachineArn)),
      },
      child,
    );
    const executionEventsDlq = dlq("execution-events-dlq");
    const executionEventFailures = dlq("execution-event-failures");
    this.lambdaTarget(`${name}-execution-status`, statusRule, args.recordFailure, executionEventsDlq);
    // A failure must reach the catalogue however late: Lambda's longest event age (6 hours).
    asyncFailureDestination(
      `${name}-execution-status-async`,
      args.recordFailure,
      { queue: executionEventFailures, maximumRetryAttempts: 2, maximumEventAgeSeconds: 21_600 },
      child,
    );

    // (d) The reconciler schedule.
    const reconcilerDlq = dlq("reconciler-dlq");
    const schedulerRole = new aws.iam.Role(
      `${name}-scheduler-role`,
      {
        description: "EventBridge Scheduler runs the reconciler",
        // Only Scheduler running a schedule of this account's default group (the schedule sets no
        // groupName): Scheduler's aws:SourceArn is the schedule group's ARN
        // (scheduler/latest/UserGuide/cross-service-confused-deputy-prevention.html).
        assumeRolePolicy: serviceTrustPolicy(
          "scheduler.amazonaws.com",
          actingFor(scope.accountId, scheduleGroupArn(scope)),
        ),
      },
      child,
    );
    // Scheduler delivers to its DLQ with this role, not with a queue policy
    // (scheduler/latest/UserGuide/configuring-schedule-dlq.html).
    const schedulerPolicy = new aws.iam.RolePolicy(
      `${name}-scheduler-policy`,
      {
        role: schedulerRole.id,
        policy: aws.iam.getPolicyDocumentOutput({
          statements: [
            {
              sid: "RunReconciler",
              actions: ["lambda:InvokeFunction"],
              resources: [args.reconcileJobs.function.arn],
            },
            { sid: "DeadLetter", actions: ["sqs:SendMessage"], resources: [reconcilerDlq.arn] },
          ],
        }).json,
      },
      child,
    );
    const intervalSeconds = args.reconcileIntervalMinutes * 60;
    const schedule = new aws.scheduler.Schedule(
      `${name}-reconciler`,
      {
        description: "Heals lost MediaConvert events and heartbeats waiting transcode tasks",
        scheduleExpression: rateExpression(args.reconcileIntervalMinutes),
        flexibleTimeWindow: { mode: "OFF" },
        target: {
          arn: args.reconcileJobs.function.arn,
          roleArn: schedulerRole.arn,
          // A run that cannot start within one interval is superseded by the next one.
          retryPolicy: { maximumRetryAttempts: 3, maximumEventAgeInSeconds: Math.max(60, intervalSeconds) },
          deadLetterConfig: { arn: reconcilerDlq.arn },
        },
      },
      { parent: this, dependsOn: [schedulerPolicy] },
    );
    // Scheduler invokes Lambda asynchronously (lambda/latest/dg/with-eventbridge-scheduler.html):
    // its DLQ gets only the runs it could not hand to Lambda, so a run that Lambda accepted and
    // that then threw needs Lambda's on-failure destination, like the other event-driven functions.
    // Lambda's own retries of a failed run would only overlap the next scheduled run, so there are
    // none. Same logical name as before: the existing configuration is updated in place.
    const reconcilerFailures = dlq("reconciler-failures");
    asyncFailureDestination(
      `${name}-reconciler-async`,
      args.reconcileJobs,
      {
        queue: reconcilerFailures,
        maximumRetryAttempts: 0,
        maximumEventAgeSeconds: Math.max(60, intervalSeconds),
      },
      child,
    );

    this.queues = {
      uploads: queueRef(uploadsDlq),
      jobEvents: queueRef(jobEventsDlq),
      jobEventFailures: queueRef(jobEventFailures),
      executionEvents: queueRef(executionEventsDlq),
      executionEventFailures: queueRef(executionEventFailures),
      reconciler: queueRef(reconcilerDlq),
      reconcilerFailures: queueRef(reconcilerFailures),
    };
    this.uploadRuleArn = uploadRule.arn;
    this.jobEventRuleArn = jobEventRule.arn;
    this.executionStatusRuleArn = statusRule.arn;
    this.reconcilerScheduleArn = schedule.arn;
    this.registerOutputs({
      queues: this.queues,
      uploadRuleArn: this.uploadRuleArn,
      jobEventRuleArn: this.jobEventRuleArn,
      executionStatusRuleArn: this.executionStatusRuleArn,
      reconcilerScheduleArn: this.reconcilerScheduleArn,
    });
  }

  /** A rule's Lambda target with retries and a DLQ, and the permission for this rule alone to invoke it. */
  private lambdaTarget(
    name: string,
    rule: aws.cloudwatch.EventRule,
    target: NodeFunction,
    queue: aws.sqs.Queue,
  ): void {
    allowEventBridgeToSend(`${name}-dlq-policy`, queue, [rule.arn], { parent: this });
    const permission = new aws.lambda.Permission(
      `${name}-invoke`,
      {
        action: "lambda:InvokeFunction",
        function: target.function.name,
        principal: "events.amazonaws.com",
        sourceArn: rule.arn,
      },
      { parent: this },
    );
    new aws.cloudwatch.EventTarget(
      `${name}-target`,
      {
        rule: rule.name,
        arn: target.function.arn,
        retryPolicy: TARGET_RETRY_POLICY,
        deadLetterConfig: { arn: queue.arn },
      },
      { parent: this, dependsOn: [permission] },
    );
  }
}

/**
 * A Scheduler rate expression; a value of 1 takes the singular unit (eb-rate-expressions.html).
 * @example rateExpression(5) === "rate(5 minutes)"
 */
export function rateExpression(minutes: number): string {
  if (!Number.isInteger(minutes) || minutes < 1)
    throw new Error(`A rate needs a whole number of minutes ≥ 1, got ${minutes}`);
  return minutes === 1 ? "rate(1 minute)" : `rate(${minutes} minutes)`;
}

function queueRef(queue: aws.sqs.Queue): QueueRef {
  return { name: queue.name, url: queue.url, arn: queue.arn };
}
