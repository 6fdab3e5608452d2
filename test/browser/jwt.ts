import { createSign, createVerify, generateKeyPairSync, randomUUID } from "node:crypto";

/**
 * An identity provider's signing key and the check API Gateway's HTTP API JWT authorizer makes, for
 * the loopback edge. The authorizer's documented rules
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html):
 * token from `Authorization` (a `Bearer ` prefix is accepted), RS256 signature with a key from the
 * issuer's JWKS (`kid`), `iss` equal to the configured issuer, `aud` — or `client_id` when `aud` is
 * absent — in the configured audiences, `exp` after now, `nbf`/`iat` not after now; otherwise 401.
 */
export interface JwtIssuer {
  readonly issuer: string;
  readonly audience: string;
  /** A Cognito-shaped access token (`token_use: "access"`, `client_id`, `cognito:groups`), valid for `ttlSeconds`. */
  accessToken(claims?: {
    sub?: string;
    groups?: readonly string[];
    ttlSeconds?: number;
    /** Claims to set or replace (e.g. another `iss` or `client_id`, to prove the authorizer refuses them). */
    overrides?: Readonly<Record<string, unknown>>;
  }): string;
}

export type JwtVerdict =
  | { readonly ok: true; readonly claims: Readonly<Record<string, unknown>> }
  | { readonly ok: false; readonly reason: string };

export interface JwtAuthorizer {
  verify(authorization: string | undefined): JwtVerdict;
}

/** A fresh RSA key pair standing in for a user pool: the issuer signs, the authorizer verifies. */
export function testIdentityProvider(
  issuer: string,
  audience: string,
): { issuer: JwtIssuer; authorizer: JwtAuthorizer } {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const kid = randomUUID();
  return {
    issuer: {
      issuer,
      audience,
      accessToken({ sub = "viewer-1", groups = [], ttlSeconds = 3600, overrides = {} } = {}) {
        const now = Math.floor(Date.now() / 1000);
        const header = { alg: "RS256", kid, typ: "JWT" };
        const payload = {
          sub,
          iss: issuer,
          client_id: audience,
          token_use: "access",
          scope: "openid",
          auth_time: now,
          iat: now,
          exp: now + ttlSeconds,
          jti: randomUUID(),
          username: sub,
          ...(groups.length > 0 && { "cognito:groups": groups }),
          ...overrides,
        };
        const signingInput = `${base64Url(JSON.stringify(header))}.${base64Url(JSON.stringify(payload))}`;
        const signature = createSign("RSA-SHA256").update(signingInput).sign(privateKey);
        return `${signingInput}.${base64Url(signature)}`;
      },
    },
    authorizer: {
      verify(authorization) {
        if (authorization === undefined || authorization === "")
          return { ok: false, reason: "no Authorization header" };
        const token = authorization.replace(/^Bearer /, "");
        const [headerPart, payloadPart, signaturePart, extra] = token.split(".");
        if (
          headerPart === undefined ||
          payloadPart === undefined ||
          signaturePart === undefined ||
          extra !== undefined
        ) {
          return { ok: false, reason: "not a JWS compact token" };
        }
        let header: Record<string, unknown>;
        let claims: Record<string, unknown>;
        try {
          header = JSON.parse(Buffer.from(headerPart, "base64url").toString("utf8")) as Record<
            string,
            unknown
          >;
          claims = JSON.parse(Buffer.from(payloadPart, "base64url").toString("utf8")) as Record<
            string,
            unknown
          >;
        } catch {
          return { ok: false, reason: "undecodable token" };
        }
        if (header["alg"] !== "RS256" || header["kid"] !== kid)
          return { ok: false, reason: "unknown key or algorithm" };
        const signed = createVerify("RSA-SHA256")
          .update(`${headerPart}.${payloadPart}`)
          .verify(publicKey, Buffer.from(signaturePart, "base64url"));
        if (!signed) return { ok: false, reason: "bad signature" };
        const now = Math.floor(Date.now() / 1000);
        if (claims["iss"] !== issuer) return { ok: false, reason: "issuer mismatch" };
        const audiences = claims["aud"] !== undefined ? [claims["aud"]].flat() : [claims["client_id"]];
        if (!audiences.includes(audience)) return { ok: false, reason: "audience mismatch" };
        if (typeof claims["exp"] !== "number" || claims["exp"] <= now)
          return { ok: false, reason: "expired" };
        if (typeof claims["nbf"] === "number" && claims["nbf"] > now)
          return { ok: false, reason: "not yet valid" };
        if (typeof claims["iat"] === "number" && claims["iat"] > now + 300)
          return { ok: false, reason: "issued in the future" };
        return { ok: true, claims };
      },
    },
  };
}

/**
 * Claims as a payload 2.0 event carries them in `requestContext.authorizer.jwt.claims`: API Gateway
 * passes every value as a string and flattens arrays to `"[a b]"`
 * (aws-solutions-library-samples/guidance-for-claude-code-with-amazon-bedrock#802, as C1's
 * entitlement.ts notes).
 */
export function authorizerClaims(claims: Readonly<Record<string, unknown>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(claims).map(([name, value]) => [
      name,
      Array.isArray(value) ? `[${value.join(" ")}]` : String(value),
    ]),
  );
}

function base64Url(value: string | Buffer): string {
  return Buffer.from(value).toString("base64url");
}
