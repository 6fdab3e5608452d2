import { generateKeyPairSync } from "node:crypto";
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { logger } from "../shared/runtime/powertools";
import type { MintPlaybackSessionEnv } from "./env";
import sessionRequest from "./events/session-request.json";

/** The deployment the mint-playback-session tests run against. */
export const testEnv: MintPlaybackSessionEnv = {
  CATALOGUE_TABLE: "vod-ingest-catalogue",
  SIGNING_KEY_SECRET_ARN: "arn:aws:secretsmanager:us-east-1:123456789012:secret:playback-signing-key-AbCdEf",
  CDN_BASE_URL: "https://d111111abcdef8.cloudfront.net",
  COOKIE_TTL_SECONDS: 300,
  ENTITLEMENT_CLAIM: "cognito:groups",
};

/** A fresh RSA 2048 key pair, as CloudFront key groups take them (PEM; PKCS#8 private, SPKI public). */
export function rsaKeyPair(): { publicKey: string; privateKey: string } {
  return generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
  });
}

/**
 * The documented payload-2.0 event (events/session-request.json), cloned, for another title or viewer;
 * `claims: null` removes the authorizer context altogether.
 */
export function sessionEvent(
  assetId: string | undefined = sessionRequest.pathParameters.assetId,
  claims: Record<string, string | string[]> | null = sessionRequest.requestContext.authorizer.jwt.claims,
): APIGatewayProxyEventV2WithJWTAuthorizer {
  const event = structuredClone(sessionRequest) as unknown as APIGatewayProxyEventV2WithJWTAuthorizer;
  const mutable = event as { pathParameters?: Record<string, string>; rawPath: string };
  mutable.pathParameters = assetId === undefined ? undefined : { assetId };
  mutable.rawPath = `/auth/v1/${assetId}/session`;
  if (claims === null) {
    delete (event.requestContext as { authorizer?: unknown }).authorizer;
  } else {
    event.requestContext.authorizer.jwt.claims = claims;
  }
  return event;
}

/**
 * What a browser sends back on a request for `url`: the `name=value` pairs of the `Set-Cookie` lines whose
 * `Path` path-matches the URL's path (RFC 6265 §5.1.4: the Path ends in "/" and prefixes the request path).
 * So with two cookie sets, only the set for that origin's paths goes along.
 */
export function cookieHeader(response: APIGatewayProxyStructuredResultV2, url: string): string {
  const { pathname } = new URL(url);
  return (response.cookies ?? [])
    .filter((cookie) => {
      const path = /;\s*Path=([^;]+)/i.exec(cookie)?.[1] ?? "/";
      return pathname === path || pathname.startsWith(path.endsWith("/") ? path : `${path}/`);
    })
    .map((cookie) => cookie.split(";")[0])
    .join("; ");
}

/** Every line the shared logger prints from now on, parsed; `stop()` restores stdout/stderr. */
export function captureLogs(): {
  lines: () => Record<string, unknown>[];
  raw: () => string;
  stop: () => void;
} {
  const chunks: string[] = [];
  const capture = (chunk: unknown): boolean => {
    chunks.push(String(chunk));
    return true;
  };
  const out = jest.spyOn(process.stdout, "write").mockImplementation(capture);
  const err = jest.spyOn(process.stderr, "write").mockImplementation(capture);
  // Powertools may write through the global console (jest's own, not process streams) for some levels.
  const consoles = (["log", "info", "warn", "error", "debug"] as const).map((level) =>
    jest
      .spyOn(console, level)
      .mockImplementation((...args: unknown[]) => void capture(`${args.join(" ")}\n`)),
  );
  process.env.POWERTOOLS_LOG_LEVEL = "DEBUG";
  logger.setLogLevel("DEBUG");
  return {
    raw: () => chunks.join(""),
    lines: () =>
      chunks
        .join("")
        .split("\n")
        .filter((line) => line.trim() !== "")
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    stop: () => {
      out.mockRestore();
      err.mockRestore();
      for (const spy of consoles) spy.mockRestore();
    },
  };
}
