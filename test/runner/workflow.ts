import {
  DeleteItemCommand,
  DynamoDBServiceException,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  type DynamoDBClient,
} from "@aws-sdk/client-dynamodb";
import type { HistoryEvent, HistoryEventType } from "@aws-sdk/client-sfn";
import {
  ExecutionAbortedError,
  ExecutionError,
  StateMachine,
  type StateMachineDefinition,
} from "aws-local-stepfunctions";
import {
  executionArn as buildExecutionArn,
  functionNameOf,
  REGION,
  stateMachineArn as buildStateMachineArn,
  viaJson,
  type Random,
} from "./aws";
import {
  optimizedDynamoDbError,
  UNMODELLED_DYNAMODB_ERROR,
  UPDATE_ITEM_ERRORS,
} from "../../statemachines/dynamodb-errors";
import type { Activity, Clock } from "./clock";
import type { ExecutionStatusDetail } from "./events";
import type { InvokeResult, LambdaService } from "./lambda";
import type { SqsFake } from "./fakes/sqs";
import {
  TaskFailure,
  type ExecutionRecords,
  type ExecutionView,
  type TaskTokens,
} from "./fakes/step-functions";

/** aws-local-stepfunctions calls `Promise.withResolvers` (Node.js 22+). */
export const MIN_NODE_MAJOR = 22;

/** Thrown at construction when the running Node.js is too old for aws-local-stepfunctions. */
export class UnsupportedNodeError extends Error {
  override readonly name = "UnsupportedNodeError";
}

/**
 * @throws UnsupportedNodeError on Node.js < 22 (aws-local-stepfunctions needs `Promise.withResolvers`).
 */
export function assertSupportedNode(version: string = process.versions.node): void {
  const major = Number(version.split(".")[0]);
  const hasWithResolvers = typeof (Promise as { withResolvers?: unknown }).withResolvers === "function";
  if (!(major >= MIN_NODE_MAJOR) || !hasWithResolvers) {
    throw new UnsupportedNodeError(
      `The local workflow runner needs Node.js ${MIN_NODE_MAJOR} or newer (aws-local-stepfunctions calls ` +
        `Promise.withResolvers); this is Node.js ${version}. In this repository: \`. .ci/node.sh\`.`,
    );
  }
}

type Retrier = NonNullable<
  Extract<StateMachineDefinition["States"][string], { Type: "Task" }>["Retry"]
>[number];

interface TaskStateDefinition {
  readonly Type: "Task";
  readonly Resource: string;
  readonly TimeoutSeconds?: number;
  readonly HeartbeatSeconds?: number;
  readonly Retry?: readonly Retrier[];
  readonly [field: string]: unknown;
}

/**
 * What the runner does for each Task resource. Anything else is refused when the runner is built,
 * so a definition never half-runs.
 */
const SUPPORTED_RESOURCES = new Set([
  "arn:aws:states:::lambda:invoke",
  "arn:aws:states:::lambda:invoke.waitForTaskToken",
  "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
  "arn:aws:states:::dynamodb:updateItem",
  "arn:aws:states:::dynamodb:putItem",
  "arn:aws:states:::dynamodb:getItem",
  "arn:aws:states:::dynamodb:deleteItem",
]);

/**
 * aws-local-stepfunctions races every Task against a real `setTimeout` of TimeoutSeconds (default
 * 60 s). The runner enforces TimeoutSeconds and HeartbeatSeconds itself, on its own clock, so the
 * copy it executes carries this guard instead (below setTimeout's 2^31 ms ceiling).
 */
const ENGINE_TIMEOUT_GUARD_SECONDS = 2_000_000;
// interceptHandlerTimers unrefs real timers of at least UNREF_AT_OR_ABOVE_MS (the guard is 2e9 ms).

/**
 * DynamoDB errors the optimized integration reports by name (`DynamoDB.<Name>`): UpdateItem's modelled
 * errors (statemachines/dynamodb-errors.ts, which the ASL's retriers are checked against; PutItem,
 * GetItem and DeleteItem model a subset). The others come back as `DynamoDB.AmazonDynamoDBException`
 * (e.g. a ValidationException).
 */
const NAMED_DYNAMODB_ERRORS: ReadonlySet<string> = new Set(UPDATE_ITEM_ERRORS);

export type ExecutionStatus = ExecutionView["status"];

/** One state entered during an execution (across redrives). */
export interface StateEntry {
  readonly name: string;
  readonly type: string;
  /** The state's raw input (before InputPath/Parameters): what a redrive reruns it with. */
  readonly input: unknown;
  readonly enteredAt: number;
  readonly run: number;
  exitedAt?: number;
  output?: unknown;
  failed?: { readonly error: string; readonly cause: string };
  /** Attempts beyond the first (Retry). */
  retries: number;
}

interface PendingTaskEvent {
  readonly state: string;
  readonly event: Omit<HistoryEvent, "id" | "previousEventId">;
  readonly terminal: boolean;
}

/** One execution of the state machine, with its AWS-shaped history. */
export class Execution implements ExecutionView {
  status: ExecutionStatus = "RUNNING";
  stopDate?: number;
  output?: string;
  error?: string;
  cause?: string;
  redriveCount = 0;
  redriveDate?: number;
  readonly history: HistoryEvent[] = [];
  readonly entries: StateEntry[] = [];
  /** State transitions as Step Functions bills them: every state entered, plus every retry. */
  transitions = 0;
  runs = 0;
  /** Settles when the current run (start or redrive) has ended and its history is written. */
  done: Promise<void> = Promise.resolve();
  /** The parsed output of a SUCCEEDED execution. */
  result?: unknown;
  /** @internal tokens minted by `$$.Task.Token` and not yet claimed by their task. */
  mintedTokens: string[] = [];
  /** @internal */
  pendingTaskEvents: PendingTaskEvent[] = [];
  /** @internal */
  abort?: () => void;

  constructor(
    readonly executionArn: string,
    readonly stateMachineArn: string,
    readonly name: string,
    readonly input: string,
    readonly startDate: number,
  ) {}

  get closed(): boolean {
    return this.status !== "RUNNING";
  }

  /** The last state entered (where a failed execution failed). */
  get lastEntry(): StateEntry | undefined {
    return this.entries[this.entries.length - 1];
  }

  /** Entries of one state, in order. */
  entriesOf(state: string): StateEntry[] {
    return this.entries.filter((e) => e.name === state);
  }

  /** @internal */
  push(event: Omit<HistoryEvent, "id" | "previousEventId">): void {
    const id = this.history.length + 1;
    this.history.push({ ...event, id, previousEventId: id - 1 } as HistoryEvent);
  }
}

export interface WorkflowOptions {
  /** The rendered ASL (renderIngestDefinition's output). */
  readonly definition: string;
  readonly stateMachineName: string;
  readonly roleArn: string;
  readonly clock: Clock;
  readonly random: Random;
  readonly lambda: LambdaService;
  readonly tokens: TaskTokens;
  /** The DynamoDB the optimized integrations talk to. */
  readonly dynamodb: DynamoDBClient;
  /** The SQS the sendMessage integration sends to. */
  readonly sqs: SqsFake;
  /** Multiplies every Retry wait (1: as written; 0.1: ten times shorter). */
  readonly retryTimeScale?: number;
  /** Called for every status change (RUNNING at start and redrive, then the end status). */
  readonly onStatusChange: (execution: Execution, detail: ExecutionStatusDetail) => void;
}

interface Run {
  readonly number: number;
  readonly activity: Activity;
  /** Per Task state: attempts used per retrier, and the wait before the next attempt. */
  readonly retrierAttempts: Map<string, number[]>;
  readonly retryWait: Map<string, number>;
  readonly lastOutcome: Map<string, "success" | "failure">;
}

/**
 * A Standard state machine run locally: aws-local-stepfunctions interprets the ASL (paths,
 * Parameters, ResultSelector, ResultPath, Choice, Retry matching, Catch); the runner supplies every
 * Task through `taskResourceLocalHandlers`, keeps AWS-shaped execution history, and adds what the
 * engine lacks: `$$.Task.Token`, `$$.Execution.RedriveCount`, `$$.State.EnteredTime`,
 * HeartbeatSeconds and TimeoutSeconds on the runner's clock, Retry waits on that clock (the engine's
 * own waits are overridden to 0), and redrive.
 */
export class Workflow implements ExecutionRecords {
  readonly arn: string;
  readonly name: string;
  readonly definition: StateMachineDefinition;
  readonly executions = new Map<string, Execution>();
  /** Errors that are not workflow outcomes (runner or fake bugs); the runner rethrows them. */
  readonly internalErrors: unknown[] = [];
  private readonly taskStates: string[];
  private readonly retryScale: number;

  constructor(private readonly options: WorkflowOptions) {
    assertSupportedNode();
    this.name = options.stateMachineName;
    this.arn = buildStateMachineArn(this.name);
    this.definition = JSON.parse(options.definition) as StateMachineDefinition;
    // Validates the definition as deployed (asl-validator, ARNs and JSONPaths checked).
    new StateMachine(this.definition, { validationOptions: { checkArn: true, checkPaths: true } });
    this.taskStates = [];
    for (const [name, state] of Object.entries(this.definition.States)) {
      if (state.Type === "Map" || state.Type === "Parallel") {
        throw new Error(`The runner does not run ${state.Type} states ("${name}"); ingest.asl.json has none`);
      }
      if (state.Type !== "Task") continue;
      const task = state as unknown as TaskStateDefinition;
      if (!SUPPORTED_RESOURCES.has(task.Resource)) {
        throw new Error(`State "${name}": the runner has no integration for Resource ${task.Resource}`);
      }
      for (const field of ["TimeoutSecondsPath", "HeartbeatSecondsPath"]) {
        if (field in task) throw new Error(`State "${name}": ${field} is not supported by the runner`);
      }
      this.taskStates.push(name);
    }
    this.retryScale = options.retryTimeScale ?? 1;
  }

  find(executionArn: string): Execution | undefined {
    return this.executions.get(executionArn);
  }

  /** StartExecution. The run proceeds on the clock; `execution.done` settles when it ends. */
  start(input: unknown, name: string = this.options.random.uuid()): Execution {
    const arn = buildExecutionArn(this.name, name);
    if (this.executions.has(arn)) throw new Error(`ExecutionAlreadyExists: ${arn}`);
    const execution = new Execution(arn, this.arn, name, JSON.stringify(input), this.options.clock.now());
    this.executions.set(arn, execution);
    execution.push({
      timestamp: new Date(this.options.clock.now()),
      type: "ExecutionStarted",
      executionStartedEventDetails: {
        input: execution.input,
        inputDetails: { truncated: false },
        roleArn: this.options.roleArn,
      },
    });
    this.options.onStatusChange(execution, this.statusDetail(execution));
    this.run(execution, this.definition.StartAt, input);
    return execution;
  }

  /**
   * RedriveExecution: reruns the failed state with the input it had, keeps the results of the states
   * before it, increments `$$.Execution.RedriveCount`, keeps the execution ARN, and goes on from there.
   * https://docs.aws.amazon.com/step-functions/latest/dg/redrive-executions.html
   */
  redrive(executionArn: string): Execution {
    const execution = this.executions.get(executionArn);
    if (!execution) throw new Error(`ExecutionDoesNotExist: ${executionArn}`);
    if (execution.status === "RUNNING" || execution.status === "SUCCEEDED") {
      throw new Error(`ExecutionNotRedrivable: ${executionArn} is ${execution.status}`);
    }
    const failed = [...execution.entries].reverse().find((e) => e.exitedAt === undefined);
    if (!failed) throw new Error(`ExecutionNotRedrivable: no unfinished state in ${executionArn}`);
    execution.redriveCount++;
    execution.redriveDate = this.options.clock.now();
    execution.status = "RUNNING";
    execution.stopDate = undefined;
    execution.error = undefined;
    execution.cause = undefined;
    execution.push({
      timestamp: new Date(this.options.clock.now()),
      type: "ExecutionRedriven",
      executionRedrivenEventDetails: { redriveCount: execution.redriveCount },
    });
    this.options.onStatusChange(execution, this.statusDetail(execution));
    this.run(execution, failed.name, failed.input);
    return execution;
  }

  /** StopExecution: the execution ends ABORTED. */
  stop(executionArn: string): void {
    const execution = this.executions.get(executionArn);
    if (!execution || execution.closed) return;
    execution.abort?.();
    for (const token of this.options.tokens.openTokens(executionArn)) this.options.tokens.abandon(token);
  }

  /** DescribeExecution's fields, as the status-change event carries them. */
  statusDetail(execution: Execution): ExecutionStatusDetail {
    const failed = execution.status !== "RUNNING" && execution.status !== "SUCCEEDED";
    return {
      executionArn: execution.executionArn,
      stateMachineArn: execution.stateMachineArn,
      name: execution.name,
      status: execution.status,
      startDate: execution.startDate,
      stopDate: execution.stopDate ?? null,
      input: execution.input,
      output: execution.output ?? null,
      inputDetails: { included: true },
      outputDetails: execution.output === undefined ? null : { included: true },
      stateMachineVersionArn: null,
      stateMachineAliasArn: null,
      redriveCount: execution.redriveCount,
      redriveDate: execution.redriveDate ?? null,
      redriveStatus: failed ? "REDRIVABLE" : "NOT_REDRIVABLE",
      redriveStatusReason: failed
        ? `Execution is ${execution.status} and is redrivable`
        : `Execution is ${execution.status} and cannot be redriven`,
      error: execution.error ?? null,
      cause: execution.cause ?? null,
    };
  }

  private run(execution: Execution, startAt: string, input: unknown): void {
    const clock = this.options.clock;
    const activity = clock.begin(`execution ${execution.name}`);
    const run: Run = {
      number: ++execution.runs,
      activity,
      retrierAttempts: new Map(),
      retryWait: new Map(),
      lastOutcome: new Map(),
    };
    const machine = new StateMachine(this.runtimeDefinition(startAt), {
      validationOptions: { noValidate: true },
    });
    const tokens = this.options.tokens;
    const context = {
      Execution: {
        Id: execution.executionArn,
        Name: execution.name,
        RoleArn: this.options.roleArn,
        RedriveCount: execution.redriveCount,
      },
      StateMachine: { Id: this.arn, Name: this.name },
      State: {
        get EnteredTime() {
          return new Date(clock.now()).toISOString();
        },
      },
      Task: {
        get Token() {
          const token = tokens.mint({ executionArn: execution.executionArn });
          execution.mintedTokens.push(token);
          return token;
        },
      },
    };
    const handlers = Object.fromEntries(
      this.taskStates.map((state) => [
        state,
        (parameters: unknown) => this.runTask(execution, run, state, parameters),
      ]),
    );
    const retryIntervalOverrides = Object.fromEntries(this.taskStates.map((state) => [state, 0]));
    const running = machine.run(input as never, {
      overrides: { taskResourceLocalHandlers: handlers as never, retryIntervalOverrides },
      context,
    });
    execution.abort = running.abort;
    const logged = this.record(execution, running.eventLogs as unknown as AsyncGenerator<EngineEvent>, run);
    execution.done = (async () => {
      try {
        const output = await running.result;
        await logged;
        execution.status = "SUCCEEDED";
        execution.result = output;
        execution.output = JSON.stringify(output);
      } catch (error) {
        await logged;
        if (error instanceof ExecutionAbortedError) {
          execution.status = "ABORTED";
        } else if (error instanceof ExecutionError) {
          const cause = error.cause as (Error & { cause?: unknown }) | undefined;
          execution.status = "FAILED";
          execution.error = cause?.name ?? "States.Runtime";
          execution.cause = typeof cause?.cause === "string" ? cause.cause : (cause?.message ?? "");
        } else {
          // Not a workflow failure: a bug in the runner or the engine. Never hidden.
          throw error;
        }
      } finally {
        execution.stopDate = clock.now();
        for (const token of execution.mintedTokens.splice(0)) tokens.abandon(token);
        activity.end();
      }
      this.options.onStatusChange(execution, this.statusDetail(execution));
    })().catch((error: unknown) => {
      this.internalErrors.push(error);
    });
  }

  /**
   * The copy the engine executes: StartAt for a redrive; timeouts taken over by the runner (see the
   * guard); and `ResultPath: "$"` written as its ASL default (no ResultPath), because
   * aws-local-stepfunctions 3.0.0 stores the result under a field named "$" instead of making it the
   * state's output (processResultPath strips only "$." prefixes). Same meaning, no engine bug.
   */
  private runtimeDefinition(startAt: string): StateMachineDefinition {
    const copy = viaJson(this.definition);
    copy.StartAt = startAt;
    for (const state of Object.values(copy.States)) {
      const fields = state as unknown as Record<string, unknown>;
      if (fields.ResultPath === "$") delete fields.ResultPath;
      for (const catcher of (fields.Catch ?? []) as Record<string, unknown>[]) {
        if (catcher.ResultPath === "$") delete catcher.ResultPath;
      }
      if (state.Type !== "Task") continue;
      delete fields.HeartbeatSeconds;
      fields.TimeoutSeconds = ENGINE_TIMEOUT_GUARD_SECONDS;
    }
    return copy;
  }

  /** Runs one attempt of a Task state. The engine decides whether to retry; the runner waits first. */
  private async runTask(
    execution: Execution,
    run: Run,
    stateName: string,
    parameters: unknown,
  ): Promise<unknown> {
    const state = this.definition.States[stateName] as unknown as TaskStateDefinition;
    const token = state.Resource.endsWith(".waitForTaskToken") ? execution.mintedTokens.shift() : undefined;
    if (run.lastOutcome.get(stateName) === "success") {
      // Entered again (a loop): a fresh state, fresh retry counts.
      run.retrierAttempts.delete(stateName);
    }
    run.activity.sleeping++;
    run.activity.changed();
    try {
      const wait = run.retryWait.get(stateName);
      if (wait !== undefined) {
        run.retryWait.delete(stateName);
        await this.options.clock.sleep(wait);
      }
      const { resourceType, resource } = describeResource(state.Resource);
      const event = (type: HistoryEventType, details: Record<string, unknown>, terminal = false) =>
        this.taskEvent(execution, stateName, type, { resourceType, resource, ...details }, terminal);
      event("TaskScheduled", {
        region: REGION,
        parameters: JSON.stringify(parameters),
        ...(state.TimeoutSeconds !== undefined ? { timeoutInSeconds: state.TimeoutSeconds } : {}),
        ...(state.HeartbeatSeconds !== undefined ? { heartbeatInSeconds: state.HeartbeatSeconds } : {}),
      });
      event("TaskStarted", {});
      try {
        const output = await this.invoke(execution, stateName, state, parameters, token, event);
        event("TaskSucceeded", { output: JSON.stringify(output), outputDetails: { truncated: false } }, true);
        run.lastOutcome.set(stateName, "success");
        return output;
      } catch (thrown) {
        if (!(thrown instanceof TaskFailure)) {
          // Not a service's answer: a bug in the runner or a fake. The execution fails with it, and
          // settle() rethrows it, so it can never pass for a workflow failure.
          this.internalErrors.push(thrown);
        }
        const failure = thrown instanceof TaskFailure ? thrown : unexpected(thrown);
        const timedOut = failure.name === "States.Timeout" || failure.name === "States.HeartbeatTimeout";
        event(
          timedOut ? "TaskTimedOut" : "TaskFailed",
          { error: failure.name, cause: failure.causeText },
          true,
        );
        run.lastOutcome.set(stateName, "failure");
        const retryWait = this.retryWait(state, failure.name, run, stateName);
        if (retryWait !== undefined) run.retryWait.set(stateName, retryWait);
        throw failure;
      }
    } finally {
      if (token !== undefined) this.options.tokens.abandon(token);
      run.activity.sleeping--;
      run.activity.changed();
    }
  }

  private async invoke(
    execution: Execution,
    stateName: string,
    state: TaskStateDefinition,
    parameters: unknown,
    token: string | undefined,
    event: (type: HistoryEventType, details: Record<string, unknown>) => void,
  ): Promise<unknown> {
    const params = (parameters ?? {}) as Record<string, unknown>;
    const trigger = { kind: "workflow", executionArn: execution.executionArn, state: stateName } as const;
    switch (state.Resource) {
      case "arn:aws:states:::lambda:invoke":
        return this.withTimeout(state, async () => lambdaOutput(await this.invokeLambda(params, trigger)));
      case "arn:aws:states:::lambda:invoke.waitForTaskToken":
        return this.waitForTaskToken(stateName, state, token, event, async () =>
          lambdaOutput(await this.invokeLambda(params, trigger)),
        );
      case "arn:aws:states:::sqs:sendMessage.waitForTaskToken":
        return this.waitForTaskToken(stateName, state, token, event, async () => this.sendMessage(params));
      default:
        return this.withTimeout(state, () => this.dynamoDb(state.Resource, params));
    }
  }

  private async invokeLambda(
    params: Record<string, unknown>,
    trigger: { kind: "workflow"; executionArn: string; state: string },
  ): Promise<Extract<InvokeResult, { ok: true }>> {
    const functionName = functionNameOf(String(params.FunctionName ?? ""));
    if (!this.options.lambda.has(functionName)) {
      throw new TaskFailure(
        "Lambda.ResourceNotFoundException",
        `Function not found: ${String(params.FunctionName)} (Service: Lambda, Status Code: 404)`,
      );
    }
    const result = await this.options.lambda.invoke(functionName, params.Payload ?? {}, trigger);
    if (!result.ok) {
      // The lambda:invoke integration fails the task with the function's errorType; Cause is the error payload.
      const { errorType, errorMessage, trace } = result.error;
      throw new TaskFailure(
        errorType === "Sandbox.Timedout" ? "Lambda.Unknown" : errorType,
        JSON.stringify({ errorMessage, errorType, trace }),
      );
    }
    return result;
  }

  /**
   * A `.waitForTaskToken` Task: the token's heartbeat and timeout clocks start, `submit` hands the token
   * on (a Lambda invocation, an SQS message), and the task ends with whatever SendTask* call closes it.
   */
  private async waitForTaskToken(
    stateName: string,
    state: TaskStateDefinition,
    token: string | undefined,
    event: (type: HistoryEventType, details: Record<string, unknown>) => void,
    submit: () => Promise<unknown>,
  ): Promise<unknown> {
    if (token === undefined) {
      throw new TaskFailure(
        "States.Runtime",
        `State "${stateName}": a .waitForTaskToken task must pass $$.Task.Token`,
      );
    }
    const ended = this.options.tokens.open(token, {
      stateName,
      heartbeatSeconds: state.HeartbeatSeconds,
      timeoutSeconds: state.TimeoutSeconds,
    });
    const submitted = await submit();
    event("TaskSubmitted", { output: JSON.stringify(submitted), outputDetails: { truncated: false } });
    const end = await ended;
    if (end.kind === "success") return end.output;
    throw new TaskFailure(end.error, end.cause);
  }

  /**
   * The optimized SQS SendMessage integration: a JSON `MessageBody` is sent as its JSON text; the output
   * is SendMessage's response. A refusal fails the task with `SQS.<ErrorCode>`, as the integration
   * names service exceptions.
   */
  private sendMessage(params: Record<string, unknown>): unknown {
    const body = params.MessageBody;
    try {
      const { $metadata, ...rest } = this.options.sqs.sendMessage({
        QueueUrl: String(params.QueueUrl ?? ""),
        MessageBody: typeof body === "string" ? body : JSON.stringify(body),
      });
      return {
        ...rest,
        SdkHttpMetadata: { HttpStatusCode: $metadata.httpStatusCode ?? 200 },
        SdkResponseMetadata: { RequestId: $metadata.requestId ?? "" },
      };
    } catch (error) {
      const name = (error as Error).name;
      throw new TaskFailure(`SQS.${name}`, `${(error as Error).message} (Service: Sqs, Error Code: ${name})`);
    }
  }

  /** The optimized DynamoDB integrations, against the real (local) DynamoDB. */
  private async dynamoDb(resource: string, params: Record<string, unknown>): Promise<unknown> {
    const action = resource.split(":").pop();
    const commands = {
      updateItem: UpdateItemCommand,
      putItem: PutItemCommand,
      getItem: GetItemCommand,
      deleteItem: DeleteItemCommand,
    };
    const Command = commands[action as keyof typeof commands] as unknown as new (input: never) => never;
    try {
      const response = await this.options.clock.track(`dynamodb:${action}`, () =>
        this.options.dynamodb.send(new Command(params as never)),
      );
      const { $metadata, ...rest } = response as {
        $metadata: { requestId?: string; httpStatusCode?: number };
      };
      return {
        ...rest,
        SdkHttpMetadata: { HttpStatusCode: $metadata.httpStatusCode ?? 200 },
        SdkResponseMetadata: { RequestId: $metadata.requestId ?? "" },
      };
    } catch (error) {
      if (error instanceof DynamoDBServiceException) {
        const status = error.$metadata.httpStatusCode ?? 400;
        throw new TaskFailure(
          NAMED_DYNAMODB_ERRORS.has(error.name)
            ? optimizedDynamoDbError(error.name)
            : UNMODELLED_DYNAMODB_ERROR,
          `${error.message} (Service: DynamoDb, Status Code: ${status}, Error Code: ${error.name}, Request ID: ${error.$metadata.requestId ?? ""})`,
        );
      }
      throw error;
    }
  }

  /** TimeoutSeconds of a Task that is not a token wait, on the runner's clock. */
  private async withTimeout<T>(state: TaskStateDefinition, work: () => Promise<T>): Promise<T> {
    if (state.TimeoutSeconds === undefined) return work();
    let timer;
    const timedOut = new Promise<never>((_, reject) => {
      timer = this.options.clock.schedule(
        state.TimeoutSeconds! * 1000,
        () =>
          reject(
            new TaskFailure(
              "States.Timeout",
              `The task ran longer than TimeoutSeconds (${state.TimeoutSeconds} s).`,
            ),
          ),
        { background: true, label: "TimeoutSeconds" },
      );
    });
    try {
      return await Promise.race([work(), timedOut]);
    } finally {
      this.options.clock.cancel(timer);
    }
  }

  /**
   * The wait before the next attempt if a retrier matches, by the ASL rules: the first retrier whose
   * ErrorEquals names the error (or States.ALL / States.TaskFailed), IntervalSeconds × BackoffRate^n,
   * capped by MaxDelaySeconds, FULL jitter drawn from [0, wait). Undefined when no retry follows.
   * https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html
   */
  private retryWait(
    state: TaskStateDefinition,
    error: string,
    run: Run,
    stateName: string,
  ): number | undefined {
    const retriers = state.Retry ?? [];
    const attempts = run.retrierAttempts.get(stateName) ?? retriers.map(() => 0);
    run.retrierAttempts.set(stateName, attempts);
    for (const [i, retrier] of retriers.entries()) {
      const names = retrier.ErrorEquals;
      if (!(names.includes(error) || names.includes("States.ALL") || names.includes("States.TaskFailed")))
        continue;
      if (attempts[i]! >= (retrier.MaxAttempts ?? 3)) return undefined;
      const seconds = Math.min(
        (retrier.IntervalSeconds ?? 1) * Math.pow(retrier.BackoffRate ?? 2, attempts[i]!),
        retrier.MaxDelaySeconds ?? Number.POSITIVE_INFINITY,
      );
      attempts[i]!++;
      const jittered = retrier.JitterStrategy === "FULL" ? this.options.random.next() * seconds : seconds;
      return jittered * 1000 * this.retryScale;
    }
    return undefined;
  }

  private taskEvent(
    execution: Execution,
    state: string,
    type: HistoryEventType,
    details: Record<string, unknown>,
    terminal = false,
  ): void {
    const key = `${type.charAt(0).toLowerCase()}${type.slice(1)}EventDetails`;
    execution.pendingTaskEvents.push({
      state,
      terminal,
      event: { timestamp: new Date(this.options.clock.now()), type, [key]: details } as Omit<
        HistoryEvent,
        "id" | "previousEventId"
      >,
    });
  }

  /** Turns the engine's event log into Step Functions history, merging the Task events the runner recorded. */
  private async record(execution: Execution, events: AsyncGenerator<EngineEvent>, run: Run): Promise<void> {
    const flush = (state: string) => {
      const pending = execution.pendingTaskEvents;
      while (pending.length > 0) {
        const index = pending.findIndex((p) => p.state === state);
        if (index < 0) break;
        const [next] = pending.splice(index, 1);
        execution.push(next!.event);
        if (next!.terminal) break;
      }
    };
    const current = new Map<string, StateEntry>();
    for await (const event of events) {
      const at = new Date(event.timestamp);
      switch (event.type) {
        case "StateEntered": {
          const entry: StateEntry = {
            name: event.state.name,
            type: event.state.type,
            input: event.state.input,
            enteredAt: event.timestamp,
            run: run.number,
            retries: 0,
          };
          execution.entries.push(entry);
          current.set(entry.name, entry);
          execution.transitions++;
          execution.push({
            timestamp: at,
            type: `${event.state.type}StateEntered` as HistoryEventType,
            stateEnteredEventDetails: {
              name: event.state.name,
              input: JSON.stringify(event.state.input),
              inputDetails: { truncated: false },
            },
          });
          break;
        }
        case "StateExited": {
          flush(event.state.name);
          const entry = current.get(event.state.name);
          if (entry) {
            entry.exitedAt = event.timestamp;
            entry.output = event.state.output;
          }
          execution.push({
            timestamp: at,
            type: `${event.state.type}StateExited` as HistoryEventType,
            stateExitedEventDetails: {
              name: event.state.name,
              output: JSON.stringify(event.state.output ?? null),
              outputDetails: { truncated: false },
            },
          });
          break;
        }
        case "StateFailed": {
          flush(event.state.name);
          const entry = current.get(event.state.name);
          if (entry) entry.failed = { error: event.Error ?? "", cause: causeText(event.Cause) };
          break;
        }
        case "StateRetried": {
          const entry = current.get(event.state.name);
          if (entry) {
            entry.retries++;
            entry.failed = undefined;
          }
          execution.transitions++;
          break;
        }
        case "ExecutionSucceeded":
          execution.push({
            timestamp: at,
            type: "ExecutionSucceeded",
            executionSucceededEventDetails: {
              output: JSON.stringify(event.output ?? null),
              outputDetails: { truncated: false },
            },
          });
          break;
        case "ExecutionFailed":
          execution.push({
            timestamp: at,
            type: "ExecutionFailed",
            executionFailedEventDetails: { error: event.Error ?? "", cause: causeText(event.Cause) },
          });
          break;
        case "ExecutionAborted":
          execution.push({ timestamp: at, type: "ExecutionAborted", executionAbortedEventDetails: {} });
          break;
        case "ExecutionTimeout":
          execution.push({ timestamp: at, type: "ExecutionTimedOut", executionTimedOutEventDetails: {} });
          break;
        default:
          break;
      }
    }
    // Anything the engine never closed (an aborted wait) still belongs in the history.
    for (const pending of execution.pendingTaskEvents.splice(0)) execution.push(pending.event);
  }
}

/** The engine's event-log entries (aws-local-stepfunctions/docs/execution-event-logs.md). */
interface EngineEvent {
  readonly type: string;
  readonly timestamp: number;
  readonly state: {
    readonly name: string;
    readonly type: string;
    readonly input: unknown;
    readonly output?: unknown;
  };
  readonly output?: unknown;
  readonly Error?: string;
  readonly Cause?: unknown;
}

function causeText(cause: unknown): string {
  if (typeof cause === "string") return cause;
  if (cause instanceof Error) return cause.message;
  return cause === undefined ? "" : JSON.stringify(cause);
}

/** `arn:aws:states:::lambda:invoke.waitForTaskToken` → lambda / invoke.waitForTaskToken. */
function describeResource(resource: string): { resourceType: string; resource: string } {
  const [service = "", action = ""] = resource.replace(/^arn:[^:]+:states:::/, "").split(":");
  return { resourceType: service, resource: action };
}

/**
 * The lambda:invoke integration's output (Lambda's Invoke response): the function's result is in
 * `Payload`, which is why the ASL selects `$.Payload`.
 * https://docs.aws.amazon.com/step-functions/latest/dg/connect-lambda.html
 */
function lambdaOutput(result: Extract<InvokeResult, { ok: true }>) {
  return {
    ExecutedVersion: "$LATEST",
    Payload: result.payload,
    SdkHttpMetadata: {
      AllHttpHeaders: { "X-Amz-Executed-Version": ["$LATEST"], "x-amzn-RequestId": [result.requestId] },
      HttpHeaders: { "X-Amz-Executed-Version": "$LATEST", "x-amzn-RequestId": result.requestId },
      HttpStatusCode: 200,
    },
    SdkResponseMetadata: { RequestId: result.requestId },
    StatusCode: 200,
  };
}

/** A runner or engine bug surfaced as a task failure with its stack, never silently. */
function unexpected(thrown: unknown): TaskFailure {
  const error = thrown instanceof Error ? thrown : new Error(String(thrown));
  return new TaskFailure(error.name || "Error", `${error.message}\n${error.stack ?? ""}`);
}
