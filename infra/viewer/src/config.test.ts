import { parseViewerConfig, sessionPathFor, ViewerConfigError } from "./config";

describe("parseViewerConfig", () => {
  it("accepts the document the stack writes and adds https:// to a bare Hosted UI host", () => {
    // Prepare
    const document = {
      authDomain: "vod-dev.auth.us-east-1.amazoncognito.com",
      clientId: "1example23456789",
      redirectUri: "https://cdn.example.com/viewer/index.html",
      sessionPath: "/auth/v1/{assetId}/session",
    };

    // Act
    const config = parseViewerConfig(document);

    // Assess
    expect(config).toEqual({ ...document, authDomain: "https://vod-dev.auth.us-east-1.amazoncognito.com" });
  });

  it("defaults the session path and leaves sign-in off when no Hosted UI is configured", () => {
    expect(parseViewerConfig({})).toEqual({ sessionPath: "/auth/v1/{assetId}/session" });
  });

  it.each([
    [[], "must be a JSON object"],
    [{ sessionPath: "auth/v1/session" }, "sessionPath"],
    [{ authDomain: "https://auth.example.com" }, "needs clientId and redirectUri"],
    [{ clientId: 7 }, "clientId must be a string"],
    [{ scopes: ["openid", ""] }, "scopes"],
    [{ bufferAheadSeconds: 0 }, "bufferAheadSeconds"],
  ])("refuses %j naming the problem", (document, problem) => {
    expect(() => parseViewerConfig(document)).toThrow(ViewerConfigError);
    expect(() => parseViewerConfig(document)).toThrow(problem);
  });
});

describe("sessionPathFor", () => {
  it("puts the encoded asset id into the route", () => {
    expect(sessionPathFor({ sessionPath: "/auth/v1/{assetId}/session" }, "talk 1/../x")).toBe(
      "/auth/v1/talk%201%2F..%2Fx/session",
    );
  });
});
