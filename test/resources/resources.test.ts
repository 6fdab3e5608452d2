import * as pulumi from "@pulumi/pulumi";
import { diffDumps, stabilise, type DumpedResource, type ResourceDump } from "./resources";

const ROOT = "/tmp/vod-resources-x/tree";

function resource(
  name: string,
  inputs: Record<string, unknown>,
  type = "aws:sqs/queue:Queue",
): DumpedResource {
  return {
    urn: `urn:pulumi:dev::vod-ingest::${type}::${name}`,
    type,
    name,
    parent: undefined,
    custom: true,
    options: { dependsOn: [] },
    inputs,
  };
}

const dump = (...resources: DumpedResource[]): ResourceDump => ({ resources, outputs: {} });

describe("stabilise", () => {
  it("sorts object keys, keeps array order and writes the checkout's path as <root>", async () => {
    // Act
    const stable = await stabilise({ b: [2, 1], a: `${ROOT}/functions/claim-upload` }, ROOT);

    // Assess
    expect(JSON.stringify(stable)).toBe('{"a":"<root>/functions/claim-upload","b":[2,1]}');
  });

  it("writes key material as <PEM type>, bare or inside a JSON string, so mock-made keys compare equal", async () => {
    // Prepare
    const pem = "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkq\nBQIDAQAB\n-----END PUBLIC KEY-----\n";
    const secret = JSON.stringify({
      keyPairId: "K1",
      privateKey: "-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----\n",
    });

    // Act
    const stable = await stabilise({ encodedKey: pem, secretString: secret }, ROOT);

    // Assess
    expect(stable).toEqual({
      encodedKey: "<PEM PUBLIC KEY>",
      secretString: '{"keyPairId":"K1","privateKey":"<PEM RSA PRIVATE KEY>"}',
    });
  });

  it("reduces an archive to its file names and content hashes", async () => {
    // Prepare
    const archive = new pulumi.asset.AssetArchive({ "index.mjs": new pulumi.asset.StringAsset("export {}") });

    // Act
    const stable = await stabilise({ code: archive }, "/nowhere");

    // Assess: sha256("export {}")
    expect(stable).toEqual({
      code: {
        archive: {
          "index.mjs": {
            asset: "text sha256:f4c5cf9bb78e85f15dc27180260637cf24b2a24bc39e0788783a3accc4dde614 (9 bytes)",
          },
        },
      },
    });
  });
});

describe("diffDumps", () => {
  it("finds nothing between equal dumps", () => {
    // Act
    const result = diffDumps(dump(resource("vod-dlq", { a: 1 })), dump(resource("vod-dlq", { a: 1 })));

    // Assess
    expect(result).toEqual({ differences: [], packages: [] });
  });

  it("reports a renamed resource as one removed and one added", () => {
    // Act
    const { differences } = diffDumps(dump(resource("vod-dlq", {})), dump(resource("vod-queue", {})));

    // Assess
    expect(differences).toEqual([
      "- removed urn:pulumi:dev::vod-ingest::aws:sqs/queue:Queue::vod-dlq",
      "+ added   urn:pulumi:dev::vod-ingest::aws:sqs/queue:Queue::vod-queue",
    ]);
  });

  it("reports a changed input and a changed option", () => {
    // Prepare
    const after = { ...resource("vod-dlq", { retention: 2 }), options: { dependsOn: ["urn:x"] } };

    // Act
    const { differences } = diffDumps(dump(resource("vod-dlq", { retention: 1 })), dump(after));

    // Assess
    expect(differences).toEqual(
      [
        'urn:pulumi:dev::vod-ingest::aws:sqs/queue:Queue::vod-dlq options: {"dependsOn":[]} → {"dependsOn":["urn:x"]}',
        "urn:pulumi:dev::vod-ingest::aws:sqs/queue:Queue::vod-dlq inputs.retention: 1 → 2",
      ].map((line) => `~ ${line}`),
    );
  });

  it("lists a Lambda function's new code package apart from the differences", () => {
    // Prepare
    const lambda = (hash: string) =>
      resource(
        "vod-claim-upload",
        { code: { archive: { "index.mjs": { asset: hash } } } },
        "aws:lambda/function:Function",
      );

    // Act
    const result = diffDumps(dump(lambda("a")), dump(lambda("b")));

    // Assess
    expect(result.differences).toEqual([]);
    expect(result.packages).toHaveLength(1);
  });
});
