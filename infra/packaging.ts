import { createHash } from "node:crypto";
import * as aws from "@pulumi/aws";
import * as awsnative from "@pulumi/aws-native";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { SEGMENT_SECONDS } from "../functions/shared/media/packaging";
import { awsScope } from "./lib/arns";
import { physicalName, sanitise, stackMarker } from "./lib/naming";
import { actingFor, serviceTrustPolicy } from "./lib/policies";
import { nativeTags } from "./lib/tags";
import { CDN_IDENTIFIER_HEADER, CDN_IDENTIFIER_SECRET_KEY } from "./lib/origin-lock";
import { checkCdnIdentifier } from "./config";

/** Inputs of the MediaPackage VOD side of the stack. */
export interface PackagingArgs {
  /** The bucket MediaPackage ingests assets from (the output bucket's ARN). */
  readonly outputBucketArn: pulumi.Input<string>;
  /** Prefix of the packaging group and configuration ids; default: the stack marker. */
  readonly idPrefix?: string;
  /**
   * The CDN identifier CloudFront must send (config secret `cdnIdentifier`); default: a UUID the
   * stack creates once (random.RandomUuid, kept in state, unchanged by later `up`s).
   */
  readonly cdnIdentifier?: pulumi.Input<string>;
  /** The stack's tags (shared/contract/tags.ts `stackTags`) for the packaging group and configurations; default: none. */
  readonly tags?: Readonly<Record<string, string>>;
}

/** Playback formats, one packaging configuration each; register-asset gets their ids as JSON. */
export interface PackagingConfigurationIds {
  readonly hls: pulumi.Output<string>;
  readonly dash: pulumi.Output<string>;
  readonly cmaf: pulumi.Output<string>;
}

/**
 * The MediaPackage VOD packaging group with its HLS, DASH and CMAF packaging configurations, and
 * the role MediaPackage assumes to read assets from the output bucket. Assets are created per
 * title at run time by register-asset, not here.
 *
 * `@pulumi/aws` has no MediaPackage VOD resources, so these come from `@pulumi/aws-native` (Cloud
 * Control). Its default provider takes its Region from `aws-native:region` (or AWS_REGION), which
 * Pulumi.dev.yaml does not set, and the first `pulumi up` would stop there; an explicit provider in
 * the Region of the `aws` provider keeps both in step.
 */
export class Packaging extends pulumi.ComponentResource {
  /** The packaging group's id, for CreateAsset's `PackagingGroupId`. */
  public readonly packagingGroupId: pulumi.Output<string>;
  /** The ids of the three packaging configurations. */
  public readonly packagingConfigurations: PackagingConfigurationIds;
  /** The role CreateAsset passes as `SourceRoleArn`. */
  public readonly sourceRoleArn: pulumi.Output<string>;
  /** The CDN identifier (secret): the value CloudFront sends in X-MediaPackage-CDNIdentifier. */
  public readonly cdnIdentifier: pulumi.Output<string>;
  /** The Secrets Manager secret holding `{"MediaPackageCDNIdentifier": …}`. */
  public readonly cdnIdentifierSecretArn: pulumi.Output<string>;
  /** The group's egress host, without the `https://` its DomainName carries: a CloudFront origin. */
  public readonly egressDomainName: pulumi.Output<string>;
  /** Region of the packaging group (Origin Shield goes there). */
  public readonly region: pulumi.Output<string>;

  constructor(name: string, args: PackagingArgs, opts?: pulumi.ComponentResourceOptions) {
    super("vod:packaging:Packaging", name, {}, opts);
    const child = { parent: this };
    const prefix = sanitise(args.idPrefix ?? stackMarker());

    // Same Region and, when `aws:profile` is set, the same credentials profile as the aws provider.
    const provider = new awsnative.Provider(
      `${name}-aws-native`,
      {
        region: awsScope(child).region as pulumi.Output<awsnative.Region>,
        profile: new pulumi.Config("aws").get("profile"),
      },
      child,
    );
    // Ids are physical names the API requires (`Id` is mandatory); a replacement must delete the
    // old one first or the new one's id would collide.
    // Tags are set when group and configurations are created and never changed afterwards
    // (ignoreChanges): aws-native marks the group's `tags[*]` replace-on-change (CreateOnlyTag),
    // and a group that holds assets cannot be deleted, so a tag change would stop `pulumi up`
    // (and, for a stack deployed before tags existed, adding them would). README: set `tags`
    // before the first deploy.
    const native = { parent: this, provider, deleteBeforeReplace: true, ignoreChanges: ["tags"] };
    const tags = args.tags === undefined ? undefined : nativeTags(args.tags);

    // Origin lock ("CDN authorization"): MediaPackage serves the group's assets only to requests
    // carrying the secret's value in X-MediaPackage-CDNIdentifier (403 otherwise), so the
    // distribution, which adds the header, is the only way in. OAC does not exist for
    // MediaPackage v1. Secret and role live in this Region and account, as MediaPackage requires.
    // https://docs.aws.amazon.com/mediapackage/latest/ug/cdn-auth-setup.html (archived v1 guide)
    // The UUID is a resource, created once: a value made in program code would change on every
    // `up` and lock CloudFront out until the next deployment (DELIVERY.md trap 12).
    const generated = new random.RandomUuid(`${name}-cdn-identifier`, {}, child);
    this.cdnIdentifier = pulumi.secret(
      pulumi.output(args.cdnIdentifier ?? generated.result).apply(checkCdnIdentifier),
    );
    const secret = new aws.secretsmanager.Secret(
      `${name}-cdn-identifier-secret`,
      { description: `${CDN_IDENTIFIER_HEADER} value MediaPackage VOD expects from CloudFront` },
      child,
    );
    const secretVersion = new aws.secretsmanager.SecretVersion(
      `${name}-cdn-identifier-version`,
      { secretId: secret.id, secretString: cdnIdentifierSecretString(this.cdnIdentifier) },
      child,
    );
    const scope = awsScope(child);
    const secretsRole = new aws.iam.Role(
      `${name}-cdn-auth-role`,
      {
        description: "MediaPackage VOD reads the CDN identifier secret",
        assumeRolePolicy: serviceTrustPolicy("mediapackage.amazonaws.com", [
          { test: "StringEquals", variable: "aws:SourceAccount", values: [scope.accountId] },
        ]),
      },
      child,
    );
    const secretsPolicy = new aws.iam.RolePolicy(
      `${name}-cdn-auth-policy`,
      { role: secretsRole.id, policy: cdnAuthRolePolicy(secret.arn, secretsRole.arn) },
      child,
    );

    // `authorization` is an in-place update of an existing group (CloudFormation: "Update requires:
    // No interruption"; aws-native marks only tags[*] replace-on-change). MediaPackage validates
    // secret and role when the group is updated, so both must exist first.
    // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-mediapackage-packaginggroup-authorization.html
    const group = new awsnative.mediapackage.PackagingGroup(
      `${name}-group`,
      {
        awsId: packagingId(prefix, "vod"),
        authorization: { cdnIdentifierSecret: secret.arn, secretsRoleArn: secretsRole.arn },
        tags,
      },
      { ...native, dependsOn: [secretVersion, secretsPolicy] },
    );
    this.cdnIdentifierSecretArn = secret.arn;
    this.egressDomainName = group.domainName.apply(hostOf);
    this.region = scope.region;
    // MediaPackage VOD cannot edit a packaging configuration (the user guide's "Editing a packaging
    // configuration" page; the VOD API has no update call for it), although the CloudFormation
    // schema, and so aws-native, calls its settings updatable. So a settings change must never be an
    // in-place update: the id follows the settings (`packagingConfigurationId`) and any settings
    // change replaces the resource, the new configuration created before the old one leaves the stack.
    // The old one is *retained* in MediaPackage, not deleted: deleting a configuration removes its
    // playback endpoint from every asset (https://docs.aws.amazon.com/mediapackage/latest/ug/pkg-cfig-delete.html),
    // and assets get endpoints only for the configurations their group had when they were ingested
    // (https://docs.aws.amazon.com/mediapackage/latest/ug/asset-create.html), so titles published
    // under it keep playing their catalogued URLs. README "Changing packaging settings" says what to do next.
    const configuration = (format: keyof PackagingConfigurationIds, settings: FormatSettings) =>
      new awsnative.mediapackage.PackagingConfiguration(
        `${name}-${format}`,
        {
          awsId: packagingConfigurationId(prefix, format, settings),
          packagingGroupId: group.awsId,
          ...settings,
          tags,
        },
        {
          parent: this,
          provider,
          ignoreChanges: ["tags"],
          // New settings → a new configuration under a new id, created first; the old one is kept in
          // AWS so titles published under it keep their egress endpoints (README "Changing packaging settings").
          replaceOnChanges: ["hlsPackage", "dashPackage", "cmafPackage"],
          retainOnDelete: true,
        },
      ).awsId;
    this.packagingGroupId = group.awsId;
    this.packagingConfigurations = {
      hls: configuration("hls", HLS),
      dash: configuration("dash", DASH),
      cmaf: configuration("cmaf", CMAF),
    };

    const role = new aws.iam.Role(
      `${name}-source-role`,
      {
        description: "MediaPackage VOD reads ingested assets from the output bucket",
        // Only MediaPackage acting for this account, as for the secrets role. MediaPackage's guide
        // documents an aws:SourceArn value only for harvest jobs (mediapackage/latest/ug/
        // cross-service-confused-deputy-prevention.html), none for CreateAsset, so only the account.
        assumeRolePolicy: serviceTrustPolicy("mediapackage.amazonaws.com", actingFor(scope.accountId)),
      },
      child,
    );
    new aws.iam.RolePolicy(
      `${name}-source-policy`,
      { role: role.id, policy: sourceRolePolicy(args.outputBucketArn) },
      child,
    );
    this.sourceRoleArn = role.arn;

    this.registerOutputs({
      packagingGroupId: this.packagingGroupId,
      packagingConfigurations: this.packagingConfigurations,
      sourceRoleArn: this.sourceRoleArn,
      cdnIdentifierSecretArn: this.cdnIdentifierSecretArn,
      egressDomainName: this.egressDomainName,
      region: this.region,
    });
  }
}

type FormatSettings = Pick<
  awsnative.mediapackage.PackagingConfigurationArgs,
  "hlsPackage" | "dashPackage" | "cmafPackage"
>;

/** HLS with TS segments, for every HLS player. */
const HLS: FormatSettings = {
  hlsPackage: {
    segmentDurationSeconds: SEGMENT_SECONDS,
    hlsManifests: [{ manifestName: "index", adMarkers: "NONE", includeIframeOnlyStream: false }],
  },
};

/** MPEG-DASH with a `$Number$` segment timeline. */
const DASH: FormatSettings = {
  dashPackage: {
    segmentDurationSeconds: SEGMENT_SECONDS,
    segmentTemplateFormat: "NUMBER_WITH_TIMELINE",
    dashManifests: [{ manifestName: "index", manifestLayout: "FULL", profile: "NONE" }],
  },
};

/** HLS over fragmented MP4 (CMAF) segments. */
const CMAF: FormatSettings = {
  cmafPackage: {
    segmentDurationSeconds: SEGMENT_SECONDS,
    hlsManifests: [{ manifestName: "index", adMarkers: "NONE", includeIframeOnlyStream: false }],
  },
};

/**
 * Fingerprints (`settingsFingerprint`) of the settings each format was first deployed with, under the
 * plain id `<prefix>-<format>`: a stack deployed before ids followed settings keeps its configurations.
 */
const FIRST_SETTINGS: Readonly<Record<keyof PackagingConfigurationIds, string>> = {
  hls: settingsFingerprint(HLS),
  dash: settingsFingerprint(DASH),
  cmaf: settingsFingerprint(CMAF),
};

/**
 * The id of a format's packaging configuration: `<prefix>-<format>` for the settings it was first
 * deployed with, `<prefix>-<format>-<8 hex of sha256 of the settings>` for any others, so new settings
 * always make a new configuration (MediaPackage VOD cannot edit one) and the same settings always the
 * same id.
 * @example packagingConfigurationId("vod-ingest-dev", "hls", HLS) === "vod-ingest-dev-hls"
 */
export function packagingConfigurationId(
  prefix: string,
  format: keyof PackagingConfigurationIds,
  settings: FormatSettings,
): string {
  const fingerprint = settingsFingerprint(settings);
  return packagingId(prefix, fingerprint === FIRST_SETTINGS[format] ? format : `${format}-${fingerprint}`);
}

/** 8 hex chars of sha256 over the settings as canonical JSON (keys sorted), with the format they are for. */
function settingsFingerprint(settings: FormatSettings): string {
  const canonical = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(canonical)
      : value !== null && typeof value === "object"
        ? Object.fromEntries(
            Object.keys(value)
              .sort()
              .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
          )
        : value;
  return createHash("sha256")
    .update(JSON.stringify(canonical(settings)))
    .digest("hex")
    .slice(0, 8);
}

/** MediaPackage VOD ids: `\A[0-9a-zA-Z-_]+\Z`, 1–256 characters (AWS::MediaPackage::PackagingGroup `Id`). */
export const PACKAGING_ID = /^[0-9A-Za-z_-]{1,256}$/;

/**
 * A packaging group or configuration id: `<prefix>-<suffix>`, checked against MediaPackage's rule.
 * @example packagingId("vod-ingest-dev", "hls") === "vod-ingest-dev-hls"
 */
export function packagingId(prefix: string, suffix: string): string {
  const id = physicalName(prefix, suffix, 256);
  if (!PACKAGING_ID.test(id)) throw new Error(`"${id}" is not a MediaPackage VOD id ([0-9A-Za-z_-], 1–256)`);
  return id;
}

/**
 * The source role's permissions, as "Amazon S3 access for VOD workflows" lists them: GetObject on
 * the assets, and on the bucket GetBucketLocation (same-Region check), GetBucketRequestPayment
 * (no requester-pays) and ListBucket (in the page's policy JSON).
 * https://docs.aws.amazon.com/mediapackage/latest/ug/setting-up-create-trust-rel-policy-vod.html
 */
export function sourceRolePolicy(outputBucketArn: pulumi.Input<string>): pulumi.Output<string> {
  return aws.iam.getPolicyDocumentOutput({
    statements: [
      { sid: "ReadAssets", actions: ["s3:GetObject"], resources: [pulumi.interpolate`${outputBucketArn}/*`] },
      {
        sid: "InspectBucket",
        actions: ["s3:GetBucketLocation", "s3:GetBucketRequestPayment", "s3:ListBucket"],
        resources: [outputBucketArn],
      },
    ],
  }).json;
}

/** The secret MediaPackage reads: `{"MediaPackageCDNIdentifier":"<uuid>"}` (stays secret). */
export function cdnIdentifierSecretString(cdnIdentifier: pulumi.Input<string>): pulumi.Output<string> {
  return pulumi.jsonStringify({ [CDN_IDENTIFIER_SECRET_KEY]: cdnIdentifier });
}

/**
 * The secrets role's permissions as "Secrets Manager access for CDN authorization" lists them,
 * scoped to the one secret and the role itself. ListSecrets has no resource-level permissions
 * (Service Authorization Reference, AWS Secrets Manager), so it is granted on "*"; it returns
 * names and metadata, never values.
 * https://docs.aws.amazon.com/mediapackage/latest/ug/setting-up-create-trust-rel-policy-cdn.html
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssecretsmanager.html
 */
export function cdnAuthRolePolicy(
  secretArn: pulumi.Input<string>,
  roleArn: pulumi.Input<string>,
): pulumi.Output<string> {
  return aws.iam.getPolicyDocumentOutput({
    statements: [
      {
        sid: "ReadCdnIdentifier",
        actions: [
          "secretsmanager:GetSecretValue",
          "secretsmanager:DescribeSecret",
          "secretsmanager:ListSecretVersionIds",
        ],
        resources: [secretArn],
      },
      { sid: "ListSecrets", actions: ["secretsmanager:ListSecrets"], resources: ["*"] },
      { sid: "ReadOwnRole", actions: ["iam:GetRole"], resources: [roleArn] },
      {
        sid: "PassOwnRole",
        actions: ["iam:PassRole"],
        resources: [roleArn],
        // The documented policy has no condition; this one only narrows PassRole to the service
        // that uses the role (first-deploy check in the README).
        conditions: [
          { test: "StringEquals", variable: "iam:PassedToService", values: ["mediapackage.amazonaws.com"] },
        ],
      },
    ],
  }).json;
}

/**
 * The host of a URL: the packaging group's DomainName is `https://<id>.egress.mediapackage-vod.<region>.amazonaws.com`,
 * and a CloudFront origin's domainName must be a bare host (AWS's VOD solution does `new URL(domainName).hostname`).
 * @example hostOf("https://abc.egress.mediapackage-vod.us-east-1.amazonaws.com") === "abc.egress.mediapackage-vod.us-east-1.amazonaws.com"
 */
export function hostOf(domainName: string): string {
  const host = /^https?:\/\//.test(domainName)
    ? new URL(domainName).hostname
    : domainName.replace(/\/.*$/, "");
  if (host === "") throw new Error(`"${domainName}" has no host`);
  return host;
}
