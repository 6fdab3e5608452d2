import { CDN_IDENTIFIER_HEADER } from "../../../infra/lib/origin-lock";
import type { EgressResponse, MediaPackageVodFake } from "./mediapackage-vod";
import { EGRESS_ORIGIN } from "./mediapackage-vod";
import type { S3Fake } from "./s3";

/** Which origin answered a viewer's request, and how. */
export interface CdnResponse {
  readonly status: number;
  readonly origin: "mediapackage" | "output-bucket";
  readonly reason?: string;
}

/**
 * The distribution's origin routing (infra/delivery.ts), without the cookie gate (that is proven by
 * test/edge/ and test/browser/): `/out/v1/*` goes to the MediaPackage egress host with the CDN identifier
 * as an origin custom header; everything else to the output bucket through origin access control. The
 * path is passed unchanged in both cases (no origin path), which is why a row's CDN URL is the origin
 * URL's path on the CDN host.
 */
export class DistributionFake {
  constructor(
    private readonly cdnBaseUrl: string,
    private readonly origins: {
      readonly mediaPackage: MediaPackageVodFake;
      readonly cdnIdentifier: string;
      readonly s3: S3Fake;
      readonly outputBucket: string;
    },
  ) {}

  /** A viewer's GET on a CDN URL. */
  get(url: string): CdnResponse {
    const { origin, pathname } = new URL(url);
    if (origin !== new URL(this.cdnBaseUrl).origin) {
      throw new Error(`${url} is not on the distribution (${this.cdnBaseUrl})`);
    }
    if (pathname.startsWith("/out/v1/")) {
      const answer: EgressResponse = this.origins.mediaPackage.egress(`${EGRESS_ORIGIN}${pathname}`, {
        [CDN_IDENTIFIER_HEADER]: this.origins.cdnIdentifier,
      });
      return {
        status: answer.status,
        origin: "mediapackage",
        ...(answer.reason && { reason: answer.reason }),
      };
    }
    // OAC signs the request; without s3:ListBucket a missing key is 403, as S3 answers.
    const stored = this.origins.s3.latest(this.origins.outputBucket, decodeURIComponent(pathname.slice(1)));
    return stored
      ? { status: 200, origin: "output-bucket" }
      : { status: 403, origin: "output-bucket", reason: "AccessDenied (no such key)" };
  }
}
