import { createSign, generateKeyPairSync } from "node:crypto";
import { authorizerClaims, testIdentityProvider } from "./jwt";

const ISSUER = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Example";
const CLIENT_ID = "viewerclient0123456789";

/** A token with the right header shape, signed by `key`, carrying `claims`. */
function forge(
  claims: Record<string, unknown>,
  key = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey,
  kid = "x",
): string {
  const part = (value: object): string => Buffer.from(JSON.stringify(value)).toString("base64url");
  const input = `${part({ alg: "RS256", kid, typ: "JWT" })}.${part(claims)}`;
  return `${input}.${createSign("RSA-SHA256").update(input).sign(key).toString("base64url")}`;
}

describe("the loopback JWT authorizer", () => {
  const { issuer, authorizer } = testIdentityProvider(ISSUER, CLIENT_ID);

  it("accepts the issuer's access token and passes its claims", () => {
    // Act
    const verdict = authorizer.verify(
      `Bearer ${issuer.accessToken({ sub: "viewer-9", groups: ["premium"] })}`,
    );

    // Assess
    expect(verdict).toMatchObject({
      ok: true,
      claims: { sub: "viewer-9", client_id: CLIENT_ID, "cognito:groups": ["premium"] },
    });
  });

  it.each([
    ["no header", undefined, "no Authorization header"],
    ["an expired token", `Bearer ${issuer.accessToken({ ttlSeconds: -1 })}`, "expired"],
    [
      "a token signed by another key",
      `Bearer ${forge({ iss: ISSUER, client_id: CLIENT_ID, exp: 9e9 })}`,
      "unknown key or algorithm",
    ],
    ["garbage", "Bearer abc.def", "not a JWS compact token"],
  ])("refuses %s", (_case, header, reason) => {
    expect(authorizer.verify(header)).toEqual({ ok: false, reason });
  });

  it.each([
    [
      "another issuer",
      { iss: "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other" },
      "issuer mismatch",
    ],
    ["another app client", { client_id: "anotherclient" }, "audience mismatch"],
    ["an ID token for another audience", { aud: "anotherclient" }, "audience mismatch"],
    ["a token not valid yet", { nbf: Math.floor(Date.now() / 1000) + 600 }, "not yet valid"],
  ])("refuses a token from %s, though signed by the right key", (_case, overrides, reason) => {
    expect(authorizer.verify(`Bearer ${issuer.accessToken({ overrides })}`)).toEqual({ ok: false, reason });
  });

  it("accepts an ID token whose aud is the client (client_id is then not consulted)", () => {
    const token = issuer.accessToken({
      overrides: { aud: CLIENT_ID, client_id: undefined, token_use: "id" },
    });
    expect(authorizer.verify(token)).toMatchObject({ ok: true });
  });

  it("flattens claims the way a payload 2.0 event carries them", () => {
    expect(authorizerClaims({ sub: "v", exp: 1700000000, "cognito:groups": ["a", "b"] })).toEqual({
      sub: "v",
      exp: "1700000000",
      "cognito:groups": "[a b]",
    });
  });
});
