import * as pulumi from "@pulumi/pulumi";
import { ACCOUNT_ID, outputOf, policyOf, REGION, setupPulumiMocks } from "../test/pulumi/mocks";
import { SEGMENT_SECONDS } from "../functions/shared/media/packaging";
import { hostOf, Packaging, PACKAGING_ID, packagingConfigurationId, packagingId } from "./packaging";

const mocks = setupPulumiMocks();

beforeEach(() => mocks.reset());

const OUTPUT = "arn:aws:s3:::vod-output";

/** The resource options each child was registered with, by logical name (dependsOn is not in the mocks' view). */
const optionsByName = new Map<string, pulumi.CustomResourceOptions>();

async function build(cdnIdentifier?: string, tags?: Record<string, string>): Promise<Packaging> {
  optionsByName.clear();
  const packaging = new Packaging(
    "vod-packaging",
    {
      outputBucketArn: OUTPUT,
      ...(cdnIdentifier === undefined ? {} : { cdnIdentifier }),
      ...(tags === undefined ? {} : { tags }),
    },
    {
      transformations: [
        ({ name, opts }) => {
          optionsByName.set(name, opts);
          return undefined;
        },
      ],
    },
  );
  await mocks.settle();
  return packaging;
}

/** The logical names of the resources a resource's dependsOn lists. */
async function dependsOnNames(name: string): Promise<string[]> {
  const dependsOn = await outputOf(pulumi.output(optionsByName.get(name)?.dependsOn ?? []));
  const resources = [dependsOn].flat() as pulumi.Resource[];
  const urns = await Promise.all(resources.map((r) => outputOf(r.urn)));
  return urns.map((urn) => urn.split("::").pop()!).sort();
}

describe("packagingId", () => {
  it("joins prefix and suffix into an id MediaPackage accepts", () => {
    expect(packagingId("vod-ingest-dev", "hls")).toBe("vod-ingest-dev-hls");
  });

  it("refuses characters MediaPackage refuses", () => {
    expect(() => packagingId("vod.ingest", "hls")).toThrow('"vod.ingest-hls" is not a MediaPackage VOD id');
  });
});

describe("hostOf", () => {
  it("strips the scheme MediaPackage's DomainName carries", () => {
    expect(hostOf("https://abc123.egress.mediapackage-vod.us-east-1.amazonaws.com")).toBe(
      "abc123.egress.mediapackage-vod.us-east-1.amazonaws.com",
    );
  });

  it("keeps a bare host", () => {
    expect(hostOf("abc123.egress.mediapackage-vod.us-east-1.amazonaws.com")).toBe(
      "abc123.egress.mediapackage-vod.us-east-1.amazonaws.com",
    );
  });
});

describe("Packaging", () => {
  it("creates the packaging group in the Region of the aws provider", async () => {
    // Act
    const packaging = await build();

    // Assess
    const [provider] = mocks.resourcesOfType("pulumi:providers:aws-native");
    expect(provider?.inputs.region).toBe(REGION);
    const group = mocks.resourceNamed("vod-packaging-group");
    expect(group.inputs.awsId).toBe("vod-ingest-dev-vod");
    expect(await outputOf(packaging.packagingGroupId)).toBe("vod-ingest-dev-vod");
  });

  it("packages HLS, DASH and CMAF in 4-second segments from one group", async () => {
    // Act
    const packaging = await build();

    // Assess
    const config = (format: string) => mocks.resourceNamed(`vod-packaging-${format}`).inputs;
    expect(config("hls")).toEqual({
      awsId: "vod-ingest-dev-hls",
      packagingGroupId: "vod-ingest-dev-vod",
      hlsPackage: {
        segmentDurationSeconds: SEGMENT_SECONDS,
        hlsManifests: [{ manifestName: "index", adMarkers: "NONE", includeIframeOnlyStream: false }],
      },
    });
    expect(config("dash")).toEqual({
      awsId: "vod-ingest-dev-dash",
      packagingGroupId: "vod-ingest-dev-vod",
      dashPackage: {
        segmentDurationSeconds: SEGMENT_SECONDS,
        segmentTemplateFormat: "NUMBER_WITH_TIMELINE",
        dashManifests: [{ manifestName: "index", manifestLayout: "FULL", profile: "NONE" }],
      },
    });
    expect(config("cmaf")).toEqual({
      awsId: "vod-ingest-dev-cmaf",
      packagingGroupId: "vod-ingest-dev-vod",
      cmafPackage: {
        segmentDurationSeconds: SEGMENT_SECONDS,
        hlsManifests: [{ manifestName: "index", adMarkers: "NONE", includeIframeOnlyStream: false }],
      },
    });
    expect(await outputOf(packaging.packagingConfigurations.hls)).toBe("vod-ingest-dev-hls");
    expect(await outputOf(packaging.packagingConfigurations.dash)).toBe("vod-ingest-dev-dash");
    expect(await outputOf(packaging.packagingConfigurations.cmaf)).toBe("vod-ingest-dev-cmaf");
    for (const resource of mocks.resources.filter((r) => r.type.startsWith("aws-native:mediapackage:"))) {
      expect(resource.inputs.awsId).toMatch(PACKAGING_ID);
    }
  });

  it("tags the group and its configurations at creation and never replaces them for a tag change", async () => {
    // Act
    await build(undefined, { "vod:stack": "vod-ingest-dev", team: "media" });

    // Assess
    const native = mocks.resources.filter((r) => r.type.startsWith("aws-native:mediapackage:"));
    expect(native.map((r) => r.name).sort()).toEqual([
      "vod-packaging-cmaf",
      "vod-packaging-dash",
      "vod-packaging-group",
      "vod-packaging-hls",
    ]);
    for (const resource of native) {
      expect(resource.inputs.tags).toEqual([
        { key: "team", value: "media" },
        { key: "vod:stack", value: "vod-ingest-dev" },
      ]);
      // The group's tags are create-only (replace-on-change) and a group with assets cannot be
      // deleted: a later tag change must not plan a replacement.
      expect(optionsByName.get(resource.name)?.ignoreChanges).toEqual(["tags"]);
    }
  });

  it("gives MediaPackage a source role that reads only the output bucket", async () => {
    // Act
    const packaging = await build();

    // Assess
    const role = mocks.resourceNamed("vod-packaging-source-role");
    expect(policyOf(role, "assumeRolePolicy").Statement).toEqual([
      {
        Effect: "Allow",
        Action: "sts:AssumeRole",
        Principal: { Service: "mediapackage.amazonaws.com" },
        Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT_ID } },
      },
    ]);
    expect(policyOf(mocks.resourceNamed("vod-packaging-source-policy")).Statement).toEqual([
      { Sid: "ReadAssets", Effect: "Allow", Action: "s3:GetObject", Resource: `${OUTPUT}/*` },
      {
        Sid: "InspectBucket",
        Effect: "Allow",
        Action: ["s3:ListBucket", "s3:GetBucketRequestPayment", "s3:GetBucketLocation"],
        Resource: OUTPUT,
      },
    ]);
    expect(await outputOf(packaging.sourceRoleArn)).toBe(role.state.arn);
  });

  it("keeps the packaging group's id and adds CDN authorization after the secret version and role policy", async () => {
    // Act
    await build();

    // Assess
    const group = mocks.resourceNamed("vod-packaging-group");
    expect(group.inputs).toEqual({
      awsId: "vod-ingest-dev-vod",
      authorization: {
        cdnIdentifierSecret: mocks.resourceNamed("vod-packaging-cdn-identifier-secret").id,
        secretsRoleArn: mocks.resourceNamed("vod-packaging-cdn-auth-role").state.arn,
      },
    });
    expect(await dependsOnNames("vod-packaging-group")).toEqual([
      "vod-packaging-cdn-auth-policy",
      "vod-packaging-cdn-identifier-version",
    ]);
  });

  it("stores a UUID made once as a resource under the key MediaPackage reads, and exposes the same value", async () => {
    // Act
    const packaging = await build();

    // Assess
    const uuid = mocks.resourceNamed("vod-packaging-cdn-identifier").state.result as string;
    expect(uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const version = mocks.resourceNamed("vod-packaging-cdn-identifier-version");
    expect(version.inputs.secretId).toBe(mocks.resourceNamed("vod-packaging-cdn-identifier-secret").id);
    expect(JSON.parse(version.inputs.secretString as string)).toEqual({ MediaPackageCDNIdentifier: uuid });
    expect(await outputOf(packaging.cdnIdentifier)).toBe(uuid);
    expect(await pulumi.isSecret(packaging.cdnIdentifier)).toBe(true);
  });

  it("uses the configured CDN identifier instead, when there is one", async () => {
    // Act
    const packaging = await build("0f5e3a4c-2b1d-4e6f-8a9b-0c1d2e3f4a5b");

    // Assess
    const version = mocks.resourceNamed("vod-packaging-cdn-identifier-version");
    expect(JSON.parse(version.inputs.secretString as string)).toEqual({
      MediaPackageCDNIdentifier: "0f5e3a4c-2b1d-4e6f-8a9b-0c1d2e3f4a5b",
    });
    expect(await outputOf(packaging.cdnIdentifier)).toBe("0f5e3a4c-2b1d-4e6f-8a9b-0c1d2e3f4a5b");
  });

  it("lets only MediaPackage, for this account, assume the secrets role, which reads that one secret", async () => {
    // Act
    await build();

    // Assess
    const role = mocks.resourceNamed("vod-packaging-cdn-auth-role");
    expect(policyOf(role, "assumeRolePolicy").Statement).toEqual([
      {
        Effect: "Allow",
        Action: "sts:AssumeRole",
        Principal: { Service: "mediapackage.amazonaws.com" },
        Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT_ID } },
      },
    ]);
    const secretArn = mocks.resourceNamed("vod-packaging-cdn-identifier-secret").id;
    expect(policyOf(mocks.resourceNamed("vod-packaging-cdn-auth-policy")).Statement).toEqual([
      {
        Sid: "ReadCdnIdentifier",
        Effect: "Allow",
        Action: [
          "secretsmanager:ListSecretVersionIds",
          "secretsmanager:GetSecretValue",
          "secretsmanager:DescribeSecret",
        ],
        Resource: secretArn,
      },
      { Sid: "ListSecrets", Effect: "Allow", Action: "secretsmanager:ListSecrets", Resource: "*" },
      { Sid: "ReadOwnRole", Effect: "Allow", Action: "iam:GetRole", Resource: role.state.arn },
      {
        Sid: "PassOwnRole",
        Effect: "Allow",
        Action: "iam:PassRole",
        Resource: role.state.arn,
        Condition: { StringEquals: { "iam:PassedToService": "mediapackage.amazonaws.com" } },
      },
    ]);
  });

  it("exposes the egress host without its scheme, for the CloudFront origin", async () => {
    // Act
    const packaging = await build();

    // Assess
    const domainName = mocks.resourceNamed("vod-packaging-group").state.domainName as string;
    expect(domainName.startsWith("https://")).toBe(true);
    expect(await outputOf(packaging.egressDomainName)).toBe(domainName.slice("https://".length));
    expect(await outputOf(packaging.region)).toBe(REGION);
  });
});

describe("packaging configurations (MediaPackage VOD cannot edit them)", () => {
  it("are replaced, never updated in place, and the replaced one is kept for the titles published under it", async () => {
    // Act
    await build();

    // Assess
    for (const format of ["hls", "dash", "cmaf"]) {
      const options = optionsByName.get(`vod-packaging-${format}`);
      expect(options?.replaceOnChanges).toEqual(["hlsPackage", "dashPackage", "cmafPackage"]);
      expect(options?.retainOnDelete).toBe(true);
      // A new id per settings: the new configuration is created before the old one leaves the stack.
      expect(options?.deleteBeforeReplace).toBeFalsy();
    }
  });

  it("keep the ids a deployed stack has for today's settings, and take a new id when a setting changes", () => {
    // Prepare
    const hls = {
      hlsPackage: {
        segmentDurationSeconds: SEGMENT_SECONDS,
        hlsManifests: [{ manifestName: "index", adMarkers: "NONE" as const, includeIframeOnlyStream: false }],
      },
    };
    const longer = { hlsPackage: { ...hls.hlsPackage, segmentDurationSeconds: SEGMENT_SECONDS + 2 } };

    // Act
    const today = packagingConfigurationId("vod-ingest-dev", "hls", hls);
    const changed = packagingConfigurationId("vod-ingest-dev", "hls", longer);

    // Assess
    expect(today).toBe("vod-ingest-dev-hls");
    expect(changed).toMatch(/^vod-ingest-dev-hls-[0-9a-f]{8}$/);
    expect(packagingConfigurationId("vod-ingest-dev", "hls", structuredClone(longer))).toBe(changed);
    expect(packagingConfigurationId("vod-ingest-dev", "dash", longer)).not.toBe(changed);
  });
});
