/**
 * OAuth 2.0 authorization code grant with PKCE (RFC 7636) against the Cognito Hosted UI / managed
 * login: the page is a public client (no secret), so PKCE is what stops an intercepted code from
 * being redeemed. Cognito supports only `S256`: code_challenge = base64url(SHA-256(code_verifier)).
 * https://docs.aws.amazon.com/cognito/latest/developerguide/using-pkce-in-authorization-code.html
 *
 * Pure apart from Web Crypto (present in browsers and Node.js), so it is unit-tested under Node.js.
 */

/** A fresh code verifier: 32 random bytes, base64url (43 chars of `[A-Za-z0-9_-]`, RFC 7636 §4.1). */
export function newCodeVerifier(): string {
  return base64Url(crypto.getRandomValues(new Uint8Array(32)));
}

/** A fresh `state` value tying the redirect back to the request this tab made. */
export function newState(): string {
  return base64Url(crypto.getRandomValues(new Uint8Array(16)));
}

/**
 * The S256 code challenge of a verifier.
 * @example await codeChallenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk") // "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM" (RFC 7636 appendix B)
 */
export async function codeChallenge(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
  return base64Url(new Uint8Array(digest));
}

export interface AuthorizeRequest {
  readonly authDomain: string;
  readonly clientId: string;
  readonly redirectUri: string;
  readonly scopes: readonly string[];
  readonly state: string;
  readonly challenge: string;
}

/**
 * The `GET /oauth2/authorize` URL that starts sign-in.
 * https://docs.aws.amazon.com/cognito/latest/developerguide/authorization-endpoint.html
 */
export function authorizeUrl(request: AuthorizeRequest): string {
  const query = new URLSearchParams({
    response_type: "code",
    client_id: request.clientId,
    redirect_uri: request.redirectUri,
    scope: request.scopes.join(" "),
    state: request.state,
    code_challenge: request.challenge,
    code_challenge_method: "S256",
  });
  return `${request.authDomain}/oauth2/authorize?${query.toString()}`;
}

/**
 * Body of `POST /oauth2/token` (`application/x-www-form-urlencoded`) redeeming a code; a public
 * client sends `client_id` in the body and no Authorization header.
 * https://docs.aws.amazon.com/cognito/latest/developerguide/token-endpoint.html
 */
export function codeRedemptionBody(
  clientId: string,
  redirectUri: string,
  code: string,
  verifier: string,
): string {
  return new URLSearchParams({
    grant_type: "authorization_code",
    client_id: clientId,
    code,
    redirect_uri: redirectUri,
    code_verifier: verifier,
  }).toString();
}

/** Body of `POST /oauth2/token` renewing the ID and access tokens with the refresh token. */
export function refreshBody(clientId: string, refreshToken: string): string {
  return new URLSearchParams({
    grant_type: "refresh_token",
    client_id: clientId,
    refresh_token: refreshToken,
  }).toString();
}

/** Tokens the token endpoint returns (`expires_in` in seconds; no refresh token on a refresh grant). */
export interface TokenResponse {
  readonly access_token: string;
  readonly id_token?: string;
  readonly refresh_token?: string;
  readonly expires_in: number;
  readonly token_type: string;
}

/** Narrows a token endpoint response; throws when it lacks an access token. */
export function parseTokenResponse(body: unknown): TokenResponse {
  const raw = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
  if (typeof raw["access_token"] !== "string" || typeof raw["expires_in"] !== "number") {
    throw new Error("token endpoint answered without access_token/expires_in");
  }
  return raw as unknown as TokenResponse;
}

function base64Url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}
