import { loadEnv, type MintPlaybackSessionEnvVars } from "./env";

const deployed: MintPlaybackSessionEnvVars = {
  CATALOGUE_TABLE: "vod-ingest-catalogue",
  SIGNING_KEY_SECRET_ARN: "arn:aws:secretsmanager:us-east-1:123456789012:secret:playback-signing-key-AbCdEf",
  CDN_BASE_URL: "https://cdn.example.com",
};

describe("loadEnv", () => {
  it("defaults the cookie lifetime to 300 s and the entitlement claim to cognito:groups", () => {
    expect(loadEnv(deployed)).toEqual({
      ...deployed,
      COOKIE_TTL_SECONDS: 300,
      ENTITLEMENT_CLAIM: "cognito:groups",
    });
  });

  it("reads COOKIE_TTL_SECONDS and ENTITLEMENT_CLAIM when set", () => {
    expect(loadEnv({ ...deployed, COOKIE_TTL_SECONDS: "600", ENTITLEMENT_CLAIM: "plan" })).toMatchObject({
      COOKIE_TTL_SECONDS: 600,
      ENTITLEMENT_CLAIM: "plan",
    });
  });

  it("names every bad variable: a CDN URL with a path, a missing table, a TTL below a minute", () => {
    // Act
    const act = () =>
      loadEnv({
        ...deployed,
        CATALOGUE_TABLE: undefined,
        CDN_BASE_URL: "https://cdn.example.com/",
        COOKIE_TTL_SECONDS: "5",
      });

    // Assess
    expect(act).toThrow(
      /CATALOGUE_TABLE: .*; CDN_BASE_URL: must be https:\/\/<host>.*; COOKIE_TTL_SECONDS: /,
    );
  });
});
