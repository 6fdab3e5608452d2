import {
  ExecutionDoesNotExist,
  InvalidOutput,
  InvalidToken,
  TaskDoesNotExist,
  TaskTimedOut,
  ValidationException,
  type DescribeExecutionCommandInput,
  type DescribeExecutionCommandOutput,
  type GetExecutionHistoryCommandInput,
  type GetExecutionHistoryCommandOutput,
  type HistoryEvent,
  type SendTaskFailureCommandInput,
  type SendTaskHeartbeatCommandInput,
  type SendTaskSuccessCommandInput,
} from "@aws-sdk/client-sfn";
import { copyWithDates, type Random } from "../aws";
import type { Clock, TimerHandle } from "../clock";

/** SendTaskSuccess `output` limit (bytes), SendTaskFailure `error` and `cause` limits (characters). */
const MAX_OUTPUT_BYTES = 262_144;
const MAX_ERROR_CHARS = 256;
const MAX_CAUSE_CHARS = 32_768;

/** How a waiting task ended. */
export type TaskEnd =
  | { readonly kind: "success"; readonly output: unknown }
  | { readonly kind: "failure"; readonly error: string; readonly cause: string }
  | { readonly kind: "heartbeat-timeout" | "timeout"; readonly error: string; readonly cause: string };

export interface TaskWaitOptions {
  readonly executionArn: string;
  readonly stateName: string;
  /** From the state's HeartbeatSeconds: the task fails with States.HeartbeatTimeout after this long without a heartbeat. */
  readonly heartbeatSeconds?: number;
  /** From the state's TimeoutSeconds: the task fails with States.Timeout after this long in all. */
  readonly timeoutSeconds?: number;
}

/** The error a waiting task rejects with: `name` is the ASL error (ErrorEquals matches it), `cause` the Cause. */
export class TaskFailure extends Error {
  constructor(
    name: string,
    readonly causeText: string,
  ) {
    super(causeText);
    this.name = name;
    this.cause = causeText;
  }
}

interface Waiter {
  readonly token: string;
  options: TaskWaitOptions;
  status: "minted" | "open" | "closed";
  heartbeatTimer?: TimerHandle;
  timeoutTimer?: TimerHandle;
  settle?: (end: TaskEnd) => void;
  heartbeats: number;
  openedAt?: number;
  lastHeartbeatAt?: number;
  closedAt?: number;
  end?: TaskEnd;
}

/** One task attempt's wait, as the bench explains a title that did not publish. */
export interface TaskWaitRecord {
  readonly token: string;
  readonly stateName: string;
  readonly status: Waiter["status"];
  readonly heartbeats: number;
  readonly openedAt?: number;
  readonly lastHeartbeatAt?: number;
  readonly closedAt?: number;
  readonly end?: TaskEnd;
}

export interface TokenCall {
  readonly api: "SendTaskSuccess" | "SendTaskFailure" | "SendTaskHeartbeat";
  readonly tokenOf?: { readonly executionArn: string; readonly stateName: string };
  readonly at: number;
  readonly result: "accepted" | string;
}

/**
 * The task-token half of Step Functions: `.waitForTaskToken` tasks wait here until SendTaskSuccess
 * or SendTaskFailure names their token. HeartbeatSeconds and TimeoutSeconds run on the runner's clock
 * and fail the task with States.HeartbeatTimeout / States.Timeout. A token that was answered, timed
 * out, or belongs to an attempt that was retried is closed: any call on it is TaskTimedOut, as AWS
 * answers. A string that was never a token is InvalidToken.
 */
export class TaskTokens {
  private readonly waiters = new Map<string, Waiter>();
  readonly calls: TokenCall[] = [];

  constructor(
    private readonly clock: Clock,
    private readonly random: Random,
  ) {}

  /** A new token for one attempt of a task (what `$$.Task.Token` resolves to); `open` names its state. */
  mint(options: Pick<TaskWaitOptions, "executionArn"> & Partial<TaskWaitOptions>): string {
    // Real tokens are opaque base64 strings several hundred characters long, far over userMetadata's 256.
    const token = `AQC${Buffer.from(this.random.hex(720), "hex").toString("base64")}`;
    this.waiters.set(token, {
      token,
      options: { stateName: "", ...options },
      status: "minted",
      heartbeats: 0,
    });
    return token;
  }

  /** Starts the wait (TaskStarted): the heartbeat and timeout clocks start now. */
  open(token: string, limits: Omit<TaskWaitOptions, "executionArn">): Promise<TaskEnd> {
    const waiter = this.waiters.get(token);
    if (!waiter || waiter.status !== "minted")
      throw new Error(`Token ${token.slice(0, 12)}… cannot be opened twice`);
    waiter.options = { ...waiter.options, ...limits };
    waiter.status = "open";
    waiter.openedAt = this.clock.now();
    const ended = new Promise<TaskEnd>((resolve) => (waiter.settle = resolve));
    this.armHeartbeat(waiter);
    if (limits.timeoutSeconds !== undefined) {
      waiter.timeoutTimer = this.clock.schedule(
        limits.timeoutSeconds * 1000,
        () =>
          this.close(waiter, {
            kind: "timeout",
            error: "States.Timeout",
            cause: `The task ran longer than TimeoutSeconds (${limits.timeoutSeconds} s).`,
          }),
        { label: `TimeoutSeconds of ${waiter.options.stateName}` },
      );
    }
    return ended;
  }

  /** Closes a token without an answer (its attempt failed or was aborted): later calls are TaskTimedOut. */
  abandon(token: string): void {
    const waiter = this.waiters.get(token);
    if (waiter && waiter.status !== "closed")
      this.close(waiter, { kind: "failure", error: "abandoned", cause: "" });
  }

  /** Tokens of one execution that still wait. */
  openTokens(executionArn?: string): string[] {
    return [...this.waiters.values()]
      .filter(
        (w) => w.status === "open" && (executionArn === undefined || w.options.executionArn === executionArn),
      )
      .map((w) => w.token);
  }

  /** Every task attempt of one execution that waited on a token, in the order they were minted. */
  waitsOf(executionArn: string): TaskWaitRecord[] {
    return [...this.waiters.values()]
      .filter((w) => w.options.executionArn === executionArn)
      .map((w) => ({
        token: w.token,
        stateName: w.options.stateName,
        status: w.status,
        heartbeats: w.heartbeats,
        openedAt: w.openedAt,
        lastHeartbeatAt: w.lastHeartbeatAt,
        closedAt: w.closedAt,
        end: w.end,
      }));
  }

  describe(
    token: string,
  ): { status: Waiter["status"]; heartbeats: number; end?: TaskEnd; options: TaskWaitOptions } | undefined {
    const w = this.waiters.get(token);
    return w && { status: w.status, heartbeats: w.heartbeats, end: w.end, options: w.options };
  }

  sendTaskSuccess(input: SendTaskSuccessCommandInput): { $metadata: object } {
    const waiter = this.usable("SendTaskSuccess", input.taskToken);
    let output: unknown;
    try {
      output = JSON.parse(input.output ?? "");
    } catch {
      this.record("SendTaskSuccess", waiter, "InvalidOutput");
      throw new InvalidOutput({
        message: "Invalid Output: 'The provided JSON output data is invalid'",
        $metadata: meta(400),
      });
    }
    if (Buffer.byteLength(input.output ?? "", "utf8") > MAX_OUTPUT_BYTES) {
      this.record("SendTaskSuccess", waiter, "ValidationException");
      throw new ValidationException({
        message: `1 validation error detected: Value at 'output' failed to satisfy constraint: Member must have length less than or equal to ${MAX_OUTPUT_BYTES}`,
        $metadata: meta(400),
      });
    }
    this.record("SendTaskSuccess", waiter, "accepted");
    this.close(waiter, { kind: "success", output });
    return { $metadata: meta(200) };
  }

  sendTaskFailure(input: SendTaskFailureCommandInput): { $metadata: object } {
    const waiter = this.usable("SendTaskFailure", input.taskToken);
    if ((input.error ?? "").length > MAX_ERROR_CHARS || (input.cause ?? "").length > MAX_CAUSE_CHARS) {
      this.record("SendTaskFailure", waiter, "ValidationException");
      throw new ValidationException({
        message: `error must be at most ${MAX_ERROR_CHARS} and cause at most ${MAX_CAUSE_CHARS} characters`,
        $metadata: meta(400),
      });
    }
    this.record("SendTaskFailure", waiter, "accepted");
    // Step Functions reports a failure without an error name as States.TaskFailed.
    this.close(waiter, {
      kind: "failure",
      error: input.error ?? "States.TaskFailed",
      cause: input.cause ?? "",
    });
    return { $metadata: meta(200) };
  }

  sendTaskHeartbeat(input: SendTaskHeartbeatCommandInput): { $metadata: object } {
    const waiter = this.usable("SendTaskHeartbeat", input.taskToken);
    this.record("SendTaskHeartbeat", waiter, "accepted");
    waiter.heartbeats++;
    waiter.lastHeartbeatAt = this.clock.now();
    this.armHeartbeat(waiter);
    return { $metadata: meta(200) };
  }

  /** Calls of one API, optionally for one execution. */
  callsOf(api: TokenCall["api"], executionArn?: string): TokenCall[] {
    return this.calls.filter(
      (c) => c.api === api && (executionArn === undefined || c.tokenOf?.executionArn === executionArn),
    );
  }

  private usable(api: TokenCall["api"], token: string | undefined): Waiter {
    const waiter = token === undefined ? undefined : this.waiters.get(token);
    if (!waiter) {
      this.record(api, undefined, "InvalidToken");
      throw new InvalidToken({ message: "Invalid Token: 'Invalid token'", $metadata: meta(400) });
    }
    if (waiter.status === "minted") {
      this.record(api, waiter, "TaskDoesNotExist");
      throw new TaskDoesNotExist({ message: "Task Does Not Exist", $metadata: meta(400) });
    }
    if (waiter.status === "closed") {
      this.record(api, waiter, "TaskTimedOut");
      throw new TaskTimedOut({
        message: "Task Timed Out: 'Provided task does not exist anymore'",
        $metadata: meta(400),
      });
    }
    return waiter;
  }

  private armHeartbeat(waiter: Waiter): void {
    const seconds = waiter.options.heartbeatSeconds;
    if (seconds === undefined) return;
    this.clock.cancel(waiter.heartbeatTimer);
    waiter.heartbeatTimer = this.clock.schedule(
      seconds * 1000,
      () =>
        this.close(waiter, {
          kind: "heartbeat-timeout",
          error: "States.HeartbeatTimeout",
          cause: `No heartbeat for ${seconds} s (HeartbeatSeconds of ${waiter.options.stateName}).`,
        }),
      { label: `HeartbeatSeconds of ${waiter.options.stateName}` },
    );
  }

  private close(waiter: Waiter, end: TaskEnd): void {
    if (waiter.status === "closed") return;
    waiter.status = "closed";
    waiter.closedAt = this.clock.now();
    waiter.end = end;
    this.clock.cancel(waiter.heartbeatTimer);
    this.clock.cancel(waiter.timeoutTimer);
    waiter.settle?.(end);
  }

  private record(api: TokenCall["api"], waiter: Waiter | undefined, result: TokenCall["result"]): void {
    this.calls.push({
      api,
      tokenOf: waiter && { executionArn: waiter.options.executionArn, stateName: waiter.options.stateName },
      at: this.clock.now(),
      result,
    });
  }
}

/** What the execution side of the Step Functions fake must provide (the workflow engine). */
export interface ExecutionRecords {
  find(executionArn: string): ExecutionView | undefined;
}

/** DescribeExecution's fields, plus the history. */
export interface ExecutionView {
  readonly executionArn: string;
  readonly stateMachineArn: string;
  readonly name: string;
  readonly status: "RUNNING" | "SUCCEEDED" | "FAILED" | "TIMED_OUT" | "ABORTED";
  readonly startDate: number;
  readonly stopDate?: number;
  readonly input: string;
  readonly output?: string;
  readonly error?: string;
  readonly cause?: string;
  readonly redriveCount: number;
  readonly redriveDate?: number;
  readonly history: readonly HistoryEvent[];
}

/** Events with execution data (input/output) stripped when `includeExecutionData` is false. */
const DATA_FIELDS = ["input", "output", "parameters"];

/**
 * The read APIs of Step Functions the handlers call: GetExecutionHistory (paged, `reverseOrder`,
 * `includeExecutionData`) and DescribeExecution, answered from the runner's own event log.
 */
export class StepFunctionsApi {
  constructor(private readonly executions: ExecutionRecords) {}

  getExecutionHistory(input: GetExecutionHistoryCommandInput): GetExecutionHistoryCommandOutput {
    const execution = this.mustFind(input.executionArn);
    const maxResults = Math.min(Math.max(input.maxResults || 100, 1), 1000);
    const ordered = input.reverseOrder ? [...execution.history].reverse() : [...execution.history];
    const start = input.nextToken ? Number(Buffer.from(input.nextToken, "base64").toString("utf8")) : 0;
    if (!Number.isInteger(start) || start < 0) {
      throw new InvalidToken({ message: "Invalid Token: 'Invalid pagination token'", $metadata: meta(400) });
    }
    const page = ordered.slice(start, start + maxResults).map((event) => {
      const copy = copyWithDates(event);
      if (input.includeExecutionData === false) stripData(copy as unknown as Record<string, unknown>);
      return copy;
    });
    const next =
      start + maxResults < ordered.length
        ? Buffer.from(String(start + maxResults)).toString("base64")
        : undefined;
    return { $metadata: meta(200), events: page, nextToken: next };
  }

  describeExecution(input: DescribeExecutionCommandInput): DescribeExecutionCommandOutput {
    const e = this.mustFind(input.executionArn);
    const closed = e.status !== "RUNNING";
    return {
      $metadata: meta(200),
      executionArn: e.executionArn,
      stateMachineArn: e.stateMachineArn,
      name: e.name,
      status: e.status,
      startDate: new Date(e.startDate),
      stopDate: e.stopDate === undefined ? undefined : new Date(e.stopDate),
      input: e.input,
      inputDetails: { included: true },
      output: e.output,
      outputDetails: e.output === undefined ? undefined : { included: true },
      error: e.error,
      cause: e.cause,
      redriveCount: e.redriveCount,
      redriveDate: e.redriveDate === undefined ? undefined : new Date(e.redriveDate),
      redriveStatus: closed && e.status !== "SUCCEEDED" ? "REDRIVABLE" : "NOT_REDRIVABLE",
      redriveStatusReason: closed
        ? e.status === "SUCCEEDED"
          ? "Execution is SUCCEEDED and cannot be redriven"
          : `Execution is ${e.status} and is redrivable`
        : "Execution is RUNNING and cannot be redriven",
    };
  }

  private mustFind(executionArn: string | undefined): ExecutionView {
    const execution = executionArn === undefined ? undefined : this.executions.find(executionArn);
    if (!execution) {
      throw new ExecutionDoesNotExist({
        message: `Execution Does Not Exist: '${executionArn}'`,
        $metadata: meta(400),
      });
    }
    return execution;
  }
}

function stripData(node: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(node)) {
    if (DATA_FIELDS.includes(key)) delete node[key];
    else if (value && typeof value === "object" && !(value instanceof Date))
      stripData(value as Record<string, unknown>);
  }
}

function meta(httpStatusCode: number) {
  return { httpStatusCode, attempts: 1, totalRetryDelay: 0 };
}
