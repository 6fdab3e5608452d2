import { performance } from "node:perf_hooks";
import type { Context } from "aws-lambda";
import { lambdaArn, viaJson, type Random } from "./aws";
import { activityScope, type Clock } from "./clock";

/** A Lambda handler as the Node.js runtime calls it. */
export type LambdaHandler = (event: unknown, context: Context) => Promise<unknown> | unknown;

export interface FunctionSpec {
  readonly name: string;
  /** Lambda's timeout for the function (infra/lib/function-table.ts). */
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  /** Loads the handler (the module's top level runs once, like a cold start). */
  readonly load: () => Promise<LambdaHandler>;
  /** Asynchronous invocations: Lambda's retries after a function error (default 2) and where exhausted events go. */
  readonly async?: {
    readonly maximumRetryAttempts?: number;
    readonly onFailure?: (record: AsyncFailureRecord) => void;
  };
}

/** Why a function ran: a workflow Task, an EventBridge rule, a schedule, a queue's event source mapping, or a test calling it. */
export type InvocationTrigger =
  | { readonly kind: "workflow"; readonly executionArn: string; readonly state: string }
  | {
      readonly kind: "event";
      readonly rule: string;
      readonly eventId: string;
      readonly executionArn?: string;
    }
  | { readonly kind: "schedule"; readonly schedule: string }
  /** An event source mapping's batch: one invocation for the titles of these executions. */
  | { readonly kind: "queue"; readonly queueUrl: string; readonly executionArns: readonly string[] }
  | { readonly kind: "direct" };

export interface InvocationRecord {
  readonly functionName: string;
  readonly requestId: string;
  readonly trigger: InvocationTrigger;
  /** 1 for the first attempt of an asynchronous event, 2–3 for Lambda's own retries. */
  readonly attempt: number;
  readonly startedAt: number;
  endedAt?: number;
  /** Real milliseconds the handler ran. */
  wallMs?: number;
  outcome?: "success" | "error";
  errorType?: string;
}

/** What fakes learn about the invocation calling them (activityScope's activity `tag`). */
export interface InvocationTag {
  readonly functionName: string;
  readonly trigger: InvocationTrigger;
}

/** The invocation whose async context this code runs in, if any. */
export function currentInvocation(): InvocationTag | undefined {
  return activityScope.getStore()?.tag as InvocationTag | undefined;
}

/** A function error, as the Node.js runtime reports it (errorType = the thrown error's `name`). */
export interface FunctionError {
  readonly errorType: string;
  readonly errorMessage: string;
  readonly trace: readonly string[];
}

export type InvokeResult =
  | { readonly ok: true; readonly payload: unknown; readonly requestId: string }
  | { readonly ok: false; readonly error: FunctionError; readonly requestId: string };

/** The record Lambda sends to an on-failure destination. https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html */
export interface AsyncFailureRecord {
  readonly version: "1.0";
  readonly timestamp: string;
  readonly requestContext: {
    readonly requestId: string;
    readonly functionArn: string;
    readonly condition: "RetriesExhausted";
    readonly approximateInvokeCount: number;
  };
  readonly requestPayload: unknown;
  readonly responseContext: {
    readonly statusCode: 200;
    readonly executedVersion: "$LATEST";
    readonly functionError: "Unhandled";
  };
  readonly responsePayload: FunctionError;
}

/** Lambda's delays before its two retries of a failed asynchronous invocation (about 1 and 2 minutes). */
const ASYNC_RETRY_DELAYS_MS = [60_000, 120_000];

/**
 * AWS Lambda for the runner. `invoke` calls a handler the way the Node.js runtime does: the event is a
 * JSON copy of the payload; the context has the documented fields and a `getRemainingTimeInMillis`
 * that counts down on the runner's clock; a thrown error comes back as `{ errorType: error.name,
 * errorMessage, trace }`; the result is JSON-serialised (undefined → null). The invocation is an
 * activity of the clock, and a handler sleeping on `setTimeout` sleeps on the clock
 * (see interceptHandlerTimers). An invocation that outlives its timeout fails like Lambda's does.
 */
export class LambdaService {
  private readonly specs = new Map<string, FunctionSpec>();
  private readonly handlers = new Map<string, Promise<LambdaHandler>>();
  readonly invocations: InvocationRecord[] = [];

  constructor(
    private readonly clock: Clock,
    private readonly random: Random,
  ) {}

  register(spec: FunctionSpec): void {
    this.specs.set(spec.name, spec);
  }

  has(name: string): boolean {
    return this.specs.has(name);
  }

  spec(name: string): FunctionSpec {
    const spec = this.specs.get(name);
    if (!spec) throw new Error(`No function named ${name} is registered with the runner`);
    return spec;
  }

  /** Replaces a function's handler (a test double for one function), keeping its spec. */
  override(name: string, handler: LambdaHandler): void {
    this.handlers.set(name, Promise.resolve(handler));
  }

  /** A synchronous (RequestResponse) invocation. */
  async invoke(
    name: string,
    payload: unknown,
    trigger: InvocationTrigger,
    attempt = 1,
  ): Promise<InvokeResult> {
    const spec = this.spec(name);
    const handler = await this.handler(spec);
    const requestId = this.random.uuid();
    const record: InvocationRecord = {
      functionName: name,
      requestId,
      trigger,
      attempt,
      startedAt: this.clock.now(),
    };
    this.invocations.push(record);
    const activity = this.clock.begin(`${name} ${requestId}`);
    activity.tag = { functionName: name, trigger } satisfies InvocationTag;
    const deadline = this.clock.now() + spec.timeoutSeconds * 1000;
    const started = performance.now();
    const context = lambdaContext(spec, requestId, () => Math.max(0, deadline - this.clock.now()));
    let timer;
    try {
      const timedOut = new Promise<never>((_, reject) => {
        timer = this.clock.schedule(
          spec.timeoutSeconds * 1000,
          () => reject(new LambdaTimeout(requestId, spec.timeoutSeconds)),
          { background: true, label: `${name} timeout`, scaled: false },
        );
      });
      const event = viaJson(payload);
      const result = await activityScope.run(activity, () =>
        Promise.race([Promise.resolve().then(() => handler(event, context)), timedOut]),
      );
      record.outcome = "success";
      return { ok: true, payload: viaJson(result ?? null), requestId };
    } catch (thrown) {
      const error = functionError(thrown);
      record.outcome = "error";
      record.errorType = error.errorType;
      return { ok: false, error, requestId };
    } finally {
      this.clock.cancel(timer);
      record.endedAt = this.clock.now();
      record.wallMs = performance.now() - started;
      activity.end();
    }
  }

  /**
   * An asynchronous (Event) invocation, as EventBridge and Scheduler make them: Lambda accepts the
   * event, runs it, retries a function error `maximumRetryAttempts` times (about 1 and 2 minutes
   * apart), then hands the event to the on-failure destination.
   */
  async invokeAsync(name: string, payload: unknown, trigger: InvocationTrigger): Promise<void> {
    const spec = this.spec(name);
    const retries = spec.async?.maximumRetryAttempts ?? 2;
    const attempt = async (n: number): Promise<void> => {
      const result = await this.invoke(name, payload, trigger, n);
      if (result.ok) return;
      if (n <= retries) {
        this.clock.schedule(ASYNC_RETRY_DELAYS_MS[n - 1] ?? 120_000, () => attempt(n + 1), {
          label: `async retry ${name}`,
        });
        return;
      }
      spec.async?.onFailure?.({
        version: "1.0",
        timestamp: new Date(this.clock.now()).toISOString(),
        requestContext: {
          requestId: result.requestId,
          functionArn: `${lambdaArn(name)}:$LATEST`,
          condition: "RetriesExhausted",
          approximateInvokeCount: n,
        },
        requestPayload: viaJson(payload),
        responseContext: { statusCode: 200, executedVersion: "$LATEST", functionError: "Unhandled" },
        responsePayload: result.error,
      });
    };
    await attempt(1);
  }

  private handler(spec: FunctionSpec): Promise<LambdaHandler> {
    let handler = this.handlers.get(spec.name);
    if (!handler) {
      handler = spec.load();
      this.handlers.set(spec.name, handler);
    }
    return handler;
  }
}

/** A Lambda invocation that ran past its timeout (Lambda reports no errorType; Step Functions calls it Lambda.Unknown). */
class LambdaTimeout extends Error {
  constructor(requestId: string, seconds: number) {
    super(`${new Date().toISOString()} ${requestId} Task timed out after ${seconds.toFixed(2)} seconds`);
    this.name = "Sandbox.Timedout";
  }
}

/** The Node.js runtime's error serialisation (aws-lambda-nodejs-runtime-interface-client, Errors.js). */
export function functionError(thrown: unknown): FunctionError {
  if (thrown instanceof Error) {
    return {
      errorType: thrown.name,
      errorMessage: thrown.message,
      trace: (thrown.stack ?? "").split("\n"),
    };
  }
  return { errorType: typeof thrown, errorMessage: String(thrown), trace: [] };
}

/** The context object the Node.js runtime passes. https://docs.aws.amazon.com/lambda/latest/dg/nodejs-context.html */
function lambdaContext(spec: FunctionSpec, requestId: string, remaining: () => number): Context {
  const unsupported = () => {
    throw new Error("done/fail/succeed are not supported: handlers are async");
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: spec.name,
    functionVersion: "$LATEST",
    invokedFunctionArn: lambdaArn(spec.name),
    memoryLimitInMB: String(spec.memoryMb),
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${spec.name}`,
    logStreamName: `${new Date().toISOString().slice(0, 10).replace(/-/g, "/")}/[$LATEST]${requestId.replace(/-/g, "")}`,
    getRemainingTimeInMillis: remaining,
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
}
