import {
  authorizeUrl,
  codeChallenge,
  codeRedemptionBody,
  newCodeVerifier,
  parseTokenResponse,
  refreshBody,
} from "./pkce";

describe("PKCE", () => {
  it("derives the S256 challenge of RFC 7636's appendix B example", async () => {
    expect(await codeChallenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")).toBe(
      "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
    );
  });

  it("makes fresh 43-character verifiers from the unreserved alphabet", () => {
    const verifiers = new Set(Array.from({ length: 20 }, () => newCodeVerifier()));
    expect(verifiers.size).toBe(20);
    for (const verifier of verifiers) expect(verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it("asks the Hosted UI for a code with an S256 challenge", () => {
    // Act
    const url = new URL(
      authorizeUrl({
        authDomain: "https://auth.example.com",
        clientId: "client1",
        redirectUri: "https://cdn.example.com/viewer/index.html",
        scopes: ["openid", "email"],
        state: "s1",
        challenge: "c1",
      }),
    );

    // Assess
    expect(url.origin + url.pathname).toBe("https://auth.example.com/oauth2/authorize");
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: "code",
      client_id: "client1",
      redirect_uri: "https://cdn.example.com/viewer/index.html",
      scope: "openid email",
      state: "s1",
      code_challenge: "c1",
      code_challenge_method: "S256",
    });
  });

  it("redeems a code and a refresh token as a public client (client_id in the body, no secret)", () => {
    expect(
      Object.fromEntries(new URLSearchParams(codeRedemptionBody("client1", "https://r/", "code1", "v1"))),
    ).toEqual({
      grant_type: "authorization_code",
      client_id: "client1",
      code: "code1",
      redirect_uri: "https://r/",
      code_verifier: "v1",
    });
    expect(Object.fromEntries(new URLSearchParams(refreshBody("client1", "rt1")))).toEqual({
      grant_type: "refresh_token",
      client_id: "client1",
      refresh_token: "rt1",
    });
  });

  it("refuses a token answer without an access token", () => {
    expect(() => parseTokenResponse({ id_token: "x", expires_in: 3600 })).toThrow("access_token");
  });
});
