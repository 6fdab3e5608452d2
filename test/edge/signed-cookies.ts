/**
 * A stand-in for CloudFront's signed-cookie check on a behavior with `trustedKeyGroups`: given the
 * request URL and its `Cookie` header, decide what CloudFront would decide, and say why when it refuses.
 * Test-side code (CloudFront does this in production); dependency-free, `node:crypto` only, so it proves
 * cookies by CloudFront's documented algorithm and not by the library that signed them.
 *
 * The rules, from the CloudFront Developer Guide:
 * - Custom policy: cookies `CloudFront-Policy`, `CloudFront-Signature`, `CloudFront-Key-Pair-Id`; the policy
 *   is one statement with `Resource` (`*` = zero or more characters, `?` = exactly one, anywhere) and a
 *   `Condition` with `DateLessThan` (required), `DateGreaterThan` and `IpAddress` (optional), epoch seconds.
 *   https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-setting-signed-cookie-custom-policy.html
 * - Canned policy: `CloudFront-Expires` instead of `CloudFront-Policy`; CloudFront rebuilds
 *   `{"Statement":[{"Resource":"<requested URL>","Condition":{"DateLessThan":{"AWS:EpochTime":<Expires>}}}]}`
 *   from the request and checks the signature against that — so a canned signature made for a wildcard URL
 *   never matches a real request (DELIVERY.md trap 1).
 *   https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-setting-signed-cookie-canned-policy.html
 * - Encoding: base64 with `+`→`-`, `=`→`_`, `/`→`~` (not base64url); the signature is RSA-SHA1 over the
 *   policy bytes, or SHA-256 when the optional `CloudFront-Hash-Algorithm=SHA256` cookie is sent.
 *   https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-linux-openssl.html
 * - Expiry is checked on every request, so a segment fetched after `DateLessThan` is refused.
 *   https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-signed-cookies.html
 * - A URL with the query parameters `Expires`, `Policy`, `Signature` or `Key-Pair-Id` is judged as a signed URL
 *   and its cookies are ignored (DELIVERY.md trap 15); this stand-in verifies no signed URLs, so it refuses them.
 *   https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-choosing-signed-urls-cookies.html
 *
 * @example
 * const verdict = verifySignedCookies(
 *   { url: "https://d111.cloudfront.net/out/v1/abc/def/ghi/index.m3u8", cookie: req.headers.cookie },
 *   new Map([["K2JCJMDEHXQW5F", publicKeyPem]]),
 * );
 * if (!verdict.allowed) res.writeHead(403).end(verdict.reason);
 */
import { createVerify } from "node:crypto";
import { isIPv4 } from "node:net";

/** The trusted key group: CloudFront public key id (the `CloudFront-Key-Pair-Id` value) → public key PEM. */
export type KeyGroup = ReadonlyMap<string, string>;

/** Why CloudFront would refuse the request (each is a 403 at the edge). */
export type RefusalReason =
  /** `CloudFront-Signature`, `CloudFront-Key-Pair-Id`, or both `CloudFront-Policy` and `CloudFront-Expires` absent. */
  | "missing-cookie"
  /** The key-pair id is not in the key group (never added, or removed by a rotation). */
  | "unknown-key"
  /** Undecodable values, or a policy that is not one statement with a Resource and a numeric DateLessThan. */
  | "malformed-cookie"
  /** The signature does not verify over the policy bytes with the key group's public key. */
  | "bad-signature"
  /** The policy's `Resource` glob does not match the requested URL. */
  | "resource-mismatch"
  /** Now is at or after `DateLessThan`. */
  | "expired"
  /** Now is at or before `DateGreaterThan`. */
  | "not-yet-valid"
  /** The viewer's address is outside the policy's `IpAddress` range (or is not IPv4). */
  | "ip-mismatch"
  /** The URL carries signed-URL query parameters, so CloudFront would ignore the cookies. */
  | "signed-url-parameters";

/** A request as the edge sees it. */
export interface EdgeRequest {
  /** The full URL the viewer asked for, scheme and host included: `https://d111.cloudfront.net/out/v1/…`. */
  readonly url: string;
  /** The raw `Cookie` request header (several headers may be joined with `; `). */
  readonly cookie: string | undefined;
  /** The viewer's IPv4 address; only consulted when the policy has an `IpAddress` condition. */
  readonly sourceIp?: string;
  /** The time of the request, epoch seconds (default: now). */
  readonly nowEpochSeconds?: number;
}

/** The policy statement that the cookies carry (custom) or that the request implies (canned). */
export interface SignedPolicy {
  readonly kind: "custom" | "canned";
  readonly resource: string;
  readonly dateLessThan: number;
  readonly dateGreaterThan?: number;
  readonly sourceIp?: string;
}

export type CookieVerdict =
  | { readonly allowed: true; readonly keyPairId: string; readonly policy: SignedPolicy }
  | { readonly allowed: false; readonly reason: RefusalReason; readonly detail: string };

export const COOKIE = {
  policy: "CloudFront-Policy",
  expires: "CloudFront-Expires",
  signature: "CloudFront-Signature",
  keyPairId: "CloudFront-Key-Pair-Id",
  hashAlgorithm: "CloudFront-Hash-Algorithm",
} as const;

/** Query parameters that make CloudFront treat a request as a signed URL (and ignore its cookies). */
const SIGNED_URL_PARAMETERS = ["Expires", "Policy", "Signature", "Key-Pair-Id"] as const;

/** Checks a request's signed cookies the way CloudFront documents it (see the module comment). */
export function verifySignedCookies(request: EdgeRequest, keyGroup: KeyGroup): CookieVerdict {
  const signedUrlParameters = SIGNED_URL_PARAMETERS.filter((name) =>
    new URL(request.url).searchParams.has(name),
  );
  if (signedUrlParameters.length > 0) {
    return refuse(
      "signed-url-parameters",
      `query has ${signedUrlParameters.join(", ")}: judged as a signed URL`,
    );
  }
  const cookies = parseCookieHeader(request.cookie);
  const now = request.nowEpochSeconds ?? Math.floor(Date.now() / 1000);
  const signature = cookies.get(COOKIE.signature);
  const keyPairId = cookies.get(COOKIE.keyPairId);
  const encodedPolicy = cookies.get(COOKIE.policy);
  const expires = cookies.get(COOKIE.expires);
  if (
    signature === undefined ||
    keyPairId === undefined ||
    (encodedPolicy === undefined && expires === undefined)
  ) {
    const absent: string[] = [COOKIE.signature, COOKIE.keyPairId].filter((name) => !cookies.has(name));
    if (encodedPolicy === undefined && expires === undefined)
      absent.push(`${COOKIE.policy} or ${COOKIE.expires}`);
    return refuse("missing-cookie", `no ${absent.join(", ")}`);
  }
  const publicKey = keyGroup.get(keyPairId);
  if (publicKey === undefined)
    return refuse("unknown-key", `key-pair id ${keyPairId} is not in the key group`);

  const algorithm = cookies.get(COOKIE.hashAlgorithm) ?? "SHA1";
  if (algorithm !== "SHA1" && algorithm !== "SHA256") {
    return refuse("malformed-cookie", `${COOKIE.hashAlgorithm} ${algorithm} is neither SHA1 nor SHA256`);
  }

  // A custom policy is signed as sent; a canned one is rebuilt from the requested URL.
  let policyBytes: Buffer;
  if (encodedPolicy !== undefined) {
    policyBytes = decodeCloudFrontBase64(encodedPolicy);
  } else {
    if (!/^\d+$/.test(expires!)) return refuse("malformed-cookie", `${COOKIE.expires} is not epoch seconds`);
    policyBytes = Buffer.from(cannedPolicy(request.url, Number(expires)), "utf8");
  }

  const verifier = createVerify(algorithm === "SHA256" ? "RSA-SHA256" : "RSA-SHA1");
  verifier.update(policyBytes);
  let verified: boolean;
  try {
    verified = verifier.verify(publicKey, decodeCloudFrontBase64(signature));
  } catch (error) {
    return refuse("malformed-cookie", `signature could not be checked: ${(error as Error).message}`);
  }
  if (!verified) {
    return refuse(
      "bad-signature",
      `signature does not verify with key ${keyPairId} over the ${policyKind(encodedPolicy)} policy`,
    );
  }

  const policy =
    encodedPolicy === undefined ? cannedStatement(request.url, Number(expires)) : parsePolicy(policyBytes);
  if (typeof policy === "string") return refuse("malformed-cookie", policy);

  if (!resourceMatches(policy.resource, request.url)) {
    return refuse("resource-mismatch", `${request.url} is outside ${policy.resource}`);
  }
  if (now >= policy.dateLessThan)
    return refuse("expired", `now ${now} is not before DateLessThan ${policy.dateLessThan}`);
  if (policy.dateGreaterThan !== undefined && now <= policy.dateGreaterThan) {
    return refuse("not-yet-valid", `now ${now} is not after DateGreaterThan ${policy.dateGreaterThan}`);
  }
  if (policy.sourceIp !== undefined && !ipInRange(request.sourceIp, policy.sourceIp)) {
    return refuse("ip-mismatch", `${request.sourceIp ?? "no address"} is outside ${policy.sourceIp}`);
  }
  return { allowed: true, keyPairId, policy };
}

/**
 * Reverses CloudFront's base64 substitutions (`-`→`+`, `_`→`=`, `~`→`/`) and decodes. Not base64url:
 * base64url would map `_` to `/` and drops padding, which CloudFront keeps as `_`.
 */
export function decodeCloudFrontBase64(value: string): Buffer {
  return Buffer.from(value.replace(/-/g, "+").replace(/_/g, "=").replace(/~/g, "/"), "base64");
}

/** CloudFront's base64 (the inverse of `decodeCloudFrontBase64`), for tests that hand-make cookies. */
export function encodeCloudFrontBase64(bytes: Buffer | string): string {
  return Buffer.from(bytes).toString("base64").replace(/\+/g, "-").replace(/=/g, "_").replace(/\//g, "~");
}

/**
 * Matches a policy `Resource` against a full URL: `*` is zero or more characters, `?` exactly one, all other
 * characters literal and case-sensitive, anchored at both ends.
 */
export function resourceMatches(resource: string, url: string): boolean {
  const pattern = resource
    .split("")
    .map((char) => (char === "*" ? ".*" : char === "?" ? "." : char.replace(/[\\^$.|+()[\]{}]/g, "\\$&")))
    .join("");
  return new RegExp(`^${pattern}$`, "s").test(url);
}

/**
 * The `Cookie` header as name → value; a name sent twice (two cookie paths both matching) keeps its first
 * value, which is the one with the longer path in browsers' ordering (RFC 6265 §5.4).
 */
export function parseCookieHeader(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const pair of (header ?? "").split(";")) {
    const at = pair.indexOf("=");
    if (at < 0) continue;
    const name = pair.slice(0, at).trim();
    if (name !== "" && !cookies.has(name)) cookies.set(name, pair.slice(at + 1).trim());
  }
  return cookies;
}

/** The policy CloudFront rebuilds for a canned cookie: the requested URL as Resource, whitespace-free. */
export function cannedPolicy(url: string, expiresEpochSeconds: number): string {
  return JSON.stringify({
    Statement: [{ Resource: url, Condition: { DateLessThan: { "AWS:EpochTime": expiresEpochSeconds } } }],
  });
}

function cannedStatement(url: string, expires: number): SignedPolicy {
  return { kind: "canned", resource: url, dateLessThan: expires };
}

/** A custom policy's single statement, or a sentence saying what is wrong with it. */
function parsePolicy(bytes: Buffer): SignedPolicy | string {
  let document: unknown;
  try {
    document = JSON.parse(bytes.toString("utf8"));
  } catch {
    return `${COOKIE.policy} is not JSON`;
  }
  const statements = (document as { Statement?: unknown }).Statement;
  if (!Array.isArray(statements) || statements.length !== 1) return "policy must hold exactly one Statement";
  const { Resource: resource, Condition: condition } = statements[0] as {
    Resource?: unknown;
    Condition?: unknown;
  };
  if (typeof resource !== "string" || !/^https?:\/\//.test(resource)) {
    return "policy Resource must be a URL starting http:// or https://";
  }
  const c = (condition ?? {}) as Record<string, Record<string, unknown> | undefined>;
  const dateLessThan = c.DateLessThan?.["AWS:EpochTime"];
  const dateGreaterThan = c.DateGreaterThan?.["AWS:EpochTime"];
  const sourceIp = c.IpAddress?.["AWS:SourceIp"];
  if (!Number.isInteger(dateLessThan))
    return "policy DateLessThan AWS:EpochTime must be integer epoch seconds";
  if (dateGreaterThan !== undefined && !Number.isInteger(dateGreaterThan)) {
    return "policy DateGreaterThan AWS:EpochTime must be integer epoch seconds";
  }
  if (sourceIp !== undefined && typeof sourceIp !== "string")
    return "policy IpAddress AWS:SourceIp must be a string";
  return {
    kind: "custom",
    resource,
    dateLessThan: dateLessThan as number,
    ...(dateGreaterThan === undefined ? {} : { dateGreaterThan: dateGreaterThan as number }),
    ...(sourceIp === undefined ? {} : { sourceIp }),
  };
}

/** IPv4 only: CloudFront documents no IPv6 support for `AWS:SourceIp`; a bare address means /32. */
function ipInRange(ip: string | undefined, cidr: string): boolean {
  const [base, bitsText = "32"] = cidr.split("/");
  const bits = Number(bitsText);
  if (ip === undefined || !isIPv4(ip) || base === undefined || !isIPv4(base) || !(bits >= 0 && bits <= 32)) {
    return false;
  }
  const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
  return (ipv4ToNumber(ip) & mask) >>> 0 === (ipv4ToNumber(base) & mask) >>> 0;
}

function ipv4ToNumber(ip: string): number {
  return ip.split(".").reduce((n, octet) => (n << 8) + Number(octet), 0) >>> 0;
}

function policyKind(encodedPolicy: string | undefined): string {
  return encodedPolicy === undefined ? "canned (rebuilt from the request URL)" : "custom";
}

function refuse(reason: RefusalReason, detail: string): CookieVerdict {
  return { allowed: false, reason, detail };
}
