import { bucketPathPrefix, cdnUrl } from "../shared/catalogue/playback-urls";
import type { CmafGroupUrls, PlaybackUrls } from "../shared/contract/workflow";

/**
 * Where one title lives on the CDN. MediaPackage VOD egress URLs are
 * `https://<group>.egress.mediapackage-vod.<region>.amazonaws.com/out/v1/<assetHash>/<configurationHash>/<hash>/index.m3u8`;
 * the HLS, DASH and CMAF URLs of one asset share `<assetHash>`, so `/out/v1/<assetHash>/` scopes cookies to one
 * title (DELIVERY.md §1, from public samples — [INFER], trap 16: confirm on the first two real assets). The
 * distribution serves the same paths (shared/catalogue/playback-urls.ts).
 */
export interface PlaybackScope {
  /** `/out/v1/<assetHash>/`: the cookies' `Path` and the prefix every playback URL starts with. */
  readonly pathPrefix: string;
  /** `https://<cdn host>/out/v1/<assetHash>/*`: the custom policy's `Resource`. */
  readonly resource: string;
  /** The playback URLs on the CDN host (never an origin host). */
  readonly playback: PlaybackUrls;
  /** The CMAF group served from the output bucket, when the row lists it: its own cookie scope. */
  readonly cmafGroup?: CookieScope & { readonly urls: CmafGroupUrls };
}

/** One cookie set's reach: the cookies' `Path` and the custom policy's `Resource`. */
export interface CookieScope {
  readonly pathPrefix: string;
  readonly resource: string;
}

/** A row whose playback URLs cannot be scoped to one title: a data bug, never a viewer's fault. */
export class PlaybackScopeError extends Error {
  override readonly name = "PlaybackScopeError";
}

/** `/out/v1/<hash>/…`: the hash is MediaPackage's hex id, 32 characters in every sample (lengths tolerated). */
const ASSET_PATH = /^\/out\/v1\/([0-9a-f]{8,64})\/[^?#]+$/;

/**
 * The per-title path prefix of one playback URL.
 * @example assetPathPrefix("https://x.egress.mediapackage-vod.us-east-1.amazonaws.com/out/v1/6644b55d…/904b…/f5b2…/index.m3u8")
 * // "/out/v1/6644b55d…/"
 */
export function assetPathPrefix(url: string): string {
  const path = new URL(url).pathname;
  const match = ASSET_PATH.exec(path);
  if (!match) throw new PlaybackScopeError(`playback URL path ${path} is not /out/v1/<assetHash>/…`);
  return `/out/v1/${match[1]}/`;
}

/**
 * Scopes a title's playback to its paths on the CDN: one cookie scope for MediaPackage's formats
 * (`/out/v1/<assetHash>/`) and, when the row lists the CMAF group, one for the output bucket's
 * `/<assetId>/` (a custom policy has exactly one Resource, so each needs its own cookie set; the browser
 * sends only the set whose Path matches). Refuses a row whose URLs leave those prefixes: a cookie wide
 * enough for them would be wider than one title.
 */
export function playbackScope(
  playback: PlaybackUrls,
  cdnBaseUrl: string,
  bucket?: { readonly assetId: string; readonly cmafGroup: CmafGroupUrls },
): PlaybackScope {
  const prefixes = new Set([playback.hls, playback.dash, playback.cmaf].map(assetPathPrefix));
  if (prefixes.size !== 1) {
    throw new PlaybackScopeError(
      `playback URLs do not share one /out/v1/<assetHash>/ prefix: ${[...prefixes].join(", ")}`,
    );
  }
  const [pathPrefix] = [...prefixes] as [string];
  const origin = new URL(cdnBaseUrl).origin;
  const scope: PlaybackScope = {
    pathPrefix,
    resource: `${origin}${pathPrefix}*`,
    // Rows published before delivery hold egress URLs; cdnUrl moves them (and leaves CDN URLs as they are).
    playback: {
      hls: cdnUrl(playback.hls, origin),
      dash: cdnUrl(playback.dash, origin),
      cmaf: cdnUrl(playback.cmaf, origin),
    },
  };
  if (bucket === undefined) return scope;
  const bucketPrefix = bucketPathPrefix(bucket.assetId);
  for (const url of [bucket.cmafGroup.hls, bucket.cmafGroup.dash]) {
    if (!new URL(url).pathname.startsWith(bucketPrefix)) {
      throw new PlaybackScopeError(`CMAF group URL ${url} is outside the title's ${bucketPrefix}`);
    }
  }
  return {
    ...scope,
    cmafGroup: {
      pathPrefix: bucketPrefix,
      resource: `${origin}${bucketPrefix}*`,
      urls: { hls: cdnUrl(bucket.cmafGroup.hls, origin), dash: cdnUrl(bucket.cmafGroup.dash, origin) },
    },
  };
}

/** The CloudFront invalidation path that removes every cached object of a title. */
export function invalidationPath(pathPrefix: string): string {
  return `${pathPrefix}*`;
}
