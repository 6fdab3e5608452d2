import { createPrivateKey, createPublicKey } from "node:crypto";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { GENERATED_SIGNING_KEY, type SigningKeyConfig } from "./config";
import type { PolicyStatement } from "./lib/policies";

/** Inputs of the signing keys: the key group's public keys and which one signs. */
export interface SigningKeysArgs {
  /** Keep the stack-made key pair in the group (config `signingKeyGenerated`, default true). */
  readonly generated: boolean;
  /** Operator keys (config `signingKeys`, default []); validated by infra/config.ts. */
  readonly keys: readonly SigningKeyConfig[];
  /** The key the session function signs with (config `activeSigningKey`, default "generated"). */
  readonly active: string;
  /** The active operator key's private PEM (secret config `signingPrivateKeyPem`); unset while "generated" is active. */
  readonly activePrivateKeyPem?: pulumi.Input<string>;
}

/**
 * The keys CloudFront checks signed cookies with, and the one the session function signs with.
 *
 * - Each public key is its own `aws.cloudfront.PublicKey` named after its config name
 *   (`${name}-key-<keyName>`): a new key is a new resource, and an existing one is never edited in
 *   place (CloudFormation/CDK report in-place PublicKey updates failing, aws/aws-cdk#15301).
 * - One `aws.cloudfront.KeyGroup` with every key (≤ 5, the CloudFront quota): cookies signed by
 *   any key in the group verify, which is what makes rotation seamless.
 * - One Secrets Manager secret `{"keyPairId", "privateKey"}`: id and key always change together,
 *   so the function can never sign with one key and name another.
 * - The first key pair is a `tls.PrivateKey` (RSA 2048, private key kept encrypted in state),
 *   created once, so a plain `pulumi up` deploys a signed distribution and later `up`s keep it.
 *
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-trusted-signers.html
 */
export class SigningKeys extends pulumi.ComponentResource {
  /** Id of the key group, for the distribution's `trustedKeyGroups`. */
  public readonly keyGroupId: pulumi.Output<string>;
  /** Id (K…) of the active public key: the `CloudFront-Key-Pair-Id` cookie's value. */
  public readonly activeKeyPairId: pulumi.Output<string>;
  /** The secret the session function reads (SIGNING_KEY_SECRET_ARN). */
  public readonly secretArn: pulumi.Output<string>;
  /** Ids of every public key in the group, by config name. */
  public readonly publicKeyIds: Readonly<Record<string, pulumi.Output<string>>>;

  constructor(name: string, args: SigningKeysArgs, opts?: pulumi.ComponentResourceOptions) {
    const names = keyNames(args);
    if (!names.includes(args.active)) {
      throw new Error(`activeSigningKey "${args.active}" is not in the key group (${names.join(", ")})`);
    }
    if ((args.active === GENERATED_SIGNING_KEY) !== (args.activePrivateKeyPem === undefined)) {
      throw new Error("signingPrivateKeyPem is required exactly when an operator key is active");
    }
    super("vod:delivery:SigningKeys", name, {}, opts);
    const child = { parent: this };

    const publicKeyPems: Record<string, pulumi.Input<string>> = {};
    let generatedPrivateKeyPem: pulumi.Output<string> | undefined;
    if (args.generated) {
      // RSA 2048: the key type CloudFront trusted key groups take and the session function signs
      // RSA-SHA1 with. Never regenerated: its inputs are fixed, so later `up`s leave it alone.
      const pair = new tls.PrivateKey(
        `${name}-generated-private-key`,
        { algorithm: "RSA", rsaBits: 2048 },
        { ...child, additionalSecretOutputs: ["privateKeyPem", "privateKeyPemPkcs8"] },
      );
      publicKeyPems[GENERATED_SIGNING_KEY] = pair.publicKeyPem.apply(withTrailingNewline);
      generatedPrivateKeyPem = pair.privateKeyPem;
    }
    for (const key of args.keys) publicKeyPems[key.name] = key.publicKeyPem;

    const publicKeys = Object.fromEntries(
      names.map((keyName) => [
        keyName,
        new aws.cloudfront.PublicKey(
          `${name}-key-${keyName}`,
          {
            // PEM with its trailing newline (terraform-provider-aws#20081 / #29491).
            encodedKey: publicKeyPems[keyName]!,
            comment: `Playback signing key "${keyName}"`,
          },
          child,
        ),
      ]),
    );
    const group = new aws.cloudfront.KeyGroup(
      `${name}-key-group`,
      { items: names.map((keyName) => publicKeys[keyName]!.id), comment: "Keys that sign playback cookies" },
      child,
    );

    const active = publicKeys[args.active]!;
    const privateKeyPem =
      args.activePrivateKeyPem === undefined
        ? generatedPrivateKeyPem!
        : pulumi
            .all([args.activePrivateKeyPem, publicKeyPems[args.active]!])
            .apply(([privatePem, publicPem]) => assertKeyPair(args.active, privatePem, publicPem));
    const secret = new aws.secretsmanager.Secret(
      `${name}-secret`,
      { description: "Active CloudFront signing key: key pair id and private key (session function)" },
      child,
    );
    new aws.secretsmanager.SecretVersion(
      `${name}-secret-version`,
      { secretId: secret.id, secretString: signingSecretString(active.id, privateKeyPem) },
      child,
    );

    this.keyGroupId = group.id;
    this.activeKeyPairId = active.id;
    this.secretArn = secret.arn;
    this.publicKeyIds = Object.fromEntries(names.map((keyName) => [keyName, publicKeys[keyName]!.id]));
    this.registerOutputs({
      keyGroupId: this.keyGroupId,
      activeKeyPairId: this.activeKeyPairId,
      secretArn: this.secretArn,
      publicKeyIds: this.publicKeyIds,
    });
  }
}

/** The group's keys in a stable order: the generated one first, then the operator keys as listed. */
export function keyNames(args: Pick<SigningKeysArgs, "generated" | "keys">): string[] {
  return [...(args.generated ? [GENERATED_SIGNING_KEY] : []), ...args.keys.map((k) => k.name)];
}

/**
 * The secret the session function reads: `{"keyPairId":"K…","privateKey":"-----BEGIN …"}`.
 * Secret end to end (the private key is).
 */
export function signingSecretString(
  keyPairId: pulumi.Input<string>,
  privateKeyPem: pulumi.Input<string>,
): pulumi.Output<string> {
  return pulumi.secret(pulumi.jsonStringify({ keyPairId, privateKey: privateKeyPem }));
}

/**
 * Refuses a private key that is not the named public key's pair: cookies it signed would carry the
 * public key's id and fail CloudFront's signature check (403 for every viewer). Pure.
 * @returns the private key PEM, unchanged
 */
export function assertKeyPair(keyName: string, privateKeyPem: string, publicKeyPem: string): string {
  let derived: string;
  try {
    derived = createPublicKey(createPrivateKey(privateKeyPem))
      .export({ type: "spki", format: "pem" })
      .toString();
  } catch {
    throw new Error(`signingPrivateKeyPem is not a PEM private key (active key "${keyName}")`);
  }
  const expected = createPublicKey(publicKeyPem).export({ type: "spki", format: "pem" }).toString();
  if (derived !== expected) {
    throw new Error(`signingPrivateKeyPem is not the private key of signing key "${keyName}"`);
  }
  return privateKeyPem;
}

/** PEM text ending with exactly one newline. */
export function withTrailingNewline(pem: string): string {
  return `${pem.trimEnd()}\n`;
}

/**
 * The session function's access to the signing key: read this one secret, nothing else (for its
 * role in infra/functions.ts).
 * @example readsSigningKey(signingKeys.secretArn) // Allow secretsmanager:GetSecretValue on the secret
 */
export function readsSigningKey(secretArn: pulumi.Input<string>): PolicyStatement {
  return { sid: "ReadSigningKey", actions: ["secretsmanager:GetSecretValue"], resources: [secretArn] };
}
