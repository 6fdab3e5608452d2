import {
  CreateJobCommand,
  GetJobCommand,
  ListJobsCommand,
  MediaConvertClient,
  ProbeCommand,
} from "@aws-sdk/client-mediaconvert";
import {
  CreateAssetCommand,
  DeleteAssetCommand,
  DescribeAssetCommand,
  ListAssetsCommand,
  MediaPackageVodClient,
  type CreateAssetCommandInput,
  type DeleteAssetCommandInput,
  type DescribeAssetCommandInput,
  type ListAssetsCommandInput,
} from "@aws-sdk/client-mediapackage-vod";
import {
  DeleteObjectsCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  SFNClient,
} from "@aws-sdk/client-sfn";
import { ChangeMessageVisibilityBatchCommand, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { mockClient, type AwsStub } from "aws-sdk-client-mock";
import { readFileSync } from "node:fs";
import { renderDefinition, renderIngestDefinition, type IngestSubstitutions } from "../../infra/lib/asl";
import { stackTags } from "../../functions/shared/contract/tags";
import { executionStatusPattern, jobEventPattern, uploadPattern } from "../../infra/lib/event-patterns";
import type { PipelineEnvironment } from "../../infra/lib/function-table";
import {
  FUNCTION_FOLDERS,
  FUNCTION_SIZING,
  WORKFLOW_FUNCTIONS,
  type FunctionFolder,
} from "../../infra/lib/function-table";
import { taskFunctionSubstitutions, workflowFunctionMap } from "../../infra/lib/workflow-functions";
import { WAITING_TASKS_INDEX } from "../../infra/lib/ledger-schema";
import { transcodeHeartbeatSeconds, transcodeTimeoutSeconds } from "../../infra/lib/timing";
import { TASK_STATES } from "../../statemachines/ingest-states";
import { assetIdFor, revisionFor } from "../../functions/claim-upload/asset-id";
import type { CatalogueRow } from "../../functions/shared/catalogue/row";
import { ACCOUNT, lambdaArn, PARTITION, Random, REGION, sqsQueueArn, sqsQueueUrl } from "./aws";
import {
  activityScope,
  interceptHandlerTimers,
  patchedDateSystemTime,
  RealClock,
  SettleTimeoutError,
  VirtualClock,
  type Clock,
  type SystemTime,
  type TimerHandle,
} from "./clock";
import { LocalDynamo, tableDefinitions } from "./dynamodb";
import { EventBus, type EventPattern } from "./eventbridge";
import {
  executionStatusEvent,
  objectCreatedEvent,
  schedulerInput,
  type EventBridgeEvent,
  type ObjectCreatedEvent,
} from "./events";
import { MediaConvertFake, type FakeJob, type MediaConvertOptions } from "./fakes/mediaconvert";
import { DistributionFake } from "./fakes/cloudfront";
import {
  DEFAULT_ASSET_QUOTA,
  MediaPackageVodFake,
  type PackagingConfigurationSpec,
} from "./fakes/mediapackage-vod";
import {
  S3Fake,
  type KeyEncoding,
  type MediaFacts,
  type ObjectContent,
  type StoredVersion,
} from "./fakes/s3";
import { SqsFake } from "./fakes/sqs";
import { StepFunctionsApi, TaskTokens } from "./fakes/step-functions";
import { LambdaService, type InvocationRecord, type LambdaHandler } from "./lambda";
import { assertSupportedNode, Workflow, type Execution } from "./workflow";
import { SqsEventSource } from "./event-source";
import { correlationIdFor } from "../../functions/shared/contract/correlation-id";
import {
  ADMISSION_MAX_RECEIVES,
  DEFAULT_ADMISSION_CONCURRENCY,
  DEFAULT_CREATE_JOB_RATE,
  admissionBatchSize,
  admissionVisibilityTimeoutSeconds,
  createJobIntervalMs,
} from "../../functions/shared/contract/admission";
import type { SourceObject } from "../../functions/shared/contract/workflow";

export { FUNCTION_FOLDERS, type FunctionFolder };

export { WORKFLOW_FUNCTIONS };

/**
 * The real handlers, loaded only once the environment they read at module load is in place (hence
 * `require`, not a static import; the literal paths let jest and esbuild resolve them).
 */
/* eslint-disable @typescript-eslint/no-require-imports */
const HANDLER_LOADERS: Record<FunctionFolder, () => Promise<LambdaHandler>> = {
  "claim-upload": async () => (require("../../functions/claim-upload/handler") as HandlerModule).handler,
  "submit-job": async () => (require("../../functions/submit-job/handler") as HandlerModule).handler,
  "handle-job-event": async () =>
    (require("../../functions/handle-job-event/handler") as HandlerModule).handler,
  "reconcile-jobs": async () => (require("../../functions/reconcile-jobs/handler") as HandlerModule).handler,
  "register-asset": async () => (require("../../functions/register-asset/handler") as HandlerModule).handler,
  "record-failure": async () => (require("../../functions/record-failure/handler") as HandlerModule).handler,
  "mint-playback-session": async () =>
    (require("../../functions/mint-playback-session/handler") as HandlerModule).handler,
};

/** functions/shared/runtime/clients.ts, loaded after the environment like the handlers. */
function sharedClients(): typeof import("../../functions/shared/runtime/clients") {
  return require("../../functions/shared/runtime/clients") as typeof import("../../functions/shared/runtime/clients");
}
/* eslint-enable @typescript-eslint/no-require-imports */

interface HandlerModule {
  readonly handler: LambdaHandler;
}

/** Sample sources for scenarios. */
export const MEDIA = {
  /** A 1080p talk with stereo audio, one minute long. */
  talk1080p: {
    format: "mp4",
    widthPx: 1920,
    heightPx: 1080,
    durationMs: 61_000,
    frameRate: { numerator: 30_000, denominator: 1001 },
    videoCodec: "AVC",
    audio: { codec: "AAC", channels: 2, sampleRate: 48_000 },
  },
  /** A 720p clip, 12 seconds, no audio. */
  clip720pSilent: { format: "quicktime", widthPx: 1280, heightPx: 720, durationMs: 12_000, audio: null },
} as const satisfies Record<string, MediaFacts>;

export interface RunnerOptions {
  /** `virtual` (default): discrete-event time. `real`: wall time, runner-side waits divided by `timeScale`. */
  readonly clock?: "virtual" | { readonly real: { readonly timeScale?: number } };
  /**
   * How the virtual clock moves `Date` for the handlers. In jest: `jestSystemTime(jest)`; default: a
   * patched global `Date` (patchedDateSystemTime). Ignored with a real clock.
   */
  readonly systemTime?: SystemTime;
  /** Virtual start time (default 2026-01-05T09:00:00Z). */
  readonly startTime?: string;
  /** Seeds jitter, ids and tokens (default 1). */
  readonly seed?: number;
  /** Rendered into the ASL; default as infra/workflow.ts computes them from the reconcile interval and queue wait. */
  readonly transcodeHeartbeatSeconds?: number;
  readonly transcodeTimeoutSeconds?: number;
  /** EventBridge Scheduler rate of the reconciler (default 5); `false`: no schedule, tick it by hand. */
  readonly reconcileIntervalMinutes?: number | false;
  readonly maxQueueWaitMinutes?: number;
  readonly stalledJobMinutes?: number;
  readonly stackMarker?: string;
  readonly packagingSource?: "hls-ts" | "cmaf";
  readonly ladderTopRung?: number;
  readonly acceptedExtensions?: readonly string[];
  readonly uploadPrefix?: string;
  readonly mediaConvert?: Partial<Omit<MediaConvertOptions, "queueArn">>;
  readonly mediaPackage?: {
    readonly ingestMs?: number;
    readonly cmafSource?: "failed" | "playable";
    /** Assets per packaging group (default 10,000); register-asset is told the same quota. */
    readonly assetQuota?: number;
  };
  /** Config `removeSupersededOutputs` (default true). */
  readonly removeSupersededOutputs?: boolean;
  /** EventBridge put-to-target latency, ms (default 500). */
  readonly eventLatencyMs?: number;
  /** How "Object Created" events carry keys (default `form`, like classic S3 notifications). */
  readonly keyEncoding?: KeyEncoding;
  /** Multiplies every Retry wait of the state machine (default 1). */
  readonly retryTimeScale?: number;
  /**
   * The MediaConvert event rule: `stack` (default) filters on this stack's userMetadata marker as
   * infra/events.ts does; `all` sends every job event of the account to handle-job-event, to prove
   * the handler's own check.
   */
  readonly jobEventRule?: "stack" | "all";
  /** POWERTOOLS_LOG_LEVEL of the handlers (default SILENT). */
  readonly logLevel?: string;
  /**
   * An ASL template to run instead of statemachines/ingest.asl.json, rendered with the same
   * renderDefinition Pulumi uses (mutation experiments: "does a scenario notice a missing Retry?").
   */
  readonly aslTemplate?: string;
  /**
   * Admission in front of CreateJob (config `createJobRate`, `admissionConcurrency`; defaults as
   * infra/config.ts). A test lowers them to make a burst exceed the admission limit.
   */
  readonly admission?: { readonly createJobRate?: number; readonly concurrency?: number };
  /** Replace a function's handler (e.g. a local mode wiring a work-in-progress function). */
  readonly handlers?: Partial<Record<FunctionFolder, () => Promise<LambdaHandler>>>;
}

/** One uploaded object, as a scenario refers to it. */
export interface Upload extends SourceObject {
  /** What claim-upload will derive (functions/claim-upload/asset-id.ts). */
  readonly assetId: string;
  readonly revision: string;
  /** The "Object Created" event as delivered. */
  readonly event: ObjectCreatedEvent;
}

export interface UploadOptions {
  /** What the file is: media facts, `"unrecognised"` bytes, a `"corrupt"` file, or `"text"`. Default: MEDIA.talk1080p. */
  readonly media?: MediaFacts | "unrecognised" | "corrupt" | "text";
  readonly size?: number;
  readonly bucket?: string;
  readonly keyEncoding?: KeyEncoding;
  /** How many times EventBridge delivers the event (default 1; 2 = a duplicate delivery). */
  readonly deliveries?: number;
}

/** One upload as a scenario sees it. */
export interface TitleView {
  readonly row: CatalogueRow | undefined;
  /** Every execution its event started (two for a duplicate delivery). */
  readonly executions: readonly Execution[];
  /** The execution that claimed it (else the first). */
  readonly execution: Execution | undefined;
  readonly jobs: readonly FakeJob[];
  readonly packagingAssets: readonly unknown[];
  readonly failureMessages: readonly { assetId: string | null }[];
}

/** Counts for one title (one execution), from the run's own logs. */
export interface TitleMetrics {
  readonly executionArn: string;
  readonly status: Execution["status"];
  /** States entered + retries, as Step Functions bills transitions. */
  readonly transitions: number;
  /** Invocations on the critical path, per function: by the state machine, and the title's share of admission batches. */
  readonly workflowInvocations: Partial<Record<FunctionFolder, number>>;
  /** Invocations by EventBridge events attributable to this title, per function. */
  readonly eventInvocations: Partial<Record<FunctionFolder, number>>;
}

const DEFAULT_EXTENSIONS = ["mp4", "mov", "m4v", "mkv", "mxf", "webm", "avi", "mpg", "mpeg", "ts"];

/** The handlers read their environment once per module load; a second runner must not change it. */
let loadedEnvironment: Record<string, string> | undefined;

/**
 * The local workflow runner: the deployed state machine (statemachines/ingest.asl.json rendered by
 * infra's renderIngestDefinition) executed by aws-local-stepfunctions with the six real handlers, a
 * real DynamoDB (dynalite) and in-memory stand-ins for S3, MediaConvert, MediaPackage VOD, Step
 * Functions task tokens and history, SQS and EventBridge, all on one clock.
 *
 * @example
 * const runner = await WorkflowRunner.start({ systemTime: jestSystemTime(jest) });
 * const upload = runner.upload("talks/lecture 01.mov");
 * await runner.settle();
 * expect((await runner.row(upload.assetId))?.status).toBe("PUBLISHED");
 * await runner.stop();
 */
export class WorkflowRunner {
  readonly clock: Clock;
  readonly random: Random;
  readonly bus: EventBus;
  readonly lambda: LambdaService;
  readonly s3: S3Fake;
  readonly mediaConvert: MediaConvertFake;
  readonly mediaPackage: MediaPackageVodFake;
  /** The distribution's origin routing: what a viewer's GET on a row's URL reaches. */
  readonly cdn: DistributionFake;
  readonly sqs: SqsFake;
  /** submit-job's event source mapping on the admission queue. */
  readonly admission: SqsEventSource;
  readonly tokens: TaskTokens;
  readonly workflow: Workflow;
  readonly names: RunnerNames;
  /** The rendered definition, exactly as Pulumi would deploy it. */
  readonly definition: string;
  private readonly mocks: { restore(): void }[] = [];
  private readonly cleanups: (() => void)[] = [];
  private reconcilerTimer?: TimerHandle;
  private readonly jobExecutions = new Map<string, string>();
  private readonly options: RunnerOptions;

  private constructor(
    options: RunnerOptions,
    readonly dynamo: LocalDynamo,
    clock: Clock,
    names: RunnerNames,
    definition: string,
  ) {
    this.options = options;
    this.clock = clock;
    this.names = names;
    this.definition = definition;
    this.random = new Random(options.seed ?? 1);
    this.bus = new EventBus(clock, this.random, { latencyMs: options.eventLatencyMs });
    this.lambda = new LambdaService(clock, this.random);
    this.s3 = new S3Fake(clock, this.random, [names.sourceBucket, names.outputBucket]);
    this.sqs = new SqsFake(clock, this.random, Object.values(names.queues));
    const submitJobTimeout = FUNCTION_SIZING["submit-job"].timeoutSeconds;
    this.sqs.configure(names.queues.admission, {
      visibilityTimeoutSeconds: admissionVisibilityTimeoutSeconds(submitJobTimeout),
      redrive: {
        maxReceiveCount: ADMISSION_MAX_RECEIVES,
        deadLetterQueueUrl: names.queues.admissionFailures,
      },
    });
    const admission = admissionSettings(options);
    this.admission = new SqsEventSource(clock, this.sqs, this.lambda, {
      queueUrl: names.queues.admission,
      queueArn: sqsQueueArn(names.queues.admission),
      functionName: names.functions["submit-job"],
      batchSize: admissionBatchSize(
        createJobIntervalMs(admission.createJobRate, admission.concurrency),
        submitJobTimeout,
      ),
      maximumConcurrency: admission.concurrency,
    });
    this.tokens = new TaskTokens(clock, this.random);
    this.mediaConvert = new MediaConvertFake(clock, this.random, this.s3, (e) => this.bus.put(e), {
      queueArn: names.mediaConvertQueueArn,
      requiredTags: names.jobTags,
      ...options.mediaConvert,
    });
    this.mediaPackage = new MediaPackageVodFake(clock, this.s3, {
      groups: { [names.packagingGroupId]: names.packagingConfigurations },
      ingestMs: options.mediaPackage?.ingestMs,
      cmafSource: options.mediaPackage?.cmafSource,
      assetQuota: options.mediaPackage?.assetQuota,
      // The stack always turns the packaging group's CDN authorization on (infra/packaging.ts).
      cdnIdentifier: names.cdnIdentifier,
    });
    this.cdn = new DistributionFake(names.cdnBaseUrl, {
      mediaPackage: this.mediaPackage,
      cdnIdentifier: names.cdnIdentifier,
      s3: this.s3,
      outputBucket: names.outputBucket,
    });
    this.workflow = new Workflow({
      definition,
      stateMachineName: names.stateMachineName,
      roleArn: `arn:${PARTITION}:iam::${ACCOUNT}:role/${names.stateMachineName}-role`,
      clock,
      random: this.random,
      lambda: this.lambda,
      tokens: this.tokens,
      dynamodb: dynamo.client,
      sqs: this.sqs,
      retryTimeScale: options.retryTimeScale,
      onStatusChange: (_execution, detail) =>
        this.bus.put(executionStatusEvent(this.random.uuid(), this.clock.now(), detail)),
    });
  }

  /**
   * Builds the simulated stack: fresh tables, fakes, mocks, rules and schedule.
   * @throws UnsupportedNodeError on Node.js < 22, before anything is started.
   */
  static async start(options: RunnerOptions = {}): Promise<WorkflowRunner> {
    assertSupportedNode();
    const names = runnerNames(options.stackMarker ?? "vod-local");
    const reconcileMinutes =
      options.reconcileIntervalMinutes === false ? 5 : (options.reconcileIntervalMinutes ?? 5);
    const maxQueueWaitMinutes = options.maxQueueWaitMinutes ?? 24 * 60;
    const substitutions: IngestSubstitutions = {
      Partition: PARTITION,
      ...taskFunctionSubstitutions(workflowFunctionMap((folder) => lambdaArn(names.functions[folder]))),
      CatalogueTableName: names.catalogueTable,
      AdmissionQueueUrl: names.queues.admission,
      TranscodeHeartbeatSeconds:
        options.transcodeHeartbeatSeconds ?? transcodeHeartbeatSeconds(reconcileMinutes),
      TranscodeTimeoutSeconds:
        options.transcodeTimeoutSeconds ?? transcodeTimeoutSeconds(maxQueueWaitMinutes),
    };
    const template = options.aslTemplate ?? templateFromEnvironment();
    const definition =
      template === undefined
        ? renderIngestDefinition(substitutions)
        : renderDefinition(template, { ...substitutions });

    const dynamo = await LocalDynamo.instance();
    for (const table of tableDefinitions(names.catalogueTable, names.ledgerTable))
      await dynamo.recreateTable(table);
    setEnvironment(handlerEnvironment(names, dynamo.endpoint, options, maxQueueWaitMinutes));

    const startMs = Date.parse(options.startTime ?? "2026-01-05T09:00:00Z");
    let clock: Clock;
    let systemTime: SystemTime | undefined;
    if (options.clock === undefined || options.clock === "virtual") {
      systemTime = options.systemTime ?? patchedDateSystemTime();
      systemTime.install(startMs);
      clock = new VirtualClock(startMs, systemTime);
    } else {
      clock = new RealClock(options.clock.real.timeScale ?? 1);
    }

    let runner: WorkflowRunner;
    try {
      runner = new WorkflowRunner(options, dynamo, clock, names, definition);
    } catch (error) {
      systemTime?.uninstall();
      throw error;
    }
    if (systemTime) runner.cleanups.push(() => systemTime.uninstall());
    if (clock instanceof VirtualClock) runner.cleanups.push(interceptHandlerTimers(clock));
    await runner.wire(reconcileMinutes);
    return runner;
  }

  /** Aborts open executions, stops the schedule, restores the SDK clients, timers and Date. */
  async stop(): Promise<void> {
    this.clock.cancel(this.reconcilerTimer);
    for (const execution of this.executions())
      if (!execution.closed) this.workflow.stop(execution.executionArn);
    for (const mock of this.mocks.splice(0)) mock.restore();
    for (const cleanup of this.cleanups.splice(0).reverse()) cleanup();
  }

  /** Closes the process's DynamoDB engine (jest afterAll of the last runner in a file). */
  static shutdown(): Promise<void> {
    return LocalDynamo.shutdown();
  }

  // ---- acting ------------------------------------------------------------------------------------

  /**
   * Stores a new version of `key` in the source bucket and lets S3 emit its "Object Created" event,
   * which the upload rule turns into an execution (after the EventBridge latency).
   */
  upload(key: string, options: UploadOptions = {}): Upload {
    const bucket = options.bucket ?? this.names.sourceBucket;
    const media = options.media ?? MEDIA.talk1080p;
    const content: ObjectContent =
      media === "unrecognised" || media === "text"
        ? { kind: "unrecognised" }
        : media === "corrupt"
          ? { kind: "corrupt" }
          : { kind: "media", media };
    const stored = this.s3.put(bucket, key, {
      size: options.size,
      content,
      contentType: media === "text" ? "text/plain" : undefined,
    });
    const event = this.objectCreated(stored, options.keyEncoding ?? this.options.keyEncoding ?? "form");
    for (let i = 0; i < (options.deliveries ?? 1); i++) this.bus.put(event);
    return {
      bucket,
      key,
      versionId: stored.versionId,
      size: stored.size,
      etag: stored.etag,
      sequencer: stored.sequencer,
      assetId: assetIdFor(bucket, key),
      revision: revisionFor(stored.versionId),
      event,
    };
  }

  /** EventBridge delivers an upload's event once more (at-least-once delivery). */
  redeliver(upload: Upload): void {
    this.bus.put(upload.event);
  }

  /** RedriveExecution. */
  redrive(executionArn: string): Execution {
    return this.workflow.redrive(executionArn);
  }

  /** One reconciler run, invoked now as Scheduler would (asynchronously); returns when it has finished. */
  async tickReconciler(): Promise<InvocationRecord> {
    await this.lambda.invokeAsync(this.names.functions["reconcile-jobs"], schedulerInput(), {
      kind: "schedule",
      schedule: "manual",
    });
    return this.lambda.invocations
      .filter((i) => i.functionName === this.names.functions["reconcile-jobs"])
      .pop()!;
  }

  // ---- time --------------------------------------------------------------------------------------

  /**
   * Runs the simulated cloud until every execution has ended and nothing but schedules is left to
   * happen (events delivered, failures recorded). Throws, with what is still open, if that takes more
   * than `maxMs` of simulated time (default 7 days).
   */
  async settle(maxMs = 7 * 24 * 3600 * 1000): Promise<void> {
    if (this.clock instanceof RealClock) {
      // No event bookkeeping on a real clock: executions closed and a moment for the last deliveries.
      await this.runUntil(() => this.allClosed(), maxMs);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      return;
    }
    await this.runUntil(() => this.allClosed() && this.virtualClock().quiet, maxMs);
  }

  /**
   * Runs until `condition` holds (checked whenever the system is idle). On a real clock it polls,
   * and `maxMs` is wall time.
   */
  async runUntil(condition: () => boolean, maxMs = 7 * 24 * 3600 * 1000): Promise<void> {
    if (this.clock instanceof RealClock) {
      const deadline = Date.now() + maxMs;
      while (!condition()) {
        const [error] = this.clock.takeErrors();
        if (error !== undefined) throw error;
        this.throwInternalErrors();
        if (Date.now() > deadline)
          throw new SettleTimeoutError(`Not settled within ${maxMs} ms. ${this.describeOpenWork()}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } else {
      await this.virtualClock().runUntil(condition, maxMs, () => this.describeOpenWork());
    }
    this.throwInternalErrors();
  }

  /** Moves simulated time forward by `ms`, firing everything due. */
  async advance(ms: number): Promise<void> {
    await this.virtualClock().advance(ms);
    this.throwInternalErrors();
  }

  /** Simulated now. */
  now(): Date {
    return new Date(this.clock.now());
  }

  // ---- observing ---------------------------------------------------------------------------------

  executions(): Execution[] {
    return [...this.workflow.executions.values()];
  }

  /** Executions started by an upload's event (one per delivery). */
  executionsFor(upload: Upload): Execution[] {
    return this.executions().filter((e) => {
      const input = JSON.parse(e.input) as Partial<ObjectCreatedEvent>;
      return (
        input.detail?.object?.["version-id"] === upload.versionId &&
        input.detail.bucket.name === upload.bucket
      );
    });
  }

  /** The execution of an upload that claimed it (a duplicate delivery's execution ends in "Nothing To Do"). */
  claimingExecution(upload: Upload): Execution | undefined {
    return this.executionsFor(upload).find((e) => e.entries.some((s) => s.name === TASK_STATES.transcode));
  }

  async row(assetId: string): Promise<CatalogueRow | undefined> {
    return this.dynamo.get<CatalogueRow>(this.names.catalogueTable, { assetId });
  }

  async rows(): Promise<CatalogueRow[]> {
    return this.dynamo.scan<CatalogueRow>(this.names.catalogueTable);
  }

  async ledger(): Promise<Record<string, unknown>[]> {
    return this.dynamo.scan<Record<string, unknown>>(this.names.ledgerTable);
  }

  /** The runner's own DocumentClient on the local DynamoDB (for assertions). */
  get documentClient(): DynamoDBDocumentClient {
    return this.dynamo.doc;
  }

  /** Everything a scenario usually asserts about one upload, in one read. */
  async title(upload: Upload): Promise<TitleView> {
    const executions = this.executionsFor(upload);
    return {
      row: await this.row(upload.assetId),
      executions,
      execution: this.claimingExecution(upload) ?? executions[0],
      jobs: this.jobsFor(upload),
      packagingAssets: this.packagingAssetsFor(upload.assetId),
      failureMessages: this.failureMessages<{ assetId: string | null }>().filter(
        (m) => m.assetId === upload.assetId,
      ),
    };
  }

  /** MediaConvert jobs created for an upload's executions. */
  jobsFor(upload: Upload): FakeJob[] {
    const arns = new Set(this.executionsFor(upload).map((e) => e.executionArn));
    return this.mediaConvert.jobsWhere((job) => arns.has(this.executionOfJobId(job.id) ?? ""));
  }

  /** MediaConvert jobs created for one execution. */
  jobsOfExecution(executionArn: string): FakeJob[] {
    return this.mediaConvert.jobsWhere((job) => this.executionOfJobId(job.id) === executionArn);
  }

  /** MediaPackage assets registered for an asset id (every revision). */
  packagingAssetsFor(assetId: string) {
    return [...this.mediaPackage.assets.values()].filter((a) => a.request.Id?.startsWith(`${assetId}-`));
  }

  /** Messages on the failed-executions queue (record-failure's output). */
  failureMessages<T = Record<string, unknown>>(): T[] {
    return this.sqs.bodies<T>(this.names.queues.failures);
  }

  /** Asynchronous invocations that failed every attempt (Lambda on-failure destinations). */
  asyncFailures(): { queue: string; body: unknown }[] {
    return [this.names.queues.jobEventFailures, this.names.queues.executionEventFailures].flatMap((queue) =>
      this.sqs.bodies(queue).map((body) => ({ queue, body })),
    );
  }

  /** Transitions and Lambda invocations of one execution. */
  metrics(execution: Execution): TitleMetrics {
    return this.metricsOf([execution]).get(execution.executionArn)!;
  }

  /** `metrics` of many executions in one pass over the invocations (the bench's 10,000 titles). */
  metricsOf(executions: readonly Execution[]): Map<string, TitleMetrics> {
    const byArn = new Map(
      executions.map((execution) => [
        execution.executionArn,
        {
          executionArn: execution.executionArn,
          status: execution.status,
          transitions: execution.transitions,
          workflowInvocations: {} as Partial<Record<FunctionFolder, number>>,
          eventInvocations: {} as Partial<Record<FunctionFolder, number>>,
        },
      ]),
    );
    const add = (
      arn: string | undefined,
      kind: "workflowInvocations" | "eventInvocations",
      folder: FunctionFolder,
      n: number,
    ) => {
      const metrics = arn === undefined ? undefined : byArn.get(arn);
      if (metrics) metrics[kind][folder] = (metrics[kind][folder] ?? 0) + n;
    };
    for (const invocation of this.lambda.invocations) {
      const trigger = invocation.trigger;
      const folder = this.folderOf(invocation.functionName);
      if (trigger.kind === "workflow") add(trigger.executionArn, "workflowInvocations", folder, 1);
      else if (trigger.kind === "event") add(trigger.executionArn, "eventInvocations", folder, 1);
      else if (trigger.kind === "queue") {
        // One invocation admits a batch of titles: each carries its share.
        for (const arn of trigger.executionArns)
          add(arn, "workflowInvocations", folder, 1 / trigger.executionArns.length);
      }
    }
    return byArn;
  }

  /**
   * Drops the SDK mocks' call logs (every call's input, kept by aws-sdk-client-mock): nothing in the
   * runner reads them, and at 10,000 titles they are most of the memory a run keeps.
   */
  forgetCallHistory(): void {
    for (const mock of this.mocks) (mock as unknown as { resetHistory(): void }).resetHistory();
  }

  /** Invocations per function (all triggers). */
  invocationCounts(): Partial<Record<FunctionFolder, number>> {
    const counts: Partial<Record<FunctionFolder, number>> = {};
    for (const invocation of this.lambda.invocations) {
      const folder = this.folderOf(invocation.functionName);
      counts[folder] = (counts[folder] ?? 0) + 1;
    }
    return counts;
  }

  functionName(folder: FunctionFolder): string {
    return this.names.functions[folder];
  }

  // ---- wiring ------------------------------------------------------------------------------------

  private async wire(reconcileMinutes: number): Promise<void> {
    const { names } = this;
    // SDK clients of the handlers → fakes. DynamoDB is not mocked: it is real (dynalite).
    const s3 = this.mock(S3Client, "S3");
    s3.on(HeadObjectCommand).callsFake((input) => this.s3.headObject(input));
    s3.on(ListObjectVersionsCommand).callsFake((input) => this.s3.listObjectVersions(input));
    s3.on(ListObjectsV2Command).callsFake((input) => this.s3.listObjectsV2(input));
    s3.on(DeleteObjectsCommand).callsFake((input) => this.s3.deleteObjects(input));
    const mediaConvert = this.mock(MediaConvertClient, "MediaConvert");
    mediaConvert.on(ProbeCommand).callsFake((input) => this.mediaConvert.probe(input));
    mediaConvert.on(CreateJobCommand).callsFake((input) => this.mediaConvert.createJob(input));
    mediaConvert.on(GetJobCommand).callsFake((input) => this.mediaConvert.getJob(input));
    mediaConvert.on(ListJobsCommand).callsFake((input) => this.mediaConvert.listJobs(input));
    const mediaPackage = this.mock(MediaPackageVodClient, "MediaPackage VOD");
    mediaPackage
      .on(CreateAssetCommand as never)
      .callsFake((input: CreateAssetCommandInput) => this.mediaPackage.createAsset(input));
    mediaPackage
      .on(DescribeAssetCommand as never)
      .callsFake((input: DescribeAssetCommandInput) => this.mediaPackage.describeAsset(input));
    mediaPackage
      .on(DeleteAssetCommand as never)
      .callsFake((input: DeleteAssetCommandInput) => this.mediaPackage.deleteAsset(input));
    mediaPackage
      .on(ListAssetsCommand as never)
      .callsFake((input: ListAssetsCommandInput) => this.mediaPackage.listAssets(input));
    const sfnApi = new StepFunctionsApi(this.workflow);
    const sfn = this.mock(SFNClient, "Step Functions");
    sfn.on(SendTaskSuccessCommand).callsFake((input) => this.tokens.sendTaskSuccess(input));
    sfn.on(SendTaskFailureCommand).callsFake((input) => this.tokens.sendTaskFailure(input));
    sfn.on(SendTaskHeartbeatCommand).callsFake((input) => this.tokens.sendTaskHeartbeat(input));
    sfn.on(GetExecutionHistoryCommand).callsFake((input) => sfnApi.getExecutionHistory(input));
    sfn.on(DescribeExecutionCommand).callsFake((input) => sfnApi.describeExecution(input));
    const sqs = this.mock(SQSClient, "SQS");
    sqs.on(SendMessageCommand).callsFake((input) => this.sqs.sendMessage(input));
    sqs
      .on(ChangeMessageVisibilityBatchCommand)
      .callsFake((input) => this.sqs.changeMessageVisibilityBatch(input));

    // Functions.
    for (const folder of FUNCTION_FOLDERS) {
      const onFailureQueue =
        folder === "handle-job-event"
          ? names.queues.jobEventFailures
          : folder === "record-failure"
            ? names.queues.executionEventFailures
            : undefined;
      this.lambda.register({
        name: names.functions[folder],
        ...FUNCTION_SIZING[folder],
        load: this.options.handlers?.[folder] ?? HANDLER_LOADERS[folder],
        async: {
          // infra/events.ts: 2 retries for the event targets, none for the scheduled reconciler.
          maximumRetryAttempts: folder === "reconcile-jobs" ? 0 : 2,
          onFailure: onFailureQueue ? (record) => this.sqs.record(onFailureQueue, record) : undefined,
        },
      });
    }
    await this.instrumentDynamoClient();

    // EventBridge rules (infra/events.ts) and the reconciler schedule.
    this.bus.addRule({
      name: "upload",
      pattern: uploadPattern(names.sourceBucket, this.options.uploadPrefix ?? ""),
      deliver: (event) => void this.workflow.start(event),
    });
    this.bus.addRule({
      name: "job-event",
      pattern:
        this.options.jobEventRule === "all"
          ? anyStack(jobEventPattern(names.stackMarker))
          : jobEventPattern(names.stackMarker),
      deliver: (event) =>
        this.lambda.invokeAsync(names.functions["handle-job-event"], event, {
          kind: "event",
          rule: "job-event",
          eventId: event.id,
          executionArn: this.executionOfJob(event),
        }),
    });
    this.bus.addRule({
      name: "execution-status",
      pattern: executionStatusPattern(this.workflow.arn),
      deliver: (event) =>
        this.lambda.invokeAsync(names.functions["record-failure"], event, {
          kind: "event",
          rule: "execution-status",
          eventId: event.id,
          executionArn: (event.detail as { executionArn?: string }).executionArn,
        }),
    });
    if (this.options.reconcileIntervalMinutes !== false) this.scheduleReconciler(reconcileMinutes * 60_000);
  }

  private scheduleReconciler(intervalMs: number): void {
    this.reconcilerTimer = this.clock.schedule(
      intervalMs,
      async () => {
        this.scheduleReconciler(intervalMs);
        await this.lambda.invokeAsync(this.names.functions["reconcile-jobs"], schedulerInput(), {
          kind: "schedule",
          schedule: `rate(${intervalMs / 60_000} minutes)`,
        });
      },
      { background: true, label: "reconciler schedule" },
    );
  }

  /** Counts the handlers' DynamoDB requests per invocation, so the clock never moves under one. */
  private async instrumentDynamoClient(): Promise<void> {
    const { dynamo } = sharedClients();
    const name = "vodRunnerInFlight";
    if (dynamo.middlewareStack.identify().some((entry: string) => entry.startsWith(name))) return;
    dynamo.middlewareStack.add(
      (next) => async (args) => {
        const activity = activityScope.getStore();
        activity?.callStarted();
        try {
          return await next(args);
        } finally {
          activity?.callEnded();
        }
      },
      { step: "initialize", name, priority: "high" },
    );
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  private mock(client: unknown, service: string): AwsStub<any, any, any> {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const stub = mockClient(client as any);
    // A call no fake implements fails loudly instead of returning undefined.
    stub.onAnyCommand().callsFake((input: unknown) => {
      throw new Error(
        `The ${service} fake does not implement this command (input: ${JSON.stringify(input).slice(0, 300)})`,
      );
    });
    this.mocks.push(stub);
    return stub;
  }

  private objectCreated(stored: StoredVersion, encoding: KeyEncoding): ObjectCreatedEvent {
    return objectCreatedEvent({
      id: this.random.uuid(),
      nowMs: this.clock.now(),
      bucket: stored.bucket,
      key: S3Fake.eventKey(stored.key, encoding),
      size: stored.size,
      etag: stored.etag,
      versionId: stored.versionId,
      sequencer: stored.sequencer,
      requestId: this.random.chars("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 16),
    });
  }

  private executionOfJob(event: EventBridgeEvent): string | undefined {
    return this.executionOfJobId((event.detail as { jobId?: string }).jobId ?? "");
  }

  /**
   * The execution a job was created for: the one whose attempt's correlation id (the job's
   * userMetadata) matches, among the executions of the batch that created it.
   */
  private executionOfJobId(jobId: string): string | undefined {
    const cached = this.jobExecutions.get(jobId);
    if (cached !== undefined) return cached || undefined;
    const job = this.mediaConvert.jobs.get(jobId);
    const trigger = job?.createdBy?.trigger;
    const candidates =
      trigger?.kind === "workflow"
        ? [trigger.executionArn]
        : trigger?.kind === "queue"
          ? trigger.executionArns
          : [];
    const correlationId = job?.request.UserMetadata?.correlationId;
    const found = candidates.find((arn) => {
      const execution = this.workflow.find(arn);
      for (let attempt = 0; attempt <= (execution?.redriveCount ?? 0); attempt++)
        if (correlationIdFor(arn, attempt) === correlationId) return true;
      return false;
    });
    if (job) this.jobExecutions.set(jobId, found ?? "");
    return found;
  }

  private folderOf(functionName: string): FunctionFolder {
    return FUNCTION_FOLDERS.find((f) => this.names.functions[f] === functionName)!;
  }

  private allClosed(): boolean {
    return this.executions().every((e) => e.closed);
  }

  private virtualClock(): VirtualClock {
    if (!(this.clock instanceof VirtualClock))
      throw new Error("settle/advance/runUntil need the virtual clock");
    return this.clock;
  }

  private throwInternalErrors(): void {
    const [first] = this.workflow.internalErrors.splice(0);
    if (first !== undefined) throw first;
  }

  private describeOpenWork(): string {
    const open = this.executions().filter((e) => !e.closed);
    const lines = open.slice(0, 5).map((e) => `${e.name} at "${e.lastEntry?.name ?? "?"}"`);
    const timers =
      this.clock instanceof VirtualClock
        ? this.clock
            .pending()
            .slice(0, 5)
            .map((t) => `${t.label} @ ${new Date(t.at).toISOString()}`)
        : [];
    return `Open executions (${open.length}): ${lines.join("; ") || "none"}. Next timers: ${timers.join("; ") || "none"}.`;
  }
}

/** Names of everything the simulated stack has. */
export interface RunnerNames {
  readonly stackMarker: string;
  readonly stateMachineName: string;
  readonly sourceBucket: string;
  readonly outputBucket: string;
  readonly catalogueTable: string;
  readonly ledgerTable: string;
  readonly mediaConvertQueueArn: string;
  readonly mediaConvertRoleArn: string;
  /** The stack's tags (no user tags), which every MediaConvert job must carry. */
  readonly jobTags: Readonly<Record<string, string>>;
  readonly packagingGroupId: string;
  readonly packagingRoleArn: string;
  readonly packagingConfigurations: readonly PackagingConfigurationSpec[];
  /** The distribution viewers play from (infra/delivery.ts): CloudFront's default host shape. */
  readonly cdnBaseUrl: string;
  /** The packaging group's CDN identifier (a random UUID in the stack), which the distribution sends. */
  readonly cdnIdentifier: string;
  readonly functions: Record<FunctionFolder, string>;
  readonly queues: {
    /** Titles waiting for CreateJob ("Transcode To CMAF" sends, submit-job drains), and its dead-letter queue. */
    readonly admission: string;
    readonly admissionFailures: string;
    readonly failures: string;
    readonly jobEventFailures: string;
    readonly executionEventFailures: string;
  };
}

export function runnerNames(stackMarker: string): RunnerNames {
  return {
    stackMarker,
    stateMachineName: `${stackMarker}-ingest`,
    sourceBucket: `${stackMarker}-source-${ACCOUNT}`,
    outputBucket: `${stackMarker}-output-${ACCOUNT}`,
    catalogueTable: `${stackMarker}-catalogue`,
    ledgerTable: `${stackMarker}-ledger`,
    mediaConvertQueueArn: `arn:${PARTITION}:mediaconvert:${REGION}:${ACCOUNT}:queues/${stackMarker}`,
    mediaConvertRoleArn: `arn:${PARTITION}:iam::${ACCOUNT}:role/${stackMarker}-mediaconvert`,
    jobTags: stackTags(stackMarker),
    packagingGroupId: `${stackMarker}-packaging`,
    cdnBaseUrl: "https://d111111abcdef8.cloudfront.net",
    cdnIdentifier: "9f1c2b3a-4d5e-4f60-8a7b-6c5d4e3f2a1b",
    packagingRoleArn: `arn:${PARTITION}:iam::${ACCOUNT}:role/${stackMarker}-packaging`,
    packagingConfigurations: [
      { id: `${stackMarker}-hls`, packageType: "hls" },
      { id: `${stackMarker}-dash`, packageType: "dash" },
      { id: `${stackMarker}-cmaf`, packageType: "cmaf" },
    ],
    functions: Object.fromEntries(FUNCTION_FOLDERS.map((f) => [f, `${stackMarker}-${f}`])) as Record<
      FunctionFolder,
      string
    >,
    queues: {
      admission: sqsQueueUrl(`${stackMarker}-admission`),
      admissionFailures: sqsQueueUrl(`${stackMarker}-admission-failures`),
      failures: sqsQueueUrl(`${stackMarker}-failures`),
      jobEventFailures: sqsQueueUrl(`${stackMarker}-job-event-failures`),
      executionEventFailures: sqsQueueUrl(`${stackMarker}-execution-event-failures`),
    },
  };
}

/** The environment infra/functions.ts gives the functions, pointing at the simulated stack, plus local AWS credentials. */
export function handlerEnvironment(
  names: RunnerNames,
  dynamoEndpoint: string,
  options: RunnerOptions,
  maxQueueWaitMinutes: number,
): Record<string, string> {
  const configurations = Object.fromEntries(names.packagingConfigurations.map((c) => [c.packageType, c.id]));
  // Typed by every function's env schema (infra/lib/function-table.ts): a variable a handler stops or
  // starts reading fails `tsc` here, as it does in infra/functions.ts.
  const pipeline: PipelineEnvironment = {
    CATALOGUE_TABLE: names.catalogueTable,
    LEDGER_TABLE: names.ledgerTable,
    LEDGER_WAITING_INDEX: WAITING_TASKS_INDEX,
    ACCEPTED_EXTENSIONS: (options.acceptedExtensions ?? DEFAULT_EXTENSIONS).join(","),
    OUTPUT_BUCKET: names.outputBucket,
    MEDIACONVERT_QUEUE_ARN: names.mediaConvertQueueArn,
    MEDIACONVERT_ROLE_ARN: names.mediaConvertRoleArn,
    STACK_MARKER: names.stackMarker,
    LADDER_TOP_RUNG: String(options.ladderTopRung ?? 1080),
    PACKAGING_SOURCE: options.packagingSource ?? "hls-ts",
    JOB_TAGS: JSON.stringify(names.jobTags),
    PACKAGING_GROUP_ID: names.packagingGroupId,
    PACKAGING_ROLE_ARN: names.packagingRoleArn,
    PACKAGING_CONFIGURATIONS: JSON.stringify(configurations),
    REMOVE_SUPERSEDED_OUTPUTS: String(options.removeSupersededOutputs ?? true),
    PACKAGING_ASSET_QUOTA: String(options.mediaPackage?.assetQuota ?? DEFAULT_ASSET_QUOTA),
    MAX_QUEUE_WAIT_MINUTES: String(maxQueueWaitMinutes),
    STALLED_JOB_MINUTES: String(options.stalledJobMinutes ?? 60),
    FAILURES_QUEUE_URL: names.queues.failures,
    ADMISSION_QUEUE_URL: names.queues.admission,
    CREATE_JOB_RATE: String(admissionSettings(options).createJobRate),
    ADMISSION_CONCURRENCY: String(admissionSettings(options).concurrency),
    SIGNING_KEY_SECRET_ARN: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${names.stackMarker}-signing-key-AbCdEf`,
    CDN_BASE_URL: names.cdnBaseUrl,
    COOKIE_TTL_SECONDS: "300",
    ENTITLEMENT_CLAIM: "cognito:groups",
  };
  return {
    AWS_REGION: REGION,
    AWS_DEFAULT_REGION: REGION,
    AWS_ACCESS_KEY_ID: "local",
    AWS_SECRET_ACCESS_KEY: "local",
    AWS_ENDPOINT_URL_DYNAMODB: dynamoEndpoint,
    ...pipeline,
    POWERTOOLS_SERVICE_NAME: "vod-ingest",
    POWERTOOLS_LOG_LEVEL: options.logLevel ?? "SILENT",
  };
}

/**
 * `VOD_ASL_TEMPLATE=<path>`: run every scenario against another ASL template (a mutation experiment:
 * `VOD_ASL_TEMPLATE=/tmp/no-retry.asl.json npx jest test/workflow`).
 */
function templateFromEnvironment(): string | undefined {
  const path = process.env.VOD_ASL_TEMPLATE;
  return path ? readFileSync(path, "utf8") : undefined;
}

function setEnvironment(environment: Record<string, string>): void {
  if (loadedEnvironment) {
    const changed = Object.keys(environment).filter((k) => loadedEnvironment![k] !== environment[k]);
    if (changed.length > 0) {
      throw new Error(
        `The handlers read their environment once per module load, and a runner in this process already set it; ` +
          `this runner would change ${changed.join(", ")}. Give every runner of one test file the same options for these.`,
      );
    }
  }
  Object.assign(process.env, environment);
  loadedEnvironment = environment;
}

/** A job-event pattern without the stack-marker filter: every job event of the account. */
function anyStack(pattern: ReturnType<typeof jobEventPattern>): EventPattern {
  const { userMetadata: _ignored, ...detail } = pattern.detail;
  return { ...pattern, detail };
}

/** The admission settings of a runner: the options', else infra's defaults. */
function admissionSettings(options: RunnerOptions): { createJobRate: number; concurrency: number } {
  return {
    createJobRate: options.admission?.createJobRate ?? DEFAULT_CREATE_JOB_RATE,
    concurrency: options.admission?.concurrency ?? DEFAULT_ADMISSION_CONCURRENCY,
  };
}
