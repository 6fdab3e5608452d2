import { getSignedCookies } from "@aws-sdk/cloudfront-signer";
import { verifySignedCookies } from "../../test/edge/signed-cookies";
import publishedRow from "./events/catalogue-row-published.json";
import { decideSession, sessionCookies, sessionPolicy, type SessionRow } from "./mint-playback-session";
import { rsaKeyPair, testEnv } from "./test-support";

const CDN = "https://d111111abcdef8.cloudfront.net";
const HASH = "6644b55df1744261ab3732a8e5cdaf07";
const NOW = 1_780_000_000;
const row = publishedRow as SessionRow;
const viewer = { sub: "aaaaaaaa-bbbb-cccc-dddd-example00001" };

describe("sessionPolicy", () => {
  it("is one whitespace-free statement with the wildcard Resource and DateLessThan in epoch seconds", () => {
    expect(sessionPolicy(`${CDN}/out/v1/${HASH}/*`, NOW + 300)).toBe(
      `{"Statement":[{"Resource":"${CDN}/out/v1/${HASH}/*","Condition":{"DateLessThan":{"AWS:EpochTime":${NOW + 300}}}}]}`,
    );
  });

  it("is what makes the signer's cookies work: its url form silently yields a canned policy CloudFront refuses", () => {
    // Prepare
    const key = rsaKeyPair();
    const keyGroup = new Map([["K2ACTIVEKEY000", key.publicKey]]);
    const resource = `${CDN}/out/v1/${HASH}/*`;
    const segment = `${CDN}/out/v1/${HASH}/904b/f5b2/index_1_00001.ts`;
    const credentials = { keyPairId: "K2ACTIVEKEY000", privateKey: key.privateKey };
    const asHeader = (cookies: object) =>
      Object.entries(cookies)
        .filter(([, value]) => value !== undefined)
        .map(([name, value]) => `${name}=${String(value)}`)
        .join("; ");

    // Act
    const canned = getSignedCookies({
      ...credentials,
      url: resource,
      dateLessThan: new Date((NOW + 300) * 1000),
    });
    const custom = getSignedCookies({ ...credentials, policy: sessionPolicy(resource, NOW + 300) });

    // Assess
    expect(canned["CloudFront-Policy"]).toBeUndefined();
    expect(
      verifySignedCookies({ url: segment, cookie: asHeader(canned), nowEpochSeconds: NOW }, keyGroup),
    ).toMatchObject({
      allowed: false,
      reason: "bad-signature",
    });
    expect(
      verifySignedCookies({ url: segment, cookie: asHeader(custom), nowEpochSeconds: NOW }, keyGroup).allowed,
    ).toBe(true);
  });
});

describe("sessionCookies", () => {
  it("writes the three cookies host-only, path-scoped, Secure, HttpOnly, SameSite=Lax and without expiry", () => {
    // Act
    const cookies = sessionCookies(
      {
        "CloudFront-Policy": "eyJ_",
        "CloudFront-Signature": "c2l-",
        "CloudFront-Key-Pair-Id": "K2ACTIVEKEY000",
      },
      `/out/v1/${HASH}/`,
    );

    // Assess
    expect(cookies).toEqual([
      `CloudFront-Policy=eyJ_; Path=/out/v1/${HASH}/; Secure; HttpOnly; SameSite=Lax`,
      `CloudFront-Signature=c2l-; Path=/out/v1/${HASH}/; Secure; HttpOnly; SameSite=Lax`,
      `CloudFront-Key-Pair-Id=K2ACTIVEKEY000; Path=/out/v1/${HASH}/; Secure; HttpOnly; SameSite=Lax`,
    ]);
  });

  it("refuses signer output without a policy (a canned cookie set)", () => {
    expect(() =>
      sessionCookies(
        { "CloudFront-Signature": "c2l-", "CloudFront-Key-Pair-Id": "K2ACTIVEKEY000" } as never,
        "/out/v1/a/",
      ),
    ).toThrow("signer returned no CloudFront-Policy");
  });
});

describe("decideSession", () => {
  it("grants a published title to a signed-in viewer", () => {
    expect(decideSession(row, viewer, testEnv)).toMatchObject({
      outcome: "granted",
      scope: { pathPrefix: `/out/v1/${HASH}/` },
    });
  });

  it("hides every title that is not playable behind one not-found", () => {
    const outcomes = [
      undefined,
      { ...row, status: "FAILED" as const },
      { ...row, status: "PACKAGING" as const },
      { ...row, unpublishedAt: "2026-12-03T08:00:00.000Z" },
    ].map((candidate) => decideSession(candidate, viewer, testEnv).outcome);
    expect(outcomes).toEqual(["not-found", "not-found", "not-found", "not-found"]);
  });

  it("forbids a title with an entitlement the viewer's claim lacks", () => {
    expect(decideSession({ ...row, entitlement: "premium" }, viewer, testEnv).outcome).toBe("forbidden");
  });
});
