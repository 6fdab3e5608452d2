import {
  isTransient,
  parseSession,
  playbackSourceFrom,
  playbackUrl,
  refreshDelayMs,
  SessionKeeper,
  type MintOutcome,
  type PlaybackSession,
} from "./session";

const NOW_MS = 1_800_000_000_000;
function session(overrides: Partial<PlaybackSession> = {}): PlaybackSession {
  return {
    assetId: "talk-1a2b3c4d",
    hls: "https://cdn.example.com/out/v1/a/c/e/index.m3u8",
    dash: "https://cdn.example.com/out/v1/a/c/e/index.mpd",
    cmaf: "https://cdn.example.com/out/v1/a/d/e/index.m3u8",
    expiresAt: Math.floor(Date.now() / 1000) + 300,
    refreshAfterSeconds: 240,
    ...overrides,
  };
}

describe("refreshDelayMs", () => {
  it("waits refreshAfterSeconds", () => {
    expect(refreshDelayMs({ expiresAt: NOW_MS / 1000 + 300, refreshAfterSeconds: 240 }, NOW_MS)).toBe(
      240_000,
    );
  });

  it("never waits past one second before expiry, even when told to", () => {
    expect(refreshDelayMs({ expiresAt: NOW_MS / 1000 + 4, refreshAfterSeconds: 10 }, NOW_MS)).toBe(3_000);
    expect(refreshDelayMs({ expiresAt: NOW_MS / 1000 - 5, refreshAfterSeconds: 10 }, NOW_MS)).toBe(0);
  });
});

describe("parseSession", () => {
  it("refuses an answer without playback URLs", () => {
    expect(() => parseSession({ assetId: "a", expiresAt: 1, refreshAfterSeconds: 1 })).toThrow("hls");
  });
});

describe("isTransient", () => {
  it.each([
    [0, true],
    [429, true],
    [503, true],
    [401, false],
    [403, false],
    [404, false],
  ])("status %i → %s", (status, transient) => expect(isTransient(status)).toBe(transient));
});

describe("SessionKeeper", () => {
  beforeEach(() => jest.useFakeTimers({ now: NOW_MS }));
  afterEach(() => jest.useRealTimers());

  it("re-mints at refreshAfterSeconds, again after each new session", async () => {
    // Prepare
    const mint = jest.fn(async (): Promise<MintOutcome> => ({ ok: true, session: session() }));
    const refused = jest.fn();
    const keeper = new SessionKeeper(mint, refused);

    // Act
    keeper.start(session());
    await jest.advanceTimersByTimeAsync(239_000);
    const before = mint.mock.calls.length;
    await jest.advanceTimersByTimeAsync(1_000);
    await jest.advanceTimersByTimeAsync(240_000);

    // Assess
    expect(before).toBe(0);
    expect(mint).toHaveBeenCalledTimes(2);
    expect(refused).not.toHaveBeenCalled();
    keeper.stop();
  });

  it("retries a failed refresh until the cookies expire, then reports it once", async () => {
    // Prepare
    const mint = jest.fn(async (): Promise<MintOutcome> => ({ ok: false, status: 503 }));
    const refused = jest.fn();
    const keeper = new SessionKeeper(mint, refused);

    // Act
    keeper.start(session({ expiresAt: NOW_MS / 1000 + 10, refreshAfterSeconds: 8 }));
    await jest.advanceTimersByTimeAsync(30_000);

    // Assess
    expect(mint.mock.calls.length).toBeGreaterThanOrEqual(2);
    expect(refused).toHaveBeenCalledTimes(1);
    expect(refused).toHaveBeenCalledWith(503);
  });

  it("reports a refusal (the title was unpublished) without retrying", async () => {
    // Prepare
    const mint = jest.fn(async (): Promise<MintOutcome> => ({ ok: false, status: 404 }));
    const refused = jest.fn();
    const keeper = new SessionKeeper(mint, refused);

    // Act
    keeper.start(session());
    await jest.advanceTimersByTimeAsync(300_000);

    // Assess
    expect(mint).toHaveBeenCalledTimes(1);
    expect(refused).toHaveBeenCalledWith(404);
  });

  it("does nothing once stopped", async () => {
    const mint = jest.fn(async (): Promise<MintOutcome> => ({ ok: true, session: session() }));
    const keeper = new SessionKeeper(mint, jest.fn());
    keeper.start(session());
    keeper.stop();
    await jest.advanceTimersByTimeAsync(600_000);
    expect(mint).not.toHaveBeenCalled();
  });
});

describe("playbackUrl", () => {
  const cmafGroup = {
    hls: "https://cdn.example.com/talk-1a2b3c4d/r1/cmaf/index.m3u8",
    dash: "https://cdn.example.com/talk-1a2b3c4d/r1/cmaf/index.mpd",
  };

  it("plays MediaPackage's formats by default and the CMAF group when asked", () => {
    expect(playbackUrl(session({ cmafGroup }), "dash", playbackSourceFrom(new URLSearchParams()))).toBe(
      "https://cdn.example.com/out/v1/a/c/e/index.mpd",
    );
    expect(
      playbackUrl(
        session({ cmafGroup }),
        "hls",
        playbackSourceFrom(new URLSearchParams("source=cmaf-group")),
      ),
    ).toBe(cmafGroup.hls);
  });

  it("falls back to MediaPackage's formats for a title without a CMAF group", () => {
    expect(playbackUrl(session(), "hls", "cmaf-group")).toBe(
      "https://cdn.example.com/out/v1/a/c/e/index.m3u8",
    );
  });
});
