/**
 * MediaPackage VOD's CDN authorization (the origin lock): the packaging group serves egress requests only
 * when this header carries the value stored under this key in the group's Secrets Manager secret, and
 * answers 403 otherwise. The distribution adds the header (infra/delivery.ts); the runner's MediaPackage
 * stand-in enforces the same rule (test/runner/fakes/mediapackage-vod.ts).
 * (MediaPackage v2 uses X-MediaPackageV2-CDNIdentifier / MediaPackageV2CDNIdentifier; not ours.)
 * https://docs.aws.amazon.com/mediapackage/latest/ug/cdn-auth.html (archived v1 guide, cdn-auth.md)
 */
export const CDN_IDENTIFIER_HEADER = "X-MediaPackage-CDNIdentifier";
/** The key of the secret's JSON that MediaPackage reads. */
export const CDN_IDENTIFIER_SECRET_KEY = "MediaPackageCDNIdentifier";
