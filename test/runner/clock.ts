import { AsyncLocalStorage } from "node:async_hooks";
import { setImmediate as realSetImmediate, setTimeout as realSetTimeout } from "node:timers";

/**
 * Time for the local workflow runner.
 *
 * Everything that waits in the simulated cloud — a MediaConvert job, an EventBridge delivery, a Retry
 * backoff, a task's HeartbeatSeconds, the reconciler schedule, a handler's own `setTimeout` sleep —
 * waits on a {@link Clock}. The handlers read the wall clock (`new Date()`, `Date.now()`), so the
 * clock also moves that, through a {@link SystemTime}.
 *
 * Two clocks:
 * - {@link VirtualClock} (tests, the bench): time stands still while any work runs and jumps to the
 *   next timer when everything is idle, so a 48-hour scenario takes milliseconds and runs the same
 *   way every time. Real I/O (DynamoDB over localhost) still happens; the clock waits for it.
 * - {@link RealClock} (a local mode): wall time, optionally compressed by `timeScale`.
 */
export interface Clock {
  readonly kind: "virtual" | "real";
  /** Epoch milliseconds, as the handlers see it through `Date.now()`. */
  now(): number;
  /**
   * Runs `fn` `delayMs` from now. `background` timers (schedules, a hung job's silence) never keep
   * {@link VirtualClock.settle} going on their own. A callback that throws, or returns a promise
   * that rejects, fails the next `advance`/`settle`: errors are never swallowed.
   */
  schedule(delayMs: number, fn: () => unknown, options?: TimerOptions): TimerHandle;
  cancel(handle: TimerHandle | undefined): void;
  sleep(ms: number): Promise<void>;
  /** Work the clock must not move time under (a Lambda invocation, a DynamoDB call). */
  begin(label: string): Activity;
  /** Like begin/end around a promise. */
  track<T>(label: string, work: () => Promise<T>): Promise<T>;
}

export interface TimerOptions {
  readonly background?: boolean;
  readonly label?: string;
  /** RealClock: false for waits that must not be compressed by `timeScale` (a Lambda's timeout). */
  readonly scaled?: boolean;
}

export interface TimerHandle {
  readonly id: number;
  readonly at: number;
  readonly label: string;
}

/**
 * Something running. It holds time still while it works; an activity that only waits on the clock
 * (a handler sleeping in `setTimeout` with no SDK call in flight) lets time move.
 */
export class Activity {
  /** SDK calls (DynamoDB requests) in flight. */
  inFlight = 0;
  /** Clock timers this activity waits on (handler sleeps). */
  sleeping = 0;
  ended = false;
  /** What the activity is (the runner tags Lambda invocations with their function and trigger). */
  tag: unknown;
  constructor(
    readonly label: string,
    private readonly onChange: () => void,
  ) {}
  get busy(): boolean {
    return !this.ended && !(this.sleeping > 0 && this.inFlight === 0);
  }
  callStarted(): void {
    this.inFlight++;
  }
  callEnded(): void {
    this.inFlight--;
    this.onChange();
  }
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.onChange();
  }
  changed(): void {
    this.onChange();
  }
}

/**
 * How the clock moves what `Date` reports. In jest: modern fake timers faking only `Date`
 * ({@link jestSystemTime}); elsewhere: a `Date` subclass installed on `globalThis`
 * ({@link patchedDateSystemTime}).
 */
export interface SystemTime {
  install(nowMs: number): void;
  set(nowMs: number): void;
  uninstall(): void;
}

/** The slice of jest's API the jest adapter uses (so this module does not depend on jest's types). */
export interface JestTimersApi {
  // jest types `doNotFake` with its own union; anything jest accepts is fine here.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  useFakeTimers(config?: any): unknown;
  setSystemTime(now?: number | Date): void;
  useRealTimers(): unknown;
}

/** Everything jest's modern fake timers can fake, except `Date`. */
const EVERYTHING_BUT_DATE = [
  "hrtime",
  "nextTick",
  "performance",
  "queueMicrotask",
  "requestAnimationFrame",
  "cancelAnimationFrame",
  "requestIdleCallback",
  "cancelIdleCallback",
  "setImmediate",
  "clearImmediate",
  "setInterval",
  "clearInterval",
  "setTimeout",
  "clearTimeout",
];

/**
 * `jest.useFakeTimers({ doNotFake: everything but Date })` + `jest.setSystemTime`: `Date` reports
 * the virtual time and stands still between clock moves, while timers, I/O and microtasks stay real.
 * @example WorkflowRunner.start({ systemTime: jestSystemTime(jest) })
 */
export function jestSystemTime(jestApi: JestTimersApi): SystemTime {
  return {
    install(nowMs) {
      jestApi.useFakeTimers({ doNotFake: EVERYTHING_BUT_DATE, now: nowMs });
    },
    set(nowMs) {
      jestApi.setSystemTime(nowMs);
    },
    uninstall() {
      jestApi.useRealTimers();
    },
  };
}

/**
 * Outside jest: replaces `globalThis.Date` with a subclass whose `now()` and argument-less
 * constructor read the virtual time (everything else is the real `Date`). Restored by `uninstall`.
 */
export function patchedDateSystemTime(): SystemTime {
  const RealDate = globalThis.Date;
  let current = RealDate.now();
  class VirtualDate extends RealDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(current);
      else super(...(args as [string | number | Date]));
    }
    static override now(): number {
      return current;
    }
  }
  return {
    install(nowMs) {
      current = nowMs;
      globalThis.Date = VirtualDate as DateConstructor;
    },
    set(nowMs) {
      current = nowMs;
    },
    uninstall() {
      globalThis.Date = RealDate;
    },
  };
}

/** The activity (Lambda invocation) the current async context belongs to. */
export const activityScope = new AsyncLocalStorage<Activity>();

interface Timer {
  readonly id: number;
  readonly at: number;
  readonly seq: number;
  readonly label: string;
  readonly background: boolean;
  readonly fn: () => unknown;
}

/** A min-heap of timers by due time, then creation order; cancelled timers are dropped lazily. */
class TimerQueue {
  private readonly heap: Timer[] = [];
  /** Pending timers: id → background. */
  private readonly live = new Map<number, boolean>();
  private liveForeground = 0;

  get size(): number {
    return this.live.size;
  }
  get foreground(): number {
    return this.liveForeground;
  }
  push(timer: Timer): void {
    this.heap.push(timer);
    this.live.set(timer.id, timer.background);
    if (!timer.background) this.liveForeground++;
    let i = this.heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(this.heap[i]!, this.heap[parent]!)) break;
      [this.heap[i], this.heap[parent]] = [this.heap[parent]!, this.heap[i]!];
      i = parent;
    }
  }
  /** Forgets a pending timer; a timer that already fired or was cancelled is ignored. */
  cancel(id: number): void {
    const background = this.live.get(id);
    if (background === undefined) return;
    this.live.delete(id);
    if (!background) this.liveForeground--;
  }
  peek(): Timer | undefined {
    this.dropCancelled();
    return this.heap[0];
  }
  pop(): Timer | undefined {
    this.dropCancelled();
    const top = this.heap[0];
    if (top === undefined) return undefined;
    this.removeTop();
    this.cancel(top.id);
    return top;
  }
  list(): Timer[] {
    return this.heap.filter((t) => this.live.has(t.id)).sort((a, b) => (this.before(a, b) ? -1 : 1));
  }
  private dropCancelled(): void {
    while (this.heap.length > 0 && !this.live.has(this.heap[0]!.id)) this.removeTop();
  }
  private removeTop(): void {
    const last = this.heap.pop()!;
    if (this.heap.length === 0) return;
    this.heap[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < this.heap.length && this.before(this.heap[l]!, this.heap[m]!)) m = l;
      if (r < this.heap.length && this.before(this.heap[r]!, this.heap[m]!)) m = r;
      if (m === i) break;
      [this.heap[i], this.heap[m]] = [this.heap[m]!, this.heap[i]!];
      i = m;
    }
  }
  private before(a: Timer, b: Timer): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }
}

/** Thrown by `settle`/`runUntil` when virtual time runs out before the condition holds. */
export class SettleTimeoutError extends Error {
  override readonly name = "SettleTimeoutError";
}

/**
 * Discrete-event time. `advance`, `runUntil` and `settle` repeatedly wait until every activity is
 * idle, then jump to the earliest timer, set the system time to it, and fire it.
 */
export class VirtualClock implements Clock {
  readonly kind = "virtual" as const;
  private current: number;
  private seq = 0;
  private readonly timers = new TimerQueue();
  private readonly activities = new Set<Activity>();
  private readonly errors: unknown[] = [];
  private wake: (() => void) | undefined;
  /** Timers fired so far (a cheap progress measure for diagnostics). */
  fired = 0;

  constructor(
    startMs: number,
    private readonly systemTime?: SystemTime,
  ) {
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  schedule(delayMs: number, fn: () => unknown, options: TimerOptions = {}): TimerHandle {
    const timer: Timer = {
      id: ++this.seq,
      seq: this.seq,
      // Whole milliseconds, like Date (jittered waits are fractional).
      at: this.current + Math.max(0, Math.round(delayMs)),
      label: options.label ?? "timer",
      background: options.background ?? false,
      fn,
    };
    this.timers.push(timer);
    this.notify();
    return { id: timer.id, at: timer.at, label: timer.label };
  }

  cancel(handle: TimerHandle | undefined): void {
    if (handle === undefined) return;
    this.timers.cancel(handle.id);
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.schedule(ms, resolve, { label: "sleep" }));
  }

  begin(label: string): Activity {
    const activity = new Activity(label, () => {
      if (activity.ended) this.activities.delete(activity);
      this.notify();
    });
    this.activities.add(activity);
    return activity;
  }

  async track<T>(label: string, work: () => Promise<T>): Promise<T> {
    const activity = this.begin(label);
    try {
      return await work();
    } finally {
      activity.end();
    }
  }

  /** Pending timers, earliest first (diagnostics). */
  pending(): TimerHandle[] {
    return this.timers.list().map((t) => ({ id: t.id, at: t.at, label: t.label }));
  }

  /** Moves time forward by `ms`, firing every timer due on the way. */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    await this.run(() => false, target);
    this.setTime(Math.max(this.current, target));
    await this.idle();
    this.throwErrors();
  }

  /**
   * Fires timers in order until `done()` holds at an idle moment. Throws SettleTimeoutError when the
   * next timer is more than `limitMs` of virtual time away from the start, or none is left.
   */
  async runUntil(done: () => boolean, limitMs: number, describe: () => string = () => ""): Promise<void> {
    const deadline = this.current + limitMs;
    const reached = await this.run(done, deadline);
    this.throwErrors();
    if (!reached) {
      const next = this.timers.peek();
      throw new SettleTimeoutError(
        `${next ? `nothing settled within ${limitMs} ms of virtual time` : "no timer left to fire and the condition does not hold"}` +
          ` (virtual now ${new Date(this.current).toISOString()}). ${describe()}`,
      );
    }
  }

  /** True when nothing but background timers is pending and no activity runs. */
  get quiet(): boolean {
    return this.timers.foreground === 0 && this.busyCount() === 0;
  }

  private async run(done: () => boolean, deadline: number): Promise<boolean> {
    for (;;) {
      await this.idle();
      this.throwErrors();
      if (done()) return true;
      const next = this.timers.peek();
      if (next === undefined || next.at > deadline) return false;
      this.setTime(next.at);
      // Everything due at this instant fires before the next idle wait (a burst of 1,000 starts is
      // one step, not 1,000).
      while (this.timers.peek()?.at === next.at) {
        const timer = this.timers.pop()!;
        this.fired++;
        this.fire(timer);
      }
    }
  }

  private fire(timer: Timer): void {
    try {
      const result = timer.fn();
      if (result instanceof Promise) {
        const activity = this.begin(`timer ${timer.label}`);
        result.then(
          () => activity.end(),
          (error: unknown) => {
            this.errors.push(error);
            activity.end();
          },
        );
      }
    } catch (error) {
      this.errors.push(error);
    }
  }

  private setTime(ms: number): void {
    if (ms === this.current) return;
    this.current = ms;
    this.systemTime?.set(ms);
  }

  private busyCount(): number {
    let busy = 0;
    for (const activity of this.activities) if (activity.busy) busy++;
    return busy;
  }

  /**
   * Resolves once no activity is busy across two macrotask turns (microtask chains and I/O callbacks
   * that start new work get their chance to register it first).
   */
  private async idle(): Promise<void> {
    for (;;) {
      while (this.busyCount() > 0) {
        await new Promise<void>((resolve) => {
          this.wake = resolve;
          // A safety net, not the mechanism: activities notify on every change.
          realSetTimeout(resolve, 50).unref();
        });
        this.wake = undefined;
      }
      await new Promise<void>((resolve) => realSetImmediate(resolve));
      await new Promise<void>((resolve) => realSetImmediate(resolve));
      if (this.busyCount() === 0) return;
    }
  }

  private notify(): void {
    this.wake?.();
  }

  private throwErrors(): void {
    if (this.errors.length === 0) return;
    const [first, ...rest] = this.errors.splice(0);
    if (rest.length > 0 && first instanceof Error) {
      first.message += ` (and ${rest.length} more error(s) in clock callbacks: ${rest.map(String).join("; ")})`;
    }
    throw first;
  }
}

/**
 * Wall-clock time for a local mode. `timeScale` > 1 compresses every runner-side wait (jobs,
 * deliveries, backoffs, heartbeats) by that factor; the handlers' own `Date` stays real.
 */
export class RealClock implements Clock {
  readonly kind = "real" as const;
  private seq = 0;
  private readonly handles = new Map<number, NodeJS.Timeout>();
  private readonly errors: unknown[] = [];
  constructor(private readonly timeScale = 1) {}
  now(): number {
    return Date.now();
  }
  schedule(delayMs: number, fn: () => unknown, options: TimerOptions = {}): TimerHandle {
    const id = ++this.seq;
    const timeout = realSetTimeout(
      () => {
        this.handles.delete(id);
        try {
          const result = fn();
          if (result instanceof Promise) result.catch((error: unknown) => this.errors.push(error));
        } catch (error) {
          this.errors.push(error);
        }
      },
      Math.max(0, options.scaled === false ? delayMs : delayMs / this.timeScale),
    );
    if (options.background) timeout.unref();
    this.handles.set(id, timeout);
    return { id, at: Date.now() + delayMs, label: options.label ?? "timer" };
  }
  cancel(handle: TimerHandle | undefined): void {
    if (handle === undefined) return;
    clearTimeout(this.handles.get(handle.id));
    this.handles.delete(handle.id);
  }
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.schedule(ms, resolve));
  }
  begin(label: string): Activity {
    return new Activity(label, () => undefined);
  }
  track<T>(_label: string, work: () => Promise<T>): Promise<T> {
    return work();
  }
  /** Errors thrown by timer callbacks so far (the runner rethrows them). */
  takeErrors(): unknown[] {
    return this.errors.splice(0);
  }
}

interface VirtualTimeout {
  readonly virtual: TimerHandle;
  readonly activity: Activity;
  fired: boolean;
  ref(): VirtualTimeout;
  unref(): VirtualTimeout;
  hasRef(): boolean;
  refresh(): VirtualTimeout;
  [Symbol.toPrimitive](): number;
}

/** Real timers this long (the engine's Task timeout guard) are unref'd. */
export const UNREF_AT_OR_ABOVE_MS = 1_000_000_000;

/**
 * Lets handler code sleep on the virtual clock: while installed, a `setTimeout` called from inside a
 * Lambda invocation (see {@link activityScope}) with no SDK call of that invocation in flight is
 * scheduled on `clock`, and the invocation counts as idle until it fires. Timers created by SDK
 * internals during a call (socket deferrals, retry backoffs) stay real. Returns the uninstaller.
 *
 * Why: register-asset polls MediaPackage with `setTimeout` and stops when
 * `context.getRemainingTimeInMillis()` runs low; on a clock that never moved, it would poll forever.
 */
export function interceptHandlerTimers(clock: VirtualClock): () => void {
  const g = globalThis as unknown as {
    setTimeout: (fn: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => unknown;
    clearTimeout: (handle: unknown) => void;
  };
  const originalSetTimeout = g.setTimeout;
  const originalClearTimeout = g.clearTimeout;
  g.setTimeout = function patchedSetTimeout(fn, ms, ...args) {
    const activity = activityScope.getStore();
    const delay = Number(ms ?? 0);
    if (activity === undefined || activity.ended || activity.inFlight > 0 || !(delay >= 1)) {
      const timeout = originalSetTimeout(fn, ms, ...args) as { unref?: () => void };
      // aws-local-stepfunctions' per-Task timer carries the runner's guard (workflow.ts): never a
      // reason for the process to stay alive.
      if (delay >= UNREF_AT_OR_ABOVE_MS) timeout.unref?.();
      return timeout;
    }
    activity.sleeping++;
    activity.changed();
    const handle: VirtualTimeout = {
      fired: false,
      activity,
      virtual: clock.schedule(
        delay,
        () => {
          handle.fired = true;
          activity.sleeping--;
          activity.changed();
          fn(...args);
        },
        { label: `handler sleep (${activity.label})` },
      ),
      ref: () => handle,
      unref: () => handle,
      hasRef: () => true,
      refresh: () => handle,
      [Symbol.toPrimitive]: () => handle.virtual.id,
    };
    return handle;
  };
  g.clearTimeout = function patchedClearTimeout(handle) {
    if (typeof handle === "object" && handle !== null && "virtual" in handle) {
      const timeout = handle as VirtualTimeout;
      if (!timeout.fired) {
        timeout.fired = true;
        clock.cancel(timeout.virtual);
        timeout.activity.sleeping--;
        timeout.activity.changed();
      }
      return;
    }
    originalClearTimeout(handle);
  };
  return () => {
    g.setTimeout = originalSetTimeout;
    g.clearTimeout = originalClearTimeout;
  };
}
