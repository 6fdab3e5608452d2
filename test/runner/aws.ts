/**
 * The fake account the runner simulates, ids shaped like the real services' ids, and a seeded random
 * source so a run (jitter, ids, tokens) is reproducible.
 */

export const REGION = "us-east-1";
export const ACCOUNT = "123456789012";
export const PARTITION = "aws";

/** A small seeded PRNG (sfc32); `Random.next()` is uniform in [0, 1). */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  constructor(seed: number) {
    this.a = 0x9e3779b9 ^ seed;
    this.b = 0x243f6a88 + seed;
    this.c = 0xb7e15162 ^ (seed << 7);
    this.d = 0x12345678 + (seed >>> 3);
    for (let i = 0; i < 16; i++) this.next();
  }
  next(): number {
    this.a >>>= 0;
    this.b >>>= 0;
    this.c >>>= 0;
    this.d >>>= 0;
    let t = (this.a + this.b) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.d = (this.d + 1) | 0;
    t = (t + this.d) | 0;
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }
  int(maxExclusive: number): number {
    return Math.floor(this.next() * maxExclusive);
  }
  chars(alphabet: string, length: number): string {
    let out = "";
    for (let i = 0; i < length; i++) out += alphabet[this.int(alphabet.length)];
    return out;
  }
  hex(length: number): string {
    return this.chars("0123456789abcdef", length);
  }
  uuid(): string {
    const h = this.hex(32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }
}

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** S3 version ids: 32 URL-safe characters, e.g. `3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY`. */
export function s3VersionId(random: Random): string {
  return random.chars(`${ALNUM}._`, 32);
}

/** MediaConvert job ids: `<epoch ms>-<6 lower-case alphanumerics>`, e.g. `1671476818694-phptj0`. */
export function mediaConvertJobId(random: Random, nowMs: number): string {
  return `${nowMs}-${random.chars("abcdefghijklmnopqrstuvwxyz0123456789", 6)}`;
}

/** Lambda request ids and EventBridge event ids are UUIDs. */
export function requestId(random: Random): string {
  return random.uuid();
}

export function lambdaArn(functionName: string): string {
  return `arn:${PARTITION}:lambda:${REGION}:${ACCOUNT}:function:${functionName}`;
}

export function stateMachineArn(name: string): string {
  return `arn:${PARTITION}:states:${REGION}:${ACCOUNT}:stateMachine:${name}`;
}

export function executionArn(stateMachineName: string, executionName: string): string {
  return `arn:${PARTITION}:states:${REGION}:${ACCOUNT}:execution:${stateMachineName}:${executionName}`;
}

/** The ARN of a queue the runner names by URL. */
export function sqsQueueArn(queueUrl: string): string {
  return `arn:${PARTITION}:sqs:${REGION}:${ACCOUNT}:${queueUrl.split("/").pop()}`;
}

export function sqsQueueUrl(name: string): string {
  return `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/${name}`;
}

/** A function name from a `FunctionName` parameter: a name, a full or partial ARN, with or without a qualifier. */
export function functionNameOf(functionNameOrArn: string): string {
  const parts = functionNameOrArn.split(":");
  if (parts[0] === "arn") return parts[6] ?? functionNameOrArn;
  if (parts.length >= 3 && /^\d{12}$/.test(parts[0] ?? "")) return parts[2] ?? functionNameOrArn;
  return parts[0] ?? functionNameOrArn;
}

/**
 * A deep copy made of this realm's objects. (Not `structuredClone`: under jest it returns objects of
 * the outer realm, which aws-local-stepfunctions' plain-object checks do not recognise.)
 */
export function copyWithDates<T>(value: T): T {
  if (value instanceof Date) return new Date(value.getTime()) as T;
  if (Array.isArray(value)) return value.map(copyWithDates) as T;
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, copyWithDates(v)])) as T;
  }
  return value;
}

/** Deep copy through JSON, as a payload crossing a service boundary is. */
export function viaJson<T>(value: T): T {
  return value === undefined ? (null as T) : (JSON.parse(JSON.stringify(value)) as T);
}
