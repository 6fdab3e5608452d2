import { generateKeyPairSync } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { outputOf, setupPulumiMocks, testKeyPair } from "../test/pulumi/mocks";
import {
  assertKeyPair,
  keyNames,
  readsSigningKey,
  SigningKeys,
  type SigningKeysArgs,
  withTrailingNewline,
} from "./signing-keys";

const mocks = setupPulumiMocks();

beforeEach(() => mocks.reset());

/** An operator's key pair, as `openssl genrsa 2048` + `openssl rsa -pubout` would give it. */
function operatorKey(): { privateKeyPem: string; publicKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return {
    privateKeyPem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
  };
}
const next = operatorKey();

async function build(args: SigningKeysArgs): Promise<SigningKeys> {
  const keys = new SigningKeys("vod-signing", args);
  await mocks.settle();
  return keys;
}

const secretOf = () =>
  JSON.parse(mocks.resourceNamed("vod-signing-secret-version").inputs.secretString as string) as {
    keyPairId: string;
    privateKey: string;
  };

describe("SigningKeys", () => {
  it("creates one RSA 2048 key pair once and trusts its public key, with a trailing newline", async () => {
    // Act
    const keys = await build({ generated: true, keys: [], active: "generated" });

    // Assess
    expect(mocks.resourceNamed("vod-signing-generated-private-key").inputs).toEqual({
      algorithm: "RSA",
      rsaBits: 2048,
    });
    const publicKey = mocks.resourceNamed("vod-signing-key-generated");
    expect(publicKey.inputs.encodedKey).toBe(withTrailingNewline(testKeyPair().publicKeyPem));
    expect((publicKey.inputs.encodedKey as string).endsWith("-----END PUBLIC KEY-----\n")).toBe(true);
    expect(mocks.resourceNamed("vod-signing-key-group").inputs.items).toEqual([publicKey.id]);
    expect(await outputOf(keys.keyGroupId)).toBe(mocks.resourceNamed("vod-signing-key-group").id);
    expect(await outputOf(keys.activeKeyPairId)).toBe(publicKey.id);
  });

  it("keeps the active key's id and private key together in one secret", async () => {
    // Act
    const keys = await build({ generated: true, keys: [], active: "generated" });

    // Assess
    const secret = mocks.resourceNamed("vod-signing-secret");
    expect(mocks.resourceNamed("vod-signing-secret-version").inputs.secretId).toBe(secret.id);
    expect(secretOf()).toEqual({
      keyPairId: mocks.resourceNamed("vod-signing-key-generated").id,
      privateKey: testKeyPair().privateKeyPem,
    });
    expect(await outputOf(keys.secretArn)).toBe(secret.id);
  });

  it("rotation step 1 (add): trusts the new key beside the old one, still signing with the old", async () => {
    // Act
    await build({
      generated: true,
      keys: [{ name: "k2027", publicKeyPem: next.publicKeyPem }],
      active: "generated",
    });

    // Assess
    const old = mocks.resourceNamed("vod-signing-key-generated");
    const added = mocks.resourceNamed("vod-signing-key-k2027");
    expect(added.inputs.encodedKey).toBe(next.publicKeyPem);
    expect(mocks.resourceNamed("vod-signing-key-group").inputs.items).toEqual([old.id, added.id]);
    expect(secretOf().keyPairId).toBe(old.id);
  });

  it("rotation step 2 (switch): signs with the new key and its private key, both keys still trusted", async () => {
    // Act
    const keys = await build({
      generated: true,
      keys: [{ name: "k2027", publicKeyPem: next.publicKeyPem }],
      active: "k2027",
      activePrivateKeyPem: pulumi.secret(next.privateKeyPem),
    });

    // Assess
    const added = mocks.resourceNamed("vod-signing-key-k2027");
    expect(mocks.resourceNamed("vod-signing-key-group").inputs.items).toHaveLength(2);
    expect(secretOf()).toEqual({ keyPairId: added.id, privateKey: next.privateKeyPem });
    expect(await outputOf(keys.activeKeyPairId)).toBe(added.id);
  });

  it("rotation step 3 (remove): drops the old key and its key pair, the new key's logical name unchanged", async () => {
    // Act
    await build({
      generated: false,
      keys: [{ name: "k2027", publicKeyPem: next.publicKeyPem }],
      active: "k2027",
      activePrivateKeyPem: next.privateKeyPem,
    });

    // Assess
    expect(mocks.resourcesOfType("tls:index/privateKey:PrivateKey")).toEqual([]);
    expect(mocks.resourcesOfType("aws:cloudfront/publicKey:PublicKey").map((r) => r.name)).toEqual([
      "vod-signing-key-k2027",
    ]);
    expect(mocks.resourceNamed("vod-signing-key-group").inputs.items).toEqual([
      mocks.resourceNamed("vod-signing-key-k2027").id,
    ]);
  });

  it("refuses an active key outside the group, before creating anything", () => {
    expect(() => new SigningKeys("vod-signing", { generated: true, keys: [], active: "k2027" })).toThrow(
      'activeSigningKey "k2027" is not in the key group (generated)',
    );
    expect(mocks.resources).toEqual([]);
  });
});

describe("assertKeyPair", () => {
  it("returns a private key that matches the public key, PKCS#1 or PKCS#8", () => {
    expect(assertKeyPair("k", next.privateKeyPem, next.publicKeyPem)).toBe(next.privateKeyPem);
    expect(assertKeyPair("g", testKeyPair().privateKeyPem, testKeyPair().publicKeyPem)).toBe(
      testKeyPair().privateKeyPem,
    );
  });

  it("refuses a private key that is not the active key's pair (the deployment stops with this message)", () => {
    expect(() => assertKeyPair("k2027", operatorKey().privateKeyPem, next.publicKeyPem)).toThrow(
      'signingPrivateKeyPem is not the private key of signing key "k2027"',
    );
  });

  it("names the key when the private key is not PEM", () => {
    expect(() => assertKeyPair("k2027", "not a key", next.publicKeyPem)).toThrow(
      'signingPrivateKeyPem is not a PEM private key (active key "k2027")',
    );
  });
});

describe("keyNames", () => {
  it("puts the generated key first, then the operator keys in config order", () => {
    expect(
      keyNames({
        generated: true,
        keys: [
          { name: "b", publicKeyPem: "" },
          { name: "a", publicKeyPem: "" },
        ],
      }),
    ).toEqual(["generated", "b", "a"]);
  });
});

describe("readsSigningKey", () => {
  it("grants GetSecretValue on the one secret only", () => {
    expect(readsSigningKey("arn:aws:secretsmanager:us-east-1:123456789012:secret:s-AbCdEf")).toEqual({
      sid: "ReadSigningKey",
      actions: ["secretsmanager:GetSecretValue"],
      resources: ["arn:aws:secretsmanager:us-east-1:123456789012:secret:s-AbCdEf"],
    });
  });
});
