import { createSign, generateKeyPairSync } from "node:crypto";
import {
  cannedPolicy,
  decodeCloudFrontBase64,
  encodeCloudFrontBase64,
  parseCookieHeader,
  resourceMatches,
  verifySignedCookies,
  type KeyGroup,
} from "./signed-cookies";

// Cookies here are made by hand with node:crypto, exactly as CloudFront's OpenSSL recipe does
// (sha1 -sign | base64 | tr '+=/' '-_~'), so the verifier is tested against the documented algorithm.
const CDN = "https://d111111abcdef8.cloudfront.net";
const TITLE_A = `${CDN}/out/v1/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa`;
const TITLE_B = `${CDN}/out/v1/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb`;
const NOW = 1_780_000_000;

const keyPair = (): { publicKey: string; privateKey: string } =>
  generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
  });
const active = keyPair();
const previous = keyPair();
const stranger = keyPair();
const keyGroup: KeyGroup = new Map([
  ["K2ACTIVEKEY000", active.publicKey],
  ["K1PREVIOUSKEY0", previous.publicKey],
]);

function sign(bytes: string, privateKey: string, algorithm = "RSA-SHA1"): string {
  return encodeCloudFrontBase64(createSign(algorithm).update(bytes).sign(privateKey));
}

function customPolicy(resource: string, condition: Record<string, unknown>): string {
  return JSON.stringify({ Statement: [{ Resource: resource, Condition: condition }] });
}

function customCookies(policy: string, keyPairId = "K2ACTIVEKEY000", privateKey = active.privateKey): string {
  return [
    `CloudFront-Policy=${encodeCloudFrontBase64(policy)}`,
    `CloudFront-Signature=${sign(policy, privateKey)}`,
    `CloudFront-Key-Pair-Id=${keyPairId}`,
  ].join("; ");
}

const titleAPolicy = customPolicy(`${TITLE_A}/*`, { DateLessThan: { "AWS:EpochTime": NOW + 300 } });

describe("verifySignedCookies", () => {
  it("allows a custom-policy request inside the policy's Resource before DateLessThan", () => {
    // Prepare
    const request = {
      url: `${TITLE_A}/cfg/x/index.m3u8`,
      cookie: customCookies(titleAPolicy),
      nowEpochSeconds: NOW,
    };

    // Act
    const verdict = verifySignedCookies(request, keyGroup);

    // Assess
    expect(verdict).toEqual({
      allowed: true,
      keyPairId: "K2ACTIVEKEY000",
      policy: { kind: "custom", resource: `${TITLE_A}/*`, dateLessThan: NOW + 300 },
    });
  });

  it("refuses a request with no cookies, naming every missing one", () => {
    // Act
    const verdict = verifySignedCookies({ url: `${TITLE_A}/index.m3u8`, cookie: undefined }, keyGroup);

    // Assess
    expect(verdict).toEqual({
      allowed: false,
      reason: "missing-cookie",
      detail: "no CloudFront-Signature, CloudFront-Key-Pair-Id, CloudFront-Policy or CloudFront-Expires",
    });
  });

  it("refuses cookies whose key-pair id is not in the key group", () => {
    // Prepare
    const cookie = customCookies(titleAPolicy, "K9REMOVEDKEY00", stranger.privateKey);

    // Act
    const verdict = verifySignedCookies(
      { url: `${TITLE_A}/index.m3u8`, cookie, nowEpochSeconds: NOW },
      keyGroup,
    );

    // Assess
    expect(verdict).toMatchObject({ allowed: false, reason: "unknown-key" });
  });

  it("verifies cookies signed with any key in the group, so a rotation keeps old sessions playing", () => {
    // Prepare
    const url = `${TITLE_A}/cfg/x/segment_1.mp4`;
    const withActive = customCookies(titleAPolicy, "K2ACTIVEKEY000", active.privateKey);
    const withPrevious = customCookies(titleAPolicy, "K1PREVIOUSKEY0", previous.privateKey);

    // Act
    const verdicts = [withActive, withPrevious].map(
      (cookie) => verifySignedCookies({ url, cookie, nowEpochSeconds: NOW }, keyGroup).allowed,
    );

    // Assess
    expect(verdicts).toEqual([true, true]);
  });

  it("refuses a signature made with another private key than the key-pair id names", () => {
    // Prepare
    const cookie = customCookies(titleAPolicy, "K2ACTIVEKEY000", stranger.privateKey);

    // Act
    const verdict = verifySignedCookies(
      { url: `${TITLE_A}/index.m3u8`, cookie, nowEpochSeconds: NOW },
      keyGroup,
    );

    // Assess
    expect(verdict).toMatchObject({ allowed: false, reason: "bad-signature" });
  });

  it("refuses a policy edited after signing (wider Resource, same signature)", () => {
    // Prepare
    const widened = customPolicy(`${CDN}/*`, { DateLessThan: { "AWS:EpochTime": NOW + 300 } });
    const cookie = [
      `CloudFront-Policy=${encodeCloudFrontBase64(widened)}`,
      `CloudFront-Signature=${sign(titleAPolicy, active.privateKey)}`,
      "CloudFront-Key-Pair-Id=K2ACTIVEKEY000",
    ].join("; ");

    // Act
    const verdict = verifySignedCookies(
      { url: `${TITLE_B}/index.m3u8`, cookie, nowEpochSeconds: NOW },
      keyGroup,
    );

    // Assess
    expect(verdict).toMatchObject({ allowed: false, reason: "bad-signature" });
  });

  it("refuses one title's cookies on another title's paths", () => {
    // Act
    const verdict = verifySignedCookies(
      { url: `${TITLE_B}/cfg/x/index.m3u8`, cookie: customCookies(titleAPolicy), nowEpochSeconds: NOW },
      keyGroup,
    );

    // Assess
    expect(verdict).toEqual({
      allowed: false,
      reason: "resource-mismatch",
      detail: `${TITLE_B}/cfg/x/index.m3u8 is outside ${TITLE_A}/*`,
    });
  });

  it("refuses from the second DateLessThan names, and allows the second before it", () => {
    // Prepare
    const request = { url: `${TITLE_A}/cfg/x/segment_9.mp4`, cookie: customCookies(titleAPolicy) };

    // Act
    const lastSecond = verifySignedCookies({ ...request, nowEpochSeconds: NOW + 299 }, keyGroup);
    const atExpiry = verifySignedCookies({ ...request, nowEpochSeconds: NOW + 300 }, keyGroup);

    // Assess
    expect(lastSecond.allowed).toBe(true);
    expect(atExpiry).toMatchObject({ allowed: false, reason: "expired" });
  });

  it("honours DateGreaterThan and IpAddress when the policy has them", () => {
    // Prepare
    const policy = customPolicy(`${TITLE_A}/*`, {
      DateLessThan: { "AWS:EpochTime": NOW + 300 },
      DateGreaterThan: { "AWS:EpochTime": NOW - 10 },
      IpAddress: { "AWS:SourceIp": "192.0.2.0/24" },
    });
    const request = { url: `${TITLE_A}/index.mpd`, cookie: customCookies(policy) };

    // Act
    const early = verifySignedCookies(
      { ...request, nowEpochSeconds: NOW - 10, sourceIp: "192.0.2.7" },
      keyGroup,
    );
    const elsewhere = verifySignedCookies(
      { ...request, nowEpochSeconds: NOW, sourceIp: "198.51.100.7" },
      keyGroup,
    );
    const inside = verifySignedCookies({ ...request, nowEpochSeconds: NOW, sourceIp: "192.0.2.7" }, keyGroup);

    // Assess
    expect(early).toMatchObject({ allowed: false, reason: "not-yet-valid" });
    expect(elsewhere).toMatchObject({ allowed: false, reason: "ip-mismatch" });
    expect(inside.allowed).toBe(true);
  });

  it("refuses a custom policy without a numeric DateLessThan even when it is validly signed", () => {
    // Prepare
    const policy = customPolicy(`${TITLE_A}/*`, { DateLessThan: { "AWS:EpochTime": String(NOW + 300) } });

    // Act
    const verdict = verifySignedCookies(
      { url: `${TITLE_A}/index.m3u8`, cookie: customCookies(policy), nowEpochSeconds: NOW },
      keyGroup,
    );

    // Assess
    expect(verdict).toMatchObject({ allowed: false, reason: "malformed-cookie" });
  });

  it("allows a canned cookie for exactly the URL it was signed for, rebuilt from the request", () => {
    // Prepare
    const url = `${TITLE_A}/cfg/x/index.m3u8`;
    const cookie = [
      `CloudFront-Expires=${NOW + 300}`,
      `CloudFront-Signature=${sign(cannedPolicy(url, NOW + 300), active.privateKey)}`,
      "CloudFront-Key-Pair-Id=K2ACTIVEKEY000",
    ].join("; ");

    // Act
    const verdict = verifySignedCookies({ url, cookie, nowEpochSeconds: NOW }, keyGroup);

    // Assess
    expect(verdict).toMatchObject({ allowed: true, policy: { kind: "canned", resource: url } });
  });

  it("refuses a canned cookie signed for a wildcard URL on every real path (trap 1)", () => {
    // Prepare: what getSignedCookies({ url: ".../*", dateLessThan }) makes — a canned policy over the glob.
    const cookie = [
      `CloudFront-Expires=${NOW + 300}`,
      `CloudFront-Signature=${sign(cannedPolicy(`${TITLE_A}/*`, NOW + 300), active.privateKey)}`,
      "CloudFront-Key-Pair-Id=K2ACTIVEKEY000",
    ].join("; ");

    // Act
    const verdicts = [`${TITLE_A}/cfg/x/index.m3u8`, `${TITLE_A}/cfg/x/segment_1.mp4`].map((url) =>
      verifySignedCookies({ url, cookie, nowEpochSeconds: NOW }, keyGroup),
    );

    // Assess
    for (const verdict of verdicts)
      expect(verdict).toMatchObject({ allowed: false, reason: "bad-signature" });
  });

  it("ignores valid cookies on a URL with signed-URL query parameters, as CloudFront does", () => {
    // Act
    const verdict = verifySignedCookies(
      {
        url: `${TITLE_A}/index.m3u8?Expires=1&Signature=x`,
        cookie: customCookies(titleAPolicy),
        nowEpochSeconds: NOW,
      },
      keyGroup,
    );

    // Assess
    expect(verdict).toEqual({
      allowed: false,
      reason: "signed-url-parameters",
      detail: "query has Expires, Signature: judged as a signed URL",
    });
  });

  it("verifies SHA-256 signatures when CloudFront-Hash-Algorithm=SHA256 is sent", () => {
    // Prepare
    const cookie = [
      `CloudFront-Policy=${encodeCloudFrontBase64(titleAPolicy)}`,
      `CloudFront-Signature=${sign(titleAPolicy, active.privateKey, "RSA-SHA256")}`,
      "CloudFront-Key-Pair-Id=K2ACTIVEKEY000",
      "CloudFront-Hash-Algorithm=SHA256",
    ].join("; ");

    // Act
    const sha256 = verifySignedCookies(
      { url: `${TITLE_A}/index.m3u8`, cookie, nowEpochSeconds: NOW },
      keyGroup,
    );
    const asSha1 = verifySignedCookies(
      {
        url: `${TITLE_A}/index.m3u8`,
        cookie: cookie.replace(/; CloudFront-Hash-Algorithm=SHA256$/, ""),
        nowEpochSeconds: NOW,
      },
      keyGroup,
    );

    // Assess
    expect(sha256.allowed).toBe(true);
    expect(asSha1).toMatchObject({ allowed: false, reason: "bad-signature" });
  });
});

describe("decodeCloudFrontBase64", () => {
  it("reverses CloudFront's substitutions, which are not base64url", () => {
    // Prepare: bytes whose base64 holds '+', '/' and '=' padding.
    const bytes = Buffer.from([0xfb, 0xff, 0xbf, 0x01]);
    const encoded = encodeCloudFrontBase64(bytes);

    // Act
    const decoded = decodeCloudFrontBase64(encoded);

    // Assess
    expect(encoded).toBe("-~-~AQ__");
    expect(decoded).toEqual(bytes);
    expect(Buffer.from(encoded, "base64url")).not.toEqual(bytes);
  });
});

describe("resourceMatches", () => {
  it("treats * as any run of characters and ? as exactly one, anchored and case-sensitive", () => {
    expect(resourceMatches(`${TITLE_A}/*`, `${TITLE_A}/cfg/x/index.m3u8`)).toBe(true);
    expect(resourceMatches(`${TITLE_A}/*`, `${TITLE_A}/cfg/x/index.m3u8?aws.manifestfilter=x`)).toBe(true);
    expect(resourceMatches(`${TITLE_A}/*`, `${TITLE_A}`)).toBe(false);
    expect(resourceMatches(`${TITLE_A}/*`, `${TITLE_A.toUpperCase()}/index.m3u8`)).toBe(false);
    expect(resourceMatches("https://d111111abcdef8.cloudfront.net/a?c.mp4", `${CDN}/abc.mp4`)).toBe(true);
    expect(resourceMatches("https://d111111abcdef8.cloudfront.net/a?c.mp4", `${CDN}/ac.mp4`)).toBe(false);
    expect(resourceMatches("http*://d111111abcdef8.cloudfront.net/*", `${CDN}/x`)).toBe(true);
    expect(
      resourceMatches(
        "https://d111111abcdef8.cloudfront.net/a.mp4",
        `https://d111111abcdef8Xcloudfront.net/a.mp4`,
      ),
    ).toBe(false);
  });
});

describe("parseCookieHeader", () => {
  it("splits on ';', trims, keeps '=' inside values and the first of a repeated name", () => {
    // Act
    const cookies = parseCookieHeader("a=1; CloudFront-Policy=eyJ_; a=2;junk; b=x=y");

    // Assess
    expect([...cookies]).toEqual([
      ["a", "1"],
      ["CloudFront-Policy", "eyJ_"],
      ["b", "x=y"],
    ]);
  });
});
