/**
 * Where a title plays: the CDN URLs the catalogue row holds. Viewers only ever get CDN URLs — the
 * MediaPackage egress host refuses requests without the distribution's CDN identifier, and the output
 * bucket admits only the distribution (README "Delivery").
 *
 * The distribution serves MediaPackage's paths unchanged (`/out/v1/<assetHash>/…`, DELIVERY.md section 1;
 * video-on-demand-on-aws also rewrites only the host), and the output bucket's objects at their keys
 * (`/<assetId>/<revision>/cmaf/index.m3u8`), so a CDN URL is the origin URL's path on the CDN's host.
 */

import * as z from "zod/mini";

/**
 * `CDN_BASE_URL`: the viewer-facing origin of the distribution, scheme + host only —
 * `https://d111111abcdef8.cloudfront.net` or `https://cdn.example.com`. Playback URLs and cookie policies are
 * built on it; it must be the host the player requests, because CloudFront matches a policy's Resource
 * against the full URL.
 */
export const CdnBaseUrlSchema = z
  .string()
  .check(z.regex(/^https:\/\/[a-z0-9.-]+(:\d+)?$/i, "must be https://<host> with no path or trailing slash"));

/**
 * The same path and query on the CDN's scheme and host, whatever host `url` has (a MediaPackage egress
 * host, or the CDN host already: the function is idempotent).
 * @example cdnUrl("https://x.egress…amazonaws.com/out/v1/a/b/c/index.mpd", "https://d111.cloudfront.net")
 * // "https://d111.cloudfront.net/out/v1/a/b/c/index.mpd"
 */
export function cdnUrl(url: string, cdnBaseUrl: string): string {
  const { pathname, search } = new URL(url);
  return new URL(`${pathname}${search}`, new URL(cdnBaseUrl).origin).toString();
}

/**
 * The CDN URL of an object in the output bucket (the bucket origin has no origin path).
 * @example bucketObjectCdnUrl("s3://vod-output/talk-1a2b3c4d/0a1b/cmaf/index.m3u8", "https://d111.cloudfront.net")
 * // "https://d111.cloudfront.net/talk-1a2b3c4d/0a1b/cmaf/index.m3u8"
 */
export function bucketObjectCdnUrl(s3Uri: string, cdnBaseUrl: string): string {
  const match = /^s3:\/\/[^/]+\/(.+)$/.exec(s3Uri);
  if (!match) throw new Error(`"${s3Uri}" is not an s3://bucket/key URI`);
  // Keys here are ours (`<assetId>/<revision>/…`, shared/media/output-layout.ts): no character needs encoding.
  return new URL(`/${match[1]}`, new URL(cdnBaseUrl).origin).toString();
}

/**
 * The path every output-bucket object of a title starts with: `/<assetId>/` (output-layout.ts puts all
 * revisions of an asset under it). Asset ids end in `-<8 hex>`, so it never overlaps `/out/`, `/auth/`
 * or `/viewer/`.
 */
export function bucketPathPrefix(assetId: string): string {
  return `/${assetId}/`;
}
