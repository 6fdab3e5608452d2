import { viaJson, type Random } from "./aws";
import type { Clock } from "./clock";
import type { EventBridgeEvent } from "./events";

/**
 * EventBridge for the runner: rules with event patterns, delivery after a latency, and controls a
 * scenario uses to lose, delay or duplicate events (EventBridge delivers at least once, usually in
 * order, and a service's events are "best effort").
 */

/** An EventBridge event pattern (the subset of the pattern language the stack uses, and a little more). */
export type EventPattern = {
  readonly [field: string]: EventPattern | readonly PatternValue[] | readonly EventPattern[];
};
export type PatternValue =
  | string
  | number
  | boolean
  | null
  | { readonly prefix: string }
  | { readonly suffix: string }
  | { readonly wildcard: string }
  | { readonly exists: boolean }
  | { readonly "anything-but": string | number | readonly (string | number)[] }
  | { readonly numeric: readonly (string | number)[] };

/**
 * Does `event` match `pattern`? https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html
 * @example matchesPattern({ source: ["aws.s3"] }, { source: "aws.s3" }) === true
 */
export function matchesPattern(pattern: EventPattern, event: unknown): boolean {
  return Object.entries(pattern).every(([field, expected]) => {
    // `$or`: any of the alternatives, each matched at this level.
    if (field === "$or")
      return (expected as unknown as EventPattern[]).some((alternative) =>
        matchesPattern(alternative, event),
      );
    const value = isObject(event) ? event[field] : undefined;
    if (Array.isArray(expected)) return matchesValues(expected as readonly PatternValue[], value);
    return isObject(value) && matchesPattern(expected as EventPattern, value);
  });
}

function matchesValues(expected: readonly PatternValue[], value: unknown): boolean {
  const candidates = Array.isArray(value) ? value : [value];
  return expected.some((rule) => {
    if (isObject(rule) && "exists" in rule) return rule.exists === (value !== undefined);
    return candidates.some((candidate) => value !== undefined && matchesOne(rule, candidate));
  });
}

function matchesOne(rule: PatternValue, value: unknown): boolean {
  if (rule === null || typeof rule !== "object") return rule === value;
  if ("prefix" in rule) return typeof value === "string" && value.startsWith(rule.prefix);
  if ("suffix" in rule) return typeof value === "string" && value.endsWith(rule.suffix);
  if ("wildcard" in rule) {
    const regex = new RegExp(`^${rule.wildcard.split("*").map(escapeRegExp).join(".*")}$`, "s");
    return typeof value === "string" && regex.test(value);
  }
  if ("anything-but" in rule) {
    const excluded = ([] as (string | number)[]).concat(
      rule["anything-but"] as string | number | (string | number)[],
    );
    return !excluded.includes(value as string | number);
  }
  if ("numeric" in rule) {
    if (typeof value !== "number") return false;
    const ops = rule.numeric;
    for (let i = 0; i + 1 < ops.length; i += 2) {
      const op = ops[i];
      const operand = Number(ops[i + 1]);
      const ok =
        op === "="
          ? value === operand
          : op === ">"
            ? value > operand
            : op === ">="
              ? value >= operand
              : op === "<"
                ? value < operand
                : op === "<="
                  ? value <= operand
                  : false;
      if (!ok) return false;
    }
    return true;
  }
  return false;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

export interface Rule {
  readonly name: string;
  readonly pattern: EventPattern;
  /** The rule's target; a rejection means the target did not accept the event (EventBridge retries). */
  readonly deliver: (event: EventBridgeEvent) => Promise<void> | void;
}

export interface DeliveryRecord {
  readonly rule: string;
  readonly event: EventBridgeEvent;
  readonly at: number;
}

type EventPredicate = (event: EventBridgeEvent) => boolean;

interface Interference {
  readonly predicate: EventPredicate;
  remaining: number;
  readonly action: "lose" | "duplicate" | { readonly delayMs: number };
  /** Applies to this share of the matching events, drawn from the runner's seeded random (default: all). */
  readonly share?: number;
}

export interface EventBusOptions {
  /** Put-to-target latency, ms (default 500). */
  readonly latencyMs?: number;
}

/**
 * The default event bus. Fakes `put` events; rules whose pattern matches get them after the latency,
 * unless a scenario said to lose them. Nothing is delivered synchronously.
 */
export class EventBus {
  private readonly rules: Rule[] = [];
  private readonly interference: Interference[] = [];
  /** Every event put on the bus. */
  readonly published: EventBridgeEvent[] = [];
  readonly delivered: DeliveryRecord[] = [];
  /** Events a scenario made disappear (per matching rule). */
  readonly lost: DeliveryRecord[] = [];
  private readonly latencyMs: number;

  constructor(
    private readonly clock: Clock,
    private readonly random: Random,
    options: EventBusOptions = {},
  ) {
    this.latencyMs = options.latencyMs ?? 500;
  }

  addRule(rule: Rule): void {
    this.rules.push(rule);
  }

  /** The next `count` matching events never reach any rule's target (count: Infinity for all). */
  lose(predicate: EventPredicate, count = 1): void {
    this.interference.push({ predicate, remaining: count, action: "lose" });
  }

  /** The next `count` matching events are delivered twice (at-least-once delivery). */
  duplicate(predicate: EventPredicate, count = 1): void {
    this.interference.push({ predicate, remaining: count, action: "duplicate" });
  }

  /**
   * From now on, each matching event is lost (`lose`) or delivered twice (`duplicate`) with probability
   * `share`: the steady background faults of a bench's fault profile.
   */
  interfereWithShare(predicate: EventPredicate, action: "lose" | "duplicate", share: number): void {
    if (!(share >= 0 && share <= 1)) throw new Error(`share must be within 0..1, got ${share}`);
    this.interference.push({ predicate, remaining: Infinity, action, share });
  }

  /** The next `count` matching events arrive `delayMs` late (after later events, possibly). */
  delay(predicate: EventPredicate, delayMs: number, count = 1): void {
    this.interference.push({ predicate, remaining: count, action: { delayMs } });
  }

  put(event: EventBridgeEvent): void {
    this.published.push(event);
    const action = this.interferenceFor(event);
    for (const rule of this.rules) {
      if (!matchesPattern(rule.pattern, event)) continue;
      if (action === "lose") {
        this.lost.push({ rule: rule.name, event, at: this.clock.now() });
        continue;
      }
      const delay = this.latencyMs + (typeof action === "object" ? action.delayMs : 0);
      const copies = action === "duplicate" ? 2 : 1;
      for (let i = 0; i < copies; i++) this.schedule(rule, event, delay + i * this.latencyMs);
    }
  }

  private schedule(rule: Rule, event: EventBridgeEvent, delayMs: number): void {
    this.clock.schedule(
      delayMs,
      async () => {
        this.delivered.push({ rule: rule.name, event, at: this.clock.now() });
        await rule.deliver(viaJson(event));
      },
      { label: `deliver ${event["detail-type"]} to ${rule.name}` },
    );
  }

  private interferenceFor(event: EventBridgeEvent): Interference["action"] | undefined {
    const match = this.interference.find(
      (i) => i.remaining > 0 && i.predicate(event) && (i.share === undefined || this.random.next() < i.share),
    );
    if (!match) return undefined;
    match.remaining--;
    return match.action;
  }

  clear(): void {
    this.interference.length = 0;
    this.published.length = 0;
    this.delivered.length = 0;
    this.lost.length = 0;
  }
}
