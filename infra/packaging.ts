import * as aws from "@pulumi/aws";
import * as awsnative from "@pulumi/aws-native";
import * as pulumi from "@pulumi/pulumi";
import { SEGMENT_SECONDS } from "../functions/shared/media/segments";
import { awsScope, physicalName, sanitise, serviceTrustPolicy, stackMarker } from "./functions";

/** Inputs of the MediaPackage VOD side of the stack. */
export interface PackagingArgs {
  /** The bucket MediaPackage ingests assets from (the output bucket's ARN). */
  readonly outputBucketArn: pulumi.Input<string>;
  /** Prefix of the packaging group and configuration ids; default: the stack marker. */
  readonly idPrefix?: string;
}

/** Playback formats, one packaging configuration each; register-asset gets their ids as JSON. */
export interface PackagingConfigurationIds {
  readonly hls: pulumi.Output<string>;
  readonly dash: pulumi.Output<string>;
  readonly cmaf: pulumi.Output<string>;
}

/** Segment length of every packaged format: the segments the MediaConvert job cuts (one fact for both). */
export { SEGMENT_SECONDS };

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
    const native = { parent: this, provider, deleteBeforeReplace: true };

    const group = new awsnative.mediapackage.PackagingGroup(
      `${name}-group`,
      { awsId: packagingId(prefix, "vod") },
      native,
    );
    const configuration = (format: keyof PackagingConfigurationIds, settings: FormatSettings) =>
      new awsnative.mediapackage.PackagingConfiguration(
        `${name}-${format}`,
        { awsId: packagingId(prefix, format), packagingGroupId: group.awsId, ...settings },
        native,
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
        assumeRolePolicy: serviceTrustPolicy("mediapackage.amazonaws.com"),
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
