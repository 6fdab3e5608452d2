import { messageFor } from "./messages";

describe("messageFor", () => {
  it.each([
    [{ kind: "session", status: 401 } as const, "signed-out", true],
    [{ kind: "session", status: 403 } as const, "not-entitled", false],
    [{ kind: "session", status: 404 } as const, "not-found", false],
    [{ kind: "session", status: 503 } as const, "unavailable", false],
    [{ kind: "session", status: 0 } as const, "unavailable", false],
    [{ kind: "media", status: 403, detail: "fragLoadError" } as const, "edge-refused", false],
    [{ kind: "media", status: 500, detail: "fragLoadError" } as const, "media-error", false],
    [{ kind: "sign-in", detail: "state mismatch" } as const, "sign-in-failed", true],
  ])("%j → %s", (problem, code, signIn) => {
    const message = messageFor(problem);
    expect(message.code).toBe(code);
    expect(message.signIn).toBe(signIn);
    expect(message.text.length).toBeGreaterThan(10);
  });

  it("names the status in the words the viewer reads", () => {
    expect(messageFor({ kind: "session", status: 404 }).text).toContain("404");
    expect(messageFor({ kind: "media", status: 403, detail: "x" }).text).toContain("403");
  });
});
