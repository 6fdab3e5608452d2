/**
 * The viewer page's runtime configuration: a small JSON document served beside the page
 * (`/viewer/config.json`), written by the stack at deploy time, so one built page works for every
 * stack and the page never hard-codes a pool, a client or a route.
 *
 * Pure (no DOM, no Node.js): the page parses it, infra and tests build it with the same type.
 *
 * @example
 * {
 *   "authDomain": "https://vod-dev.auth.us-east-1.amazoncognito.com",
 *   "clientId": "1example23456789",
 *   "redirectUri": "https://cdn.example.com/viewer/index.html",
 *   "sessionPath": "/auth/v1/{assetId}/session"
 * }
 */
export interface ViewerConfig {
  /**
   * Base URL of the Cognito Hosted UI / managed login domain (`https://<prefix>.auth.<region>.amazoncognito.com`
   * or a custom domain); a bare host gets `https://`. Absent: the page does not sign in, and the session
   * API answers 401, which the page shows.
   */
  readonly authDomain?: string;
  /** The user pool app client (public, no secret) the page signs in with; required with `authDomain`. */
  readonly clientId?: string;
  /** Where the Hosted UI sends the viewer back: this page's URL, registered as a callback URL of the client. */
  readonly redirectUri?: string;
  /** OAuth scopes requested at sign-in (default `openid`). */
  readonly scopes?: readonly string[];
  /** Path template of the entitlement API, same origin as the page; `{assetId}` is replaced. */
  readonly sessionPath: string;
  /**
   * Seconds of media the players fetch ahead of the playhead. Absent: each player's default (30 s).
   * Every prefetched segment is billed CDN egress, and with short cookies a smaller buffer keeps
   * requests spread across the session's lifetime.
   */
  readonly bufferAheadSeconds?: number;
}

/** Where the page fetches its configuration, relative to its own origin. */
export const VIEWER_CONFIG_PATH = "/viewer/config.json";

/** The entitlement route of issue 11, as the page calls it (API Gateway route `POST /auth/v1/{assetId}/session`). */
export const DEFAULT_SESSION_PATH = "/auth/v1/{assetId}/session";

/** Thrown when the configuration document is not what the page needs. */
export class ViewerConfigError extends Error {
  override readonly name = "ViewerConfigError";
}

/**
 * Validates the configuration document; throws ViewerConfigError naming the first bad field.
 * @example parseViewerConfig({ sessionPath: "/auth/v1/{assetId}/session" }).authDomain // undefined
 */
export function parseViewerConfig(document: unknown): ViewerConfig {
  if (typeof document !== "object" || document === null || Array.isArray(document)) {
    throw new ViewerConfigError("viewer config must be a JSON object");
  }
  const raw = document as Record<string, unknown>;
  const text = (field: string): string | undefined => {
    const value = raw[field];
    if (value === undefined || value === null || value === "") return undefined;
    if (typeof value !== "string") throw new ViewerConfigError(`viewer config: ${field} must be a string`);
    return value;
  };
  const sessionPath = text("sessionPath") ?? DEFAULT_SESSION_PATH;
  if (!sessionPath.startsWith("/") || !sessionPath.includes("{assetId}")) {
    throw new ViewerConfigError("viewer config: sessionPath must be an absolute path containing {assetId}");
  }
  const authDomain = text("authDomain");
  const clientId = text("clientId");
  const redirectUri = text("redirectUri");
  if (authDomain !== undefined && (clientId === undefined || redirectUri === undefined)) {
    throw new ViewerConfigError("viewer config: authDomain needs clientId and redirectUri");
  }
  const scopes = raw["scopes"];
  if (
    scopes !== undefined &&
    !(Array.isArray(scopes) && scopes.every((s) => typeof s === "string" && s !== ""))
  ) {
    throw new ViewerConfigError("viewer config: scopes must be a list of strings");
  }
  const buffer = raw["bufferAheadSeconds"];
  if (buffer !== undefined && !(typeof buffer === "number" && Number.isFinite(buffer) && buffer > 0)) {
    throw new ViewerConfigError("viewer config: bufferAheadSeconds must be a positive number");
  }
  return {
    sessionPath,
    ...(authDomain !== undefined && { authDomain: withScheme(authDomain) }),
    ...(clientId !== undefined && { clientId }),
    ...(redirectUri !== undefined && { redirectUri }),
    ...(scopes !== undefined && { scopes: scopes as string[] }),
    ...(buffer !== undefined && { bufferAheadSeconds: buffer }),
  };
}

/**
 * The session endpoint for one title, relative to the page's origin.
 * @example sessionPathFor({ sessionPath: "/auth/v1/{assetId}/session" }, "talk-1a2b3c4d") // "/auth/v1/talk-1a2b3c4d/session"
 */
export function sessionPathFor(config: Pick<ViewerConfig, "sessionPath">, assetId: string): string {
  return config.sessionPath.replace("{assetId}", encodeURIComponent(assetId));
}

function withScheme(domain: string): string {
  const base = /^https?:\/\//.test(domain) ? domain : `https://${domain}`;
  return base.replace(/\/+$/, "");
}
