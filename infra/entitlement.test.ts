import { ACCOUNT_ID, outputOf, REGION, setupPulumiMocks } from "../test/pulumi/mocks";
import {
  apiCors,
  EntitlementApi,
  hostedUiPrefix,
  SESSION_ROUTE_KEY,
  SessionRoute,
  sessionSourceArn,
  ViewerSignIn,
} from "./entitlement";

const mocks = setupPulumiMocks();

beforeEach(() => mocks.reset());

const SESSION_FUNCTION = {
  arn: `arn:aws:lambda:${REGION}:${ACCOUNT_ID}:function:vod-mint-playback-session`,
  name: "vod-mint-playback-session",
};

describe("EntitlementApi", () => {
  it("creates an HTTP API whose $default stage is auto-deployed, throttled and access-logged", async () => {
    // Act
    const api = new EntitlementApi("vod-entitlement", {
      playerOrigins: [],
      throttle: { rateLimit: 50, burstLimit: 100 },
      logRetentionDays: 30,
    });
    await mocks.settle();

    // Assess
    const resource = mocks.resourceNamed("vod-entitlement-api");
    expect(resource.inputs.protocolType).toBe("HTTP");
    expect(resource.inputs.corsConfiguration).toBeUndefined();
    const stage = mocks.resourceNamed("vod-entitlement-stage").inputs;
    expect(stage).toMatchObject({
      apiId: resource.id,
      name: "$default",
      autoDeploy: true,
      defaultRouteSettings: {
        throttlingRateLimit: 50,
        throttlingBurstLimit: 100,
        detailedMetricsEnabled: true,
      },
    });
    expect(stage.accessLogSettings.destinationArn).toBe(
      mocks.resourceNamed("vod-entitlement-access-log").state.arn,
    );
    expect(stage.accessLogSettings.format).not.toMatch(/authorization|cookie/i);
    expect(mocks.resourceNamed("vod-entitlement-access-log").inputs.retentionInDays).toBe(30);
    expect(await outputOf(api.originDomainName)).toBe(`${resource.id}.execute-api.${REGION}.amazonaws.com`);
    expect(await outputOf(api.executionArn)).toBe(resource.state.executionArn);
  });

  it("allows the exact player origins with credentials, POST only", async () => {
    // Act
    new EntitlementApi("vod-entitlement", {
      playerOrigins: ["https://app.example.com"],
      throttle: { rateLimit: 50, burstLimit: 100 },
      logRetentionDays: 30,
    });
    await mocks.settle();

    // Assess
    expect(mocks.resourceNamed("vod-entitlement-api").inputs.corsConfiguration).toEqual({
      allowOrigins: ["https://app.example.com"],
      allowCredentials: true,
      allowMethods: ["POST"],
      allowHeaders: ["authorization", "content-type"],
      maxAge: 600,
    });
  });
});

describe("apiCors", () => {
  it("refuses a wildcard origin", () => {
    expect(() => apiCors(["*"])).toThrow("exact origins");
  });
});

describe("ViewerSignIn", () => {
  it("creates an invite-only user pool, a public code-flow client for the viewer page, and a Hosted UI domain", async () => {
    // Act
    const signIn = new ViewerSignIn("vod-viewers", {
      issuer: "",
      audiences: [],
      callbackUrls: ["https://d111111abcdef8.cloudfront.net/viewer/index.html"],
    });
    await mocks.settle();

    // Assess
    const pool = mocks.resourceNamed("vod-viewers-user-pool");
    expect(pool.inputs.adminCreateUserConfig).toEqual({ allowAdminCreateUserOnly: true });
    const client = mocks.resourceNamed("vod-viewers-viewer-client");
    expect(client.inputs).toMatchObject({
      userPoolId: pool.id,
      generateSecret: false,
      allowedOauthFlows: ["code"],
      allowedOauthScopes: ["openid", "email"],
      callbackUrls: ["https://d111111abcdef8.cloudfront.net/viewer/index.html"],
    });
    const domain = mocks.resourceNamed("vod-viewers-domain").inputs.domain as string;
    expect(domain).toMatch(/^vod-ingest-dev-[0-9a-f]{8}$/);
    expect(await outputOf(signIn.issuer)).toBe(`https://cognito-idp.${REGION}.amazonaws.com/${pool.id}`);
    expect(await outputOf(signIn.audiences)).toEqual([client.id]);
    expect(await outputOf(signIn.hostedUiUrl!)).toBe(`https://${domain}.auth.${REGION}.amazoncognito.com`);
  });

  it("creates nothing when an existing issuer and audiences are configured", async () => {
    // Act
    const signIn = new ViewerSignIn("vod-viewers", {
      issuer: "https://login.example.com/",
      audiences: ["player"],
      callbackUrls: [],
    });
    await mocks.settle();

    // Assess
    expect(mocks.resources.filter((r) => r.custom)).toEqual([]);
    expect(await outputOf(signIn.issuer)).toBe("https://login.example.com/");
    expect(await outputOf(signIn.audiences)).toEqual(["player"]);
    expect(signIn.hostedUiUrl).toBeUndefined();
  });
});

describe("hostedUiPrefix", () => {
  it("keeps a plain marker and removes words Cognito reserves", () => {
    expect(hostedUiPrefix("vod-ingest-dev")).toBe("vod-ingest-dev");
    expect(hostedUiPrefix("my_AWS_cognito-stack")).toBe("my-x-x-stack");
  });
});

describe("SessionRoute", () => {
  it("puts POST /auth/v1/{assetId}/session behind the JWT authorizer and the session function", async () => {
    // Act
    new SessionRoute("vod-session", {
      apiId: "a1b2c3d4e5",
      executionArn: `arn:aws:execute-api:${REGION}:${ACCOUNT_ID}:a1b2c3d4e5`,
      issuer: `https://cognito-idp.${REGION}.amazonaws.com/${REGION}_abc`,
      audiences: ["client123"],
      sessionFunction: SESSION_FUNCTION,
    });
    await mocks.settle();

    // Assess
    const authorizer = mocks.resourceNamed("vod-session-authorizer");
    expect(authorizer.inputs).toMatchObject({
      apiId: "a1b2c3d4e5",
      authorizerType: "JWT",
      identitySources: ["$request.header.Authorization"],
      jwtConfiguration: {
        issuer: `https://cognito-idp.${REGION}.amazonaws.com/${REGION}_abc`,
        audiences: ["client123"],
      },
    });
    const integration = mocks.resourceNamed("vod-session-integration");
    expect(integration.inputs).toMatchObject({
      integrationType: "AWS_PROXY",
      integrationUri: SESSION_FUNCTION.arn,
      payloadFormatVersion: "2.0",
    });
    expect(mocks.resourceNamed("vod-session-route").inputs).toMatchObject({
      routeKey: SESSION_ROUTE_KEY,
      authorizationType: "JWT",
      authorizerId: authorizer.id,
      target: `integrations/${integration.id}`,
    });
    expect(SESSION_ROUTE_KEY).toBe("POST /auth/v1/{assetId}/session");
  });

  it("lets API Gateway invoke the function from this API's session route only", async () => {
    // Act
    new SessionRoute("vod-session", {
      apiId: "a1b2c3d4e5",
      executionArn: `arn:aws:execute-api:${REGION}:${ACCOUNT_ID}:a1b2c3d4e5`,
      issuer: "https://login.example.com/",
      audiences: ["player"],
      sessionFunction: SESSION_FUNCTION,
    });
    await mocks.settle();

    // Assess
    expect(mocks.resourceNamed("vod-session-invoke").inputs).toEqual({
      action: "lambda:InvokeFunction",
      function: SESSION_FUNCTION.name,
      principal: "apigateway.amazonaws.com",
      sourceArn: `arn:aws:execute-api:${REGION}:${ACCOUNT_ID}:a1b2c3d4e5/*/POST/auth/v1/*/session`,
    });
    expect(await outputOf(sessionSourceArn("arn:x"))).toBe("arn:x/*/POST/auth/v1/*/session");
  });
});
