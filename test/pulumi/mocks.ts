/**
 * The shared Pulumi mock harness for infra tests (pulumi-awsx style): every resource the program
 * registers is recorded with its inputs, lookups render like the real provider, and a lookup this
 * file does not implement fails the test instead of returning something plausible.
 *
 * API (keep it stable — every infra test uses it):
 *
 * - `setupPulumiMocks(options?) → PulumiMocks` installs `pulumi.runtime.setMocks` (project
 *   "vod-ingest", stack "dev", preview false) and sets stack config (see `setStackConfig`).
 *   Call it once per test file, at module scope or in a `describe` body — not inside a hook or a
 *   test: it registers an `afterEach`, which jest only accepts while it collects tests.
 * - `PulumiMocks`
 *   - `resources` — every `newResource` call: `{ type, name, inputs, custom, id, state }`, in the
 *     order registrations completed (inputs resolve asynchronously: sort before comparing lists).
 *     Component resources are recorded too (`custom: false`), so tests can assert parentage by type.
 *   - `calls` — every `call` (invoke): `{ token, inputs }`.
 *   - `resourcesOfType(type)` — e.g. `"aws:s3/bucket:Bucket"`; `[]` when none.
 *   - `resourceNamed(name, type?)` — the one resource with that logical name; throws when there are
 *     none or several (listing what there is).
 *   - `settle()` — waits until every pending registration and invoke has finished; rejects with
 *     `unmocked call: <token>` when the program called a lookup this harness does not implement.
 *     Await it after constructing components and before asserting.
 *   - `reset()` — forgets what was recorded (use in `beforeEach` when a file builds several stacks).
 *   An `afterEach` hook installed by `setupPulumiMocks` also fails a test that made an unmocked
 *   lookup without calling `settle()` (jest reports the rejected Output promises as well).
 * - `setStackConfig(values)` — replaces the stack's config, as `pulumi up` would see it from
 *   Pulumi.<stack>.yaml. Keys without a namespace get `vod-ingest:`; non-string values are sent as
 *   JSON (as the CLI does for lists and objects); `aws:region` defaults to `us-east-1`.
 *   `loadConfig()` reads it on its next call.
 * - `outputOf(output)` — the value of a `pulumi.Output` (or plain input) as a promise; rejects when
 *   the output does.
 * - `policyOf(resource, key = "policy")` — `JSON.parse` of a resource's policy-document input.
 * - `renderPolicyDocument(args)` — the `aws:iam/getPolicyDocument` renderer (pure; tested alone).
 * - `fakeResourceState(type, name, inputs)` — the id and outputs the harness returns for a resource.
 * - Constants `ACCOUNT_ID` (123456789012), `REGION` (us-east-1), `PARTITION` (aws).
 * - `testKeyPair()` — the RSA 2048 key pair every `tls.PrivateKey` gets under these mocks.
 *
 * Physical names: a resource gets the name its inputs give (`name`, `bucket`, …) or else its
 * logical name, without the random suffix Pulumi's auto-naming adds, so ARNs are predictable:
 * `new aws.sqs.Queue("vod-dlq")` → `arn:aws:sqs:us-east-1:123456789012:vod-dlq`.
 *
 * Module isolation: mocks live in Pulumi's global store, so a component imported statically works.
 * A module that creates resources when imported (infra/index.ts) must be imported after
 * `setupPulumiMocks()`: `const stack = await import("../../infra/index")`.
 *
 * @example
 * const mocks = setupPulumiMocks();
 * it("encrypts the queue", async () => {
 *   deadLetterQueue("vod-dlq", { retentionDays: 14 });
 *   await mocks.settle();
 *   expect(mocks.resourceNamed("vod-dlq").inputs.sqsManagedSseEnabled).toBe(true);
 * });
 */
import { generateKeyPairSync } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";

export const ACCOUNT_ID = "123456789012";
export const REGION = "us-east-1";
export const PARTITION = "aws";
export const PROJECT = "vod-ingest";
export const STACK = "dev";

/** Resource inputs as the engine receives them: arbitrary provider-shaped JSON. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- provider schemas are not typed here
export type Inputs = Record<string, any>;

export interface RecordedResource {
  /** Type token, e.g. `aws:sqs/queue:Queue` or `vod:storage:Storage`. */
  readonly type: string;
  /** Logical name. */
  readonly name: string;
  readonly inputs: Inputs;
  /** false for component resources. */
  readonly custom: boolean;
  /** The physical id the harness returned (undefined for components). */
  readonly id: string | undefined;
  /** The outputs the harness returned (inputs plus computed ids and ARNs). */
  readonly state: Inputs;
}

export interface RecordedCall {
  readonly token: string;
  readonly inputs: Inputs;
}

export interface PulumiMocks {
  readonly resources: readonly RecordedResource[];
  readonly calls: readonly RecordedCall[];
  resourcesOfType(type: string): RecordedResource[];
  resourceNamed(name: string, type?: string): RecordedResource;
  settle(): Promise<void>;
  reset(): void;
}

export interface SetupOptions {
  /** Stack config for the file (see `setStackConfig`); default: none besides `aws:region`. */
  readonly config?: Record<string, unknown>;
}

/** Installs the mocks for this test file and returns the recorder. */
export function setupPulumiMocks(options: SetupOptions = {}): PulumiMocks {
  const resources: RecordedResource[] = [];
  const calls: RecordedCall[] = [];
  const errors: Error[] = [];
  // The SDK turns a failed invoke into an error without the mock's message and into rejected
  // Output promises; recording the message here lets settle() and afterEach name the lookup.
  const fail = (reason: unknown) => {
    const error = reason instanceof Error ? reason : new Error(String(reason));
    if (!errors.some((e) => e.message === error.message)) errors.push(error);
  };
  if (typeof afterEach === "function") {
    afterEach(async () => {
      await waitForRegistrations();
      const pending = errors.splice(0);
      if (pending.length > 0) throw new Error(pending.map((e) => e.message).join("; "));
    });
  }

  setStackConfig(options.config ?? {});
  void pulumi.runtime.setMocks(
    {
      newResource(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
        // Secrets arrive wrapped; tests assert the plain values (the returned state stays wrapped).
        const inputs = unwrapSecrets(args.inputs ?? {}) as Inputs;
        const { id, state } = args.custom
          ? fakeResourceState(args.type, args.name, inputs)
          : { id: undefined, state: inputs };
        resources.push({ type: args.type, name: args.name, inputs, custom: args.custom ?? false, id, state });
        return { id, state: { ...state, ...(args.inputs ?? {}) } };
      },
      call(args: pulumi.runtime.MockCallArgs): pulumi.runtime.MockCallResult {
        const inputs: Inputs = args.inputs ?? {};
        calls.push({ token: args.token, inputs });
        try {
          return fakeCall(args.token, inputs);
        } catch (error) {
          // The SDK rethrows a failed invoke as `new Error(err.details)`: keep the message.
          Object.assign(error as Error, { details: (error as Error).message });
          fail(error);
          throw error;
        }
      },
    },
    PROJECT,
    STACK,
    false,
  );

  return {
    resources,
    calls,
    resourcesOfType: (type) => resources.filter((r) => r.type === type),
    resourceNamed(name, type) {
      const found = resources.filter((r) => r.name === name && (type === undefined || r.type === type));
      if (found.length !== 1) {
        const known = resources.map((r) => `${r.name} (${r.type})`).join(", ");
        throw new Error(`expected one resource named "${name}", found ${found.length}; recorded: ${known}`);
      }
      return found[0]!;
    },
    async settle() {
      await waitForRegistrations();
      const pending = errors.splice(0);
      if (pending.length > 0) throw new Error(pending.map((e) => e.message).join("; "));
    },
    reset() {
      resources.length = 0;
      calls.length = 0;
      errors.length = 0;
    },
  };
}

/**
 * Replaces the stack configuration, the way the CLI passes Pulumi.<stack>.yaml to the program:
 * strings as they are, lists/objects/numbers/booleans as JSON text.
 * @example setStackConfig({ ladderTopRung: 720, acceptedExtensions: ["mp4"] })
 */
export function setStackConfig(values: Record<string, unknown>): void {
  const config: Record<string, string> = { "aws:region": REGION };
  for (const [key, value] of Object.entries(values)) {
    const fullKey = key.includes(":") ? key : `${PROJECT}:${key}`;
    config[fullKey] = typeof value === "string" ? value : JSON.stringify(value);
  }
  pulumi.runtime.setAllConfig(config);
}

/** The value of an output as a promise (rejects when the output does). */
export function outputOf<T>(value: pulumi.Input<T>): Promise<T> {
  // Output.promise() is how the SDK itself awaits an output; unlike `apply(resolve)` it
  // propagates failures instead of hanging the test until it times out.
  const output = pulumi.output(value) as unknown as { promise(): Promise<T> };
  return output.promise();
}

/** The parsed policy document a resource was given (a JSON string input such as `policy`). */
export function policyOf(resource: RecordedResource, key = "policy"): PolicyDocument {
  const text: unknown = resource.inputs[key];
  if (typeof text !== "string") {
    throw new Error(`${resource.name} has no JSON string input "${key}" (got ${JSON.stringify(text)})`);
  }
  return JSON.parse(text) as PolicyDocument;
}

// ---------------------------------------------------------------------------------------------
// Lookups (the `call` mock)

const POLICY_DOCUMENT = "aws:iam/getPolicyDocument:getPolicyDocument";
const CALLER_IDENTITY = "aws:index/getCallerIdentity:getCallerIdentity";
const REGION_LOOKUP = "aws:index/getRegion:getRegion";
const PARTITION_LOOKUP = "aws:index/getPartition:getPartition";

function fakeCall(token: string, inputs: Inputs): Inputs {
  switch (token) {
    case POLICY_DOCUMENT: {
      const json = renderPolicyDocument(inputs as PolicyDocumentArgs);
      return { ...inputs, id: String(hash(json)), json, minifiedJson: JSON.stringify(JSON.parse(json)) };
    }
    case CALLER_IDENTITY:
      return {
        accountId: ACCOUNT_ID,
        arn: `arn:${PARTITION}:iam::${ACCOUNT_ID}:user/pulumi-test`,
        id: ACCOUNT_ID,
        userId: "AIDAEXAMPLEUSERID",
      };
    case REGION_LOOKUP: {
      const region = typeof inputs.region === "string" ? inputs.region : REGION;
      return {
        description: "US East (N. Virginia)",
        endpoint: `ec2.${region}.amazonaws.com`,
        id: region,
        name: region,
        region,
      };
    }
    case PARTITION_LOOKUP:
      return {
        dnsSuffix: "amazonaws.com",
        id: PARTITION,
        partition: PARTITION,
        reverseDnsPrefix: "com.amazonaws",
      };
    default:
      throw new Error(`unmocked call: ${token}`);
  }
}

// ---------------------------------------------------------------------------------------------
// IAM policy documents, rendered as the provider's aws_iam_policy_document data source does
// (terraform-provider-aws internal/service/iam/policy_document_data_source.go + policy_model.go):
// - Version defaults to 2012-10-17; `policyId` becomes Id; Effect defaults to Allow.
// - actions, resources, principal identifiers are sets: a single item renders as a string,
//   several as an array sorted in reverse order.
// - Principal `{ type: "*", identifiers: ["*"] }` alone renders as "*"; otherwise `{ Type: ids }`.
// - Conditions group by operator then key; values keep their order, a single value is a string.
// - sourcePolicyDocuments are merged first, overridePolicyDocuments last (same Sid replaces).

export interface PolicyDocumentArgs {
  readonly version?: string;
  readonly policyId?: string;
  readonly statements?: readonly StatementArgs[];
  readonly sourcePolicyDocuments?: readonly string[];
  readonly overridePolicyDocuments?: readonly string[];
}

export interface StatementArgs {
  readonly sid?: string;
  readonly effect?: string;
  readonly actions?: readonly string[];
  readonly notActions?: readonly string[];
  readonly resources?: readonly string[];
  readonly notResources?: readonly string[];
  readonly principals?: readonly { readonly type: string; readonly identifiers: readonly string[] }[];
  readonly notPrincipals?: readonly { readonly type: string; readonly identifiers: readonly string[] }[];
  readonly conditions?: readonly {
    readonly test: string;
    readonly variable: string;
    readonly values: readonly string[];
  }[];
}

/** One statement of a rendered policy, as IAM stores it. */
export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: "Allow" | "Deny";
  readonly Action?: string | string[];
  readonly NotAction?: string | string[];
  readonly Resource?: string | string[];
  readonly NotResource?: string | string[];
  readonly Principal?: "*" | Record<string, string | string[]>;
  readonly NotPrincipal?: "*" | Record<string, string | string[]>;
  readonly Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
  readonly Version: string;
  readonly Id?: string;
  readonly Statement: PolicyStatement[];
}

/** Renders `aws.iam.getPolicyDocument` arguments to the JSON the provider returns. */
export function renderPolicyDocument(args: PolicyDocumentArgs): string {
  let statements: PolicyStatement[] = [];
  let version = "";
  let id: string | undefined;
  const merge = (doc: { Version?: string; Id?: string; Statement?: PolicyStatement[] }) => {
    if (doc.Id) id = doc.Id;
    if (doc.Version && doc.Version > version) version = doc.Version;
    for (const statement of doc.Statement ?? []) {
      const at = statement.Sid ? statements.findIndex((s) => s.Sid === statement.Sid) : -1;
      if (at >= 0) statements[at] = statement;
      else statements = [...statements, statement];
    }
  };

  for (const source of args.sourcePolicyDocuments ?? []) merge(JSON.parse(source) as PolicyDocument);
  const sids = new Set<string>();
  merge({
    Version: args.version ?? "2012-10-17",
    Id: args.policyId,
    Statement: (args.statements ?? []).map((s) => {
      if (s.sid) {
        if (sids.has(s.sid))
          throw new Error(`duplicate Sid (${s.sid}). Remove the Sid or ensure the Sid is unique`);
        sids.add(s.sid);
      }
      return renderStatement(s);
    }),
  });
  for (const override of args.overridePolicyDocuments ?? []) merge(JSON.parse(override) as PolicyDocument);

  const doc: Inputs = { Version: version };
  if (id) doc.Id = id;
  doc.Statement = statements;
  return JSON.stringify(doc, null, 2);
}

function renderStatement(s: StatementArgs): PolicyStatement {
  const effect = s.effect ?? "Allow";
  if (effect !== "Allow" && effect !== "Deny")
    throw new Error(`expected effect Allow or Deny, got "${effect}"`);
  const out: Inputs = {};
  if (s.sid) out.Sid = s.sid;
  out.Effect = effect;
  setList(out, "Action", s.actions);
  setList(out, "NotAction", s.notActions);
  setList(out, "Resource", s.resources);
  setList(out, "NotResource", s.notResources);
  if (s.principals?.length) out.Principal = renderPrincipals(s.principals);
  if (s.notPrincipals?.length) out.NotPrincipal = renderPrincipals(s.notPrincipals);
  if (s.conditions?.length) out.Condition = renderConditions(s.conditions);
  return out as PolicyStatement;
}

function setList(out: Inputs, key: string, values: readonly string[] | undefined): void {
  if (values === undefined || values.length === 0) return;
  out[key] = decodeSet(values.map(replaceVars));
}

/** A Terraform string set: one item → the string; several → reverse-sorted array. */
function decodeSet(values: readonly string[]): string | string[] {
  const unique = [...new Set(values)];
  if (unique.length === 1) return unique[0]!;
  return unique.sort().reverse();
}

/** `&{aws:username}` is how a policy variable is written in HCL; the provider turns it into `${…}`. */
function replaceVars(value: string): string {
  return value.replaceAll("&{", "${");
}

function renderPrincipals(
  principals: readonly { readonly type: string; readonly identifiers: readonly string[] }[],
): "*" | Record<string, string | string[]> {
  const only = principals.length === 1 ? principals[0] : undefined;
  if (only?.type === "*" && only.identifiers.length === 1 && only.identifiers[0] === "*") return "*";
  const raw: Record<string, string | string[]> = {};
  for (const p of principals) {
    const ids = decodeSet(p.identifiers.map(replaceVars));
    const existing = raw[p.type];
    if (existing === undefined) raw[p.type] = ids;
    else
      raw[p.type] = [
        ...(typeof existing === "string" ? [existing] : existing),
        ...(typeof ids === "string" ? [ids] : ids),
      ];
  }
  return sortKeys(raw);
}

function renderConditions(
  conditions: readonly {
    readonly test: string;
    readonly variable: string;
    readonly values: readonly string[];
  }[],
): Record<string, Record<string, string | string[]>> {
  const raw: Record<string, Record<string, string[]>> = {};
  for (const c of conditions) {
    const byKey = (raw[c.test] ??= {});
    byKey[c.variable] = [...(byKey[c.variable] ?? []), ...c.values.map(replaceVars)];
  }
  const out: Record<string, Record<string, string | string[]>> = {};
  for (const [test, byKey] of Object.entries(sortKeys(raw))) {
    out[test] = {};
    for (const [key, values] of Object.entries(sortKeys(byKey)))
      out[test][key] = values.length === 1 ? values[0]! : values;
  }
  return out;
}

/** Go's encoding/json writes map keys sorted. */
function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

// ---------------------------------------------------------------------------------------------
// Resources (the `newResource` mock): ids and outputs shaped like the real provider's.

/** The id and outputs the harness returns for a custom resource. */
export function fakeResourceState(type: string, name: string, inputs: Inputs): { id: string; state: Inputs } {
  const region = typeof inputs.region === "string" ? inputs.region : REGION;
  const arn = (service: string, resource: string, scope: "regional" | "global" = "regional") =>
    scope === "global"
      ? `arn:${PARTITION}:${service}::${ACCOUNT_ID}:${resource}`
      : `arn:${PARTITION}:${service}:${region}:${ACCOUNT_ID}:${resource}`;
  const physical = (key = "name") =>
    typeof inputs[key] === "string" && inputs[key] !== "" ? (inputs[key] as string) : name;
  const done = (id: string, outputs: Inputs) => ({ id, state: { ...inputs, ...outputs } });

  switch (type) {
    case "aws:s3/bucket:Bucket":
    case "aws:s3/bucketV2:BucketV2": {
      const bucket = physical("bucket");
      return done(bucket, {
        bucket,
        arn: `arn:${PARTITION}:s3:::${bucket}`,
        bucketDomainName: `${bucket}.s3.amazonaws.com`,
        bucketRegionalDomainName: `${bucket}.s3.${region}.amazonaws.com`,
        hostedZoneId: "Z3AQBSTGFYJSTF",
        region,
      });
    }
    case "aws:dynamodb/table:Table": {
      const table = physical();
      const tableArn = arn("dynamodb", `table/${table}`);
      return done(table, {
        name: table,
        arn: tableArn,
        ...(inputs.streamEnabled
          ? {
              streamArn: `${tableArn}/stream/2024-01-01T00:00:00.000`,
              streamLabel: "2024-01-01T00:00:00.000",
            }
          : {}),
      });
    }
    case "aws:sqs/queue:Queue": {
      const queue = typeof inputs.name === "string" ? inputs.name : inputs.fifoQueue ? `${name}.fifo` : name;
      const url = `https://sqs.${region}.amazonaws.com/${ACCOUNT_ID}/${queue}`;
      return done(url, { name: queue, url, arn: arn("sqs", queue) });
    }
    case "aws:sqs/queuePolicy:QueuePolicy":
      return done(String(inputs.queueUrl ?? name), {});
    case "aws:sns/topic:Topic": {
      const topic = typeof inputs.name === "string" ? inputs.name : inputs.fifoTopic ? `${name}.fifo` : name;
      const topicArn = arn("sns", topic);
      return done(topicArn, { name: topic, arn: topicArn, owner: ACCOUNT_ID });
    }
    case "aws:sns/topicSubscription:TopicSubscription": {
      const subscriptionArn = `${String(inputs.topic)}:${uuid(name)}`;
      return done(subscriptionArn, { arn: subscriptionArn, ownerId: ACCOUNT_ID });
    }
    case "aws:lambda/function:Function": {
      const fn = physical();
      const fnArn = arn("lambda", `function:${fn}`);
      return done(fn, {
        name: fn,
        arn: fnArn,
        qualifiedArn: `${fnArn}:$LATEST`,
        invokeArn: `arn:${PARTITION}:apigateway:${region}:lambda:path/2015-03-31/functions/${fnArn}/invocations`,
        qualifiedInvokeArn: `arn:${PARTITION}:apigateway:${region}:lambda:path/2015-03-31/functions/${fnArn}:$LATEST/invocations`,
        version: "$LATEST",
      });
    }
    case "aws:lambda/permission:Permission":
      return done(String(inputs.statementId ?? name), {});
    case "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig":
      return done(String(inputs.functionName ?? name), {});
    case "aws:iam/role:Role": {
      const role = physical();
      const path = typeof inputs.path === "string" ? inputs.path : "/";
      return done(role, {
        name: role,
        path,
        arn: arn("iam", `role${path}${role}`, "global"),
        uniqueId: `AROA${upperId(name)}`,
      });
    }
    case "aws:iam/policy:Policy": {
      const policy = physical();
      const path = typeof inputs.path === "string" ? inputs.path : "/";
      const policyArn = arn("iam", `policy${path}${policy}`, "global");
      return done(policyArn, { name: policy, path, arn: policyArn, policyId: `ANPA${upperId(name)}` });
    }
    case "aws:iam/rolePolicy:RolePolicy":
      return done(`${String(inputs.role)}:${physical()}`, { name: physical() });
    case "aws:iam/rolePolicyAttachment:RolePolicyAttachment":
      return done(`${String(inputs.role)}-${uuid(name)}`, {});
    case "aws:sfn/stateMachine:StateMachine": {
      const machine = physical();
      const machineArn = arn("states", `stateMachine:${machine}`);
      return done(machineArn, {
        name: machine,
        arn: machineArn,
        status: "ACTIVE",
        creationDate: "2024-01-01T00:00:00Z",
      });
    }
    case "aws:cloudwatch/logGroup:LogGroup": {
      const group = physical();
      return done(group, { name: group, arn: arn("logs", `log-group:${group}`) });
    }
    case "aws:cloudwatch/eventBus:EventBus": {
      const bus = physical();
      return done(bus, { name: bus, arn: arn("events", `event-bus/${bus}`) });
    }
    case "aws:cloudwatch/eventRule:EventRule": {
      const rule = physical();
      const bus = typeof inputs.eventBusName === "string" ? inputs.eventBusName : "default";
      const onDefault = bus === "default";
      return done(onDefault ? rule : `${bus}/${rule}`, {
        name: rule,
        eventBusName: bus,
        arn: arn("events", onDefault ? `rule/${rule}` : `rule/${bus}/${rule}`),
      });
    }
    case "aws:cloudwatch/eventTarget:EventTarget": {
      const targetId = typeof inputs.targetId === "string" ? inputs.targetId : name;
      return done(`${String(inputs.rule)}-${targetId}`, { targetId });
    }
    case "aws:cloudwatch/metricAlarm:MetricAlarm": {
      const alarm = physical();
      return done(alarm, { name: alarm, arn: arn("cloudwatch", `alarm:${alarm}`) });
    }
    case "aws:mediaconvert/queue:Queue": {
      const queue = physical();
      return done(queue, { name: queue, arn: arn("mediaconvert", `queues/${queue}`) });
    }
    case "aws:kms/key:Key": {
      const keyId = uuid(name);
      return done(keyId, { keyId, arn: arn("kms", `key/${keyId}`) });
    }
    case "aws:kms/alias:Alias": {
      const alias = physical();
      return done(alias, {
        name: alias,
        arn: arn("kms", alias),
        targetKeyArn: arn("kms", `key/${String(inputs.targetKeyId)}`),
      });
    }
    case "aws:scheduler/scheduleGroup:ScheduleGroup": {
      const group = physical();
      return done(group, { name: group, arn: arn("scheduler", `schedule-group/${group}`) });
    }
    case "aws:scheduler/schedule:Schedule": {
      const schedule = physical();
      const group = typeof inputs.groupName === "string" ? inputs.groupName : "default";
      return done(`${group}/${schedule}`, {
        name: schedule,
        groupName: group,
        arn: arn("scheduler", `schedule/${group}/${schedule}`),
      });
    }
    case "aws-native:mediapackage:PackagingGroup": {
      const groupId = physical("awsId");
      return done(groupId, {
        awsId: groupId,
        arn: arn("mediapackage-vod", `packaging-groups/${groupId}`),
        domainName: `https://${hex(name, 16)}.egress.mediapackage-vod.${region}.amazonaws.com`,
      });
    }
    case "aws-native:mediapackage:PackagingConfiguration": {
      const configId = physical("awsId");
      return done(configId, {
        awsId: configId,
        arn: arn("mediapackage-vod", `packaging-configurations/${configId}`),
      });
    }
    case "random:index/randomUuid:RandomUuid": {
      const result = typeof inputs.result === "string" ? inputs.result : uuid(name);
      return done(result, { result });
    }
    case "random:index/randomId:RandomId": {
      const bytes = typeof inputs.byteLength === "number" ? inputs.byteLength : 8;
      const value = hex(name, bytes * 2);
      return done(value, { hex: value, dec: BigInt(`0x${value}`).toString(), b64Url: value, b64Std: value });
    }
    case "tls:index/privateKey:PrivateKey": {
      // A real key pair (one per test process), so code that checks PEMs sees real ones.
      const pair = testKeyPair();
      return done(hex(name, 40), {
        algorithm: inputs.algorithm ?? "RSA",
        rsaBits: inputs.rsaBits ?? 2048,
        privateKeyPem: pair.privateKeyPem,
        privateKeyPemPkcs8: pair.privateKeyPem,
        publicKeyPem: pair.publicKeyPem,
      });
    }
    case "aws:secretsmanager/secret:Secret": {
      const secret = physical();
      const secretArn = arn("secretsmanager", `secret:${secret}-${hex(name, 6)}`);
      return done(secretArn, { name: secret, arn: secretArn });
    }
    case "aws:secretsmanager/secretVersion:SecretVersion": {
      const versionId = uuid(name);
      return done(`${String(inputs.secretId)}|${versionId}`, {
        arn: inputs.secretId,
        versionId,
        versionStages: ["AWSCURRENT"],
      });
    }
    case "aws:cloudfront/publicKey:PublicKey": {
      const keyId = `K${upperId(name).slice(0, 13)}`;
      return done(keyId, { name: physical(), etag: "E1", callerReference: uuid(name) });
    }
    case "aws:cloudfront/keyGroup:KeyGroup":
      return done(uuid(name), { name: physical(), etag: "E1" });
    case "aws:cloudfront/originAccessControl:OriginAccessControl":
      return done(`E${upperId(name).slice(0, 13)}`, {
        etag: "E1",
        arn: arn("cloudfront", `origin-access-control/${name}`, "global"),
      });
    case "aws:cloudfront/cachePolicy:CachePolicy":
    case "aws:cloudfront/originRequestPolicy:OriginRequestPolicy":
    case "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy":
      return done(uuid(name), { name: physical(), etag: "E1" });
    case "aws:cloudfront/distribution:Distribution": {
      const distributionId = `E${upperId(name).slice(0, 13)}`;
      return done(distributionId, {
        arn: arn("cloudfront", `distribution/${distributionId}`, "global"),
        domainName: `d${hex(name, 13)}.cloudfront.net`,
        hostedZoneId: "Z2FDTNDATAQYW2",
        status: "Deployed",
        etag: "E1",
      });
    }
    case "aws:wafv2/webAcl:WebAcl": {
      const acl = physical();
      const aclId = uuid(name);
      const scope = inputs.scope === "CLOUDFRONT" ? "global" : "regional";
      return done(aclId, { name: acl, arn: arn("wafv2", `${scope}/webacl/${acl}/${aclId}`) });
    }
    case "aws:apigatewayv2/api:Api": {
      const apiId = hex(name, 10);
      return done(apiId, {
        name: physical(),
        apiEndpoint: `https://${apiId}.execute-api.${region}.amazonaws.com`,
        executionArn: arn("execute-api", apiId),
        arn: `arn:${PARTITION}:apigateway:${region}::/apis/${apiId}`,
      });
    }
    case "aws:apigatewayv2/stage:Stage":
      return done(String(inputs.name ?? name), {
        invokeUrl: `https://${String(inputs.apiId)}.execute-api.${region}.amazonaws.com/`,
        executionArn: arn("execute-api", `${String(inputs.apiId)}/${String(inputs.name ?? name)}`),
      });
    case "aws:apigatewayv2/authorizer:Authorizer":
    case "aws:apigatewayv2/integration:Integration":
    case "aws:apigatewayv2/route:Route":
      return done(hex(name, 7), {});
    case "aws:cognito/userPool:UserPool": {
      const poolId = `${region}_${hex(name, 9)}`;
      return done(poolId, {
        name: physical(),
        arn: arn("cognito-idp", `userpool/${poolId}`),
        endpoint: `cognito-idp.${region}.amazonaws.com/${poolId}`,
      });
    }
    case "aws:cognito/userPoolClient:UserPoolClient":
      return done(hex(name, 26), { name: physical() });
    case "aws:cognito/userPoolDomain:UserPoolDomain":
      return done(String(inputs.domain ?? name), {
        cloudfrontDistribution: `d${hex(name, 13)}.cloudfront.net`,
      });
    default: {
      // Anything else: an ARN in the resource's service namespace, named after the resource.
      const service = /^[^:]+:([^/:]+)/.exec(type)?.[1] ?? "unknown";
      const resource = physical();
      return done(resource, {
        name: resource,
        arn: arn(service === "index" ? "unknown" : service, resource),
      });
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Helpers

interface SdkStore {
  settings: { rpcDone: Promise<unknown> };
}

/**
 * Waits for every resource registration and invoke the SDK has started, including those started
 * while waiting. This is what `pulumi.runtime.disconnect()` does before exiting, without closing
 * the (mock) monitor, so a test file can keep building resources afterwards.
 */
async function waitForRegistrations(): Promise<void> {
  const store = (globalThis as unknown as { globalStore?: SdkStore }).globalStore;
  if (store === undefined) return;
  let done: Promise<unknown> | undefined;
  while (done !== store.settings.rpcDone) {
    done = store.settings.rpcDone;
    await done;
  }
}

function unwrapSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unwrapSecrets);
  if (value === null || typeof value !== "object" || pulumi.Resource.isInstance(value)) return value;
  const record = value as Record<string, unknown>;
  if (record[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig)
    return unwrapSecrets(record.value);
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, unwrapSecrets(v)]));
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
  return h;
}

function hex(seed: string, length: number): string {
  let out = "";
  for (let i = 0; out.length < length; i++) out += hash(`${seed}#${i}`).toString(16).padStart(8, "0");
  return out.slice(0, length);
}

function uuid(seed: string): string {
  const h = hex(seed, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

let keyPair: { privateKeyPem: string; publicKeyPem: string } | undefined;

/** One RSA 2048 key pair per test process (generating one takes tens of milliseconds). */
export function testKeyPair(): { privateKeyPem: string; publicKeyPem: string } {
  keyPair ??= (() => {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    return {
      privateKeyPem: privateKey.export({ type: "pkcs1", format: "pem" }).toString(),
      publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
    };
  })();
  return keyPair;
}

function upperId(seed: string): string {
  return hex(seed, 17).toUpperCase();
}
