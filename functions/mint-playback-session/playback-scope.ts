import type { PlaybackUrls } from "../shared/contract/workflow";

/**
 * Where one title lives on the CDN. MediaPackage VOD egress URLs are
 * `https://<group>.egress.mediapackage-vod.<region>.amazonaws.com/out/v1/<assetHash>/<configurationHash>/<hash>/index.m3u8`;
 * the HLS, DASH and CMAF URLs of one asset share `<assetHash>`, so `/out/v1/<assetHash>/` scopes cookies to one
 * title (DELIVERY.md §1, from public samples — [INFER], trap 16: confirm on the first two real assets). The
 * distribution serves the same paths (video-on-demand-on-aws rewrites only the host), so a CDN URL is the
 * egress URL with the CDN's scheme and host.
 */
export interface PlaybackScope {
  /** `/out/v1/<assetHash>/`: the cookies' `Path` and the prefix every playback URL starts with. */
  readonly pathPrefix: string;
  /** `https://<cdn host>/out/v1/<assetHash>/*`: the custom policy's `Resource`. */
  readonly resource: string;
  /** The playback URLs on the CDN host (never an origin host). */
  readonly playback: PlaybackUrls;
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
 * The URL a viewer plays: the same path and query on the CDN's scheme and host, whatever host the row stored
 * (a MediaPackage egress host today, the CDN host once rows store CDN URLs).
 * @example cdnUrl("https://x.egress…amazonaws.com/out/v1/a/b/c/index.mpd", "https://d111.cloudfront.net")
 * // "https://d111.cloudfront.net/out/v1/a/b/c/index.mpd"
 */
export function cdnUrl(url: string, cdnBaseUrl: string): string {
  const { pathname, search } = new URL(url);
  return new URL(`${pathname}${search}`, cdnBaseUrl).toString();
}

/**
 * Scopes a title's playback to one path prefix on the CDN. Refuses a row whose formats do not share one
 * prefix: a cookie wide enough for all of them would be wider than one title.
 */
export function playbackScope(playback: PlaybackUrls, cdnBaseUrl: string): PlaybackScope {
  const prefixes = new Set([playback.hls, playback.dash, playback.cmaf].map(assetPathPrefix));
  if (prefixes.size !== 1) {
    throw new PlaybackScopeError(
      `playback URLs do not share one /out/v1/<assetHash>/ prefix: ${[...prefixes].join(", ")}`,
    );
  }
  const [pathPrefix] = [...prefixes] as [string];
  const origin = new URL(cdnBaseUrl).origin;
  return {
    pathPrefix,
    resource: `${origin}${pathPrefix}*`,
    playback: {
      hls: cdnUrl(playback.hls, origin),
      dash: cdnUrl(playback.dash, origin),
      cmaf: cdnUrl(playback.cmaf, origin),
    },
  };
}

/** The CloudFront invalidation path that removes every cached object of a title. */
export function invalidationPath(pathPrefix: string): string {
  return `${pathPrefix}*`;
}
