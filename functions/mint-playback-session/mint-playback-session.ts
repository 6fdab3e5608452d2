import { getSignedCookies } from "@aws-sdk/cloudfront-signer";
import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { isAssetId } from "../shared/contract/asset-id";
import type { CatalogueRow } from "../shared/catalogue/row";
import type { CmafGroupUrls } from "../shared/contract/workflow";
import { describe, isTransient } from "../shared/runtime/errors";
import { logger } from "../shared/runtime/powertools";
import { isEntitled, type JwtClaims } from "./entitlement";
import type { MintPlaybackSessionEnv } from "./env";
import { playbackScope, PlaybackScopeError, type PlaybackScope } from "./playback-scope";
import { SigningKeyUnavailableError, type SigningKey } from "./signing-key";

/** The catalogue attributes a session needs (the GetItem projection). */
export type SessionRow = Pick<
  CatalogueRow,
  "assetId" | "status" | "playback" | "cmafGroup" | "unpublishedAt" | "entitlement"
>;
export const SESSION_ROW_ATTRIBUTES = [
  "assetId",
  "status",
  "playback",
  "cmafGroup",
  "unpublishedAt",
  "entitlement",
] as const satisfies readonly (keyof SessionRow)[];

/** What the handler takes from the API Gateway event. */
export interface SessionRequest {
  /** `pathParameters.assetId` of `POST /auth/v1/{assetId}/session`, unvalidated. */
  readonly assetId: string | undefined;
  /** `requestContext.authorizer.jwt.claims`, already verified by the route's JWT authorizer. */
  readonly claims: JwtClaims | undefined;
}

/** The I/O a session needs, injected so the logic runs without AWS. */
export interface SessionDependencies {
  readRow(assetId: string): Promise<SessionRow | undefined>;
  readSigningKey(): Promise<SigningKey>;
  /** Epoch seconds. */
  now(): number;
}

/**
 * The 200 body. `hls`, `dash`, `cmaf` are CDN URLs under the cookies' path; `expiresAt` is the policy's
 * `DateLessThan` (epoch seconds); the player asks for a new session after `refreshAfterSeconds`, well before
 * CloudFront refuses the next segment (it checks expiry on every request, DELIVERY.md trap 3).
 */
export interface PlaybackSession {
  readonly assetId: string;
  readonly hls: string;
  readonly dash: string;
  readonly cmaf: string;
  /** The CMAF group's HLS and DASH manifests, served from the output bucket (rows published since delivery). */
  readonly cmafGroup?: CmafGroupUrls;
  readonly expiresAt: number;
  readonly refreshAfterSeconds: number;
}

/** Share of the cookie lifetime after which the player refreshes (240 s of 300 s). */
const REFRESH_AT_FRACTION = 0.8;
/** Seconds a viewer should wait after a throttled catalogue or secret read. */
const RETRY_AFTER_SECONDS = 1;

/**
 * What a title's row allows: a session scope, or the status the viewer gets. Unknown, unpublished and
 * not-yet-published titles are all "not-found", so the API never reveals which titles exist.
 */
export type SessionDecision =
  | { readonly outcome: "granted"; readonly scope: PlaybackScope }
  | { readonly outcome: "not-found"; readonly why: string }
  | { readonly outcome: "forbidden"; readonly why: string };

/** The entitlement rule applied to one row (pure; see entitlement.ts for the rule). */
export function decideSession(
  row: SessionRow | undefined,
  claims: JwtClaims,
  env: Pick<MintPlaybackSessionEnv, "CDN_BASE_URL" | "ENTITLEMENT_CLAIM">,
): SessionDecision {
  if (row === undefined) return { outcome: "not-found", why: "no catalogue row" };
  if (row.status !== "PUBLISHED") return { outcome: "not-found", why: `status ${row.status}` };
  if (row.unpublishedAt !== undefined)
    return { outcome: "not-found", why: `unpublished at ${row.unpublishedAt}` };
  if (!isEntitled(row.entitlement, claims, env.ENTITLEMENT_CLAIM)) {
    return {
      outcome: "forbidden",
      why: `claim ${env.ENTITLEMENT_CLAIM} lacks entitlement ${row.entitlement}`,
    };
  }
  if (row.playback === undefined) throw new PlaybackScopeError("PUBLISHED row has no playback URLs");
  const bucket = row.cmafGroup && { assetId: row.assetId, cmafGroup: row.cmafGroup };
  return { outcome: "granted", scope: playbackScope(row.playback, env.CDN_BASE_URL, bucket) };
}

/**
 * The custom policy for one title: every URL under its prefix, until `expiresAt`. Always a custom policy
 * with an explicit wildcard Resource: a canned policy is checked against the exact requested URL, so a
 * wildcard in it never matches (DELIVERY.md trap 1).
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-setting-signed-cookie-custom-policy.html
 * @example sessionPolicy("https://d111.cloudfront.net/out/v1/6644…/*", 1780000300)
 * // '{"Statement":[{"Resource":"https://d111.cloudfront.net/out/v1/6644…/*","Condition":{"DateLessThan":{"AWS:EpochTime":1780000300}}}]}'
 */
export function sessionPolicy(resource: string, expiresAt: number): string {
  return JSON.stringify({
    Statement: [{ Resource: resource, Condition: { DateLessThan: { "AWS:EpochTime": expiresAt } } }],
  });
}

/**
 * The three `Set-Cookie` values (API Gateway payload 2.0 `cookies`, one header each). Host-only (no
 * `Domain`), path-scoped to the title so several titles' cookies coexist, session cookies (no
 * `Expires`/`Max-Age`, as CloudFront recommends), `Secure; HttpOnly; SameSite=Lax`.
 */
export function sessionCookies(
  signed: Pick<
    ReturnType<typeof getSignedCookies>,
    "CloudFront-Policy" | "CloudFront-Signature" | "CloudFront-Key-Pair-Id"
  >,
  pathPrefix: string,
): string[] {
  const attributes = `Path=${pathPrefix}; Secure; HttpOnly; SameSite=Lax`;
  return (["CloudFront-Policy", "CloudFront-Signature", "CloudFront-Key-Pair-Id"] as const).map((name) => {
    const value = signed[name];
    if (value === undefined || value === "") throw new Error(`signer returned no ${name}`);
    return `${name}=${value}; ${attributes}`;
  });
}

/**
 * `POST /auth/v1/{assetId}/session`: checks the id, the viewer and the title, then mints custom-policy
 * cookies scoped to that one title.
 *
 * | status | when |
 * |---|---|
 * | 200 | minted: `cookies`, body `PlaybackSession` |
 * | 400 | the path's asset id is not an asset id |
 * | 401 | no verified JWT claims (the route's authorizer normally answers first) |
 * | 403 | signed in, but not entitled to this title |
 * | 404 | no such title, not published yet, or unpublished — one answer for all |
 * | 503 | catalogue or Secrets Manager throttled/unavailable (`Retry-After`) |
 * | 500 | the deployment is wrong: secret unreadable or malformed, row not scopable, catalogue denied |
 */
export function makeMintPlaybackSession(env: MintPlaybackSessionEnv, deps: SessionDependencies) {
  return async function mintPlaybackSession(
    request: SessionRequest,
  ): Promise<APIGatewayProxyStructuredResultV2> {
    const { assetId, claims } = request;
    // Every line of this invocation names the title asked for (cut short: a malformed id can be anything;
    // "(none)" because the logger drops empty values).
    logger.appendKeys({
      assetId: assetId === undefined || assetId === "" ? "(none)" : assetId.slice(0, 160),
    });
    if (claims === undefined || typeof claims.sub !== "string" || claims.sub === "") {
      logger.warn("session refused: no verified JWT claims", { status: 401 });
      return failure(401, "Sign in to watch this title.");
    }
    logger.appendKeys({ viewer: claims.sub });
    if (!isAssetId(assetId)) {
      logger.warn("session refused: malformed asset id", { status: 400 });
      return failure(400, "That is not an asset id.");
    }

    let row: SessionRow | undefined;
    try {
      row = await deps.readRow(assetId);
    } catch (error) {
      return backendFailure("catalogue read failed", error, isTransient(error));
    }

    let decision: SessionDecision;
    try {
      decision = decideSession(row, claims, env);
    } catch (error) {
      // PlaybackScopeError, or a stored URL that does not parse: the row is wrong, not the request.
      return backendFailure("catalogue row cannot be scoped to one title", error, false);
    }
    if (decision.outcome === "not-found") {
      logger.info("session refused: no playable title", { status: 404, why: decision.why });
      return failure(404, "No such title.");
    }
    if (decision.outcome === "forbidden") {
      logger.info("session refused: not entitled", { status: 403, why: decision.why });
      return failure(403, "Your account is not entitled to this title.");
    }

    let key: SigningKey;
    try {
      key = await deps.readSigningKey();
    } catch (error) {
      const retryable = error instanceof SigningKeyUnavailableError ? error.retryable : isTransient(error);
      return backendFailure("signing key unavailable", error, retryable);
    }

    const { scope } = decision;
    const ttl = env.COOKIE_TTL_SECONDS;
    const expiresAt = deps.now() + ttl;
    let cookies: string[];
    try {
      // One cookie set per scope: MediaPackage's paths, and the output bucket's when the row lists the CMAF group.
      cookies = [scope, ...(scope.cmafGroup ? [scope.cmafGroup] : [])].flatMap(({ resource, pathPrefix }) =>
        // `policy`, never `url` + `dateLessThan`: that form yields a canned policy (trap 1).
        sessionCookies(
          getSignedCookies({
            policy: sessionPolicy(resource, expiresAt),
            keyPairId: key.keyPairId,
            privateKey: key.privateKey,
          }),
          pathPrefix,
        ),
      );
    } catch (error) {
      // node:crypto names the decoder that failed, never the key's bytes.
      return backendFailure("signing failed (is privateKey an RSA PEM?)", error, false);
    }
    const session: PlaybackSession = {
      assetId,
      ...scope.playback,
      ...(scope.cmafGroup && { cmafGroup: scope.cmafGroup.urls }),
      expiresAt,
      refreshAfterSeconds: Math.floor(ttl * REFRESH_AT_FRACTION),
    };
    // The key-pair id is public (it names a key in the key group) and says which key signed during a rotation.
    logger.info("session minted", {
      status: 200,
      scope: scope.resource,
      ...(scope.cmafGroup && { cmafGroupScope: scope.cmafGroup.resource }),
      expiresAt,
      keyPairId: key.keyPairId,
    });
    return {
      statusCode: 200,
      headers: { "cache-control": "no-store", "content-type": "application/json" },
      cookies,
      body: JSON.stringify(session),
    };
  };
}

/** A 500 (deployment) or 503 (throttled, retry) with a log line naming the cause; never the secret. */
function backendFailure(what: string, error: unknown, retryable: boolean): APIGatewayProxyStructuredResultV2 {
  const status = retryable ? 503 : 500;
  logger.error(`session failed: ${what}`, { status, cause: describe(error) });
  return retryable
    ? failure(503, "Playback is busy; try again shortly.", { "retry-after": String(RETRY_AFTER_SECONDS) })
    : failure(500, "Playback is unavailable.");
}

function failure(
  statusCode: number,
  message: string,
  headers: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode,
    headers: { "cache-control": "no-store", "content-type": "application/json", ...headers },
    body: JSON.stringify({ message }),
  };
}
