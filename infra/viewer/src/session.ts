/**
 * The entitlement API as the page uses it: `POST /auth/v1/{assetId}/session` with the viewer's
 * bearer token. The answer sets host-only CloudFront cookies scoped to the title's paths — one set for
 * MediaPackage's `/out/v1/<assetHash>/`, one for the output bucket's `/<assetId>/` (`credentials:
 * "include"` so the browser stores them) — and names the title's playback URLs.
 */

/** The JSON body of a 200 from the session API (issue 11, DELIVERY.md section 4). */
export interface PlaybackSession {
  readonly assetId: string;
  readonly hls: string;
  readonly dash: string;
  readonly cmaf?: string;
  /** The CMAF group served from the output bucket (titles published since delivery). */
  readonly cmafGroup?: { readonly hls: string; readonly dash: string };
  /** Epoch seconds when the cookies stop being accepted (the policy's `DateLessThan`). */
  readonly expiresAt: number;
  /** Seconds after the answer when the page should ask again, before `expiresAt`. */
  readonly refreshAfterSeconds: number;
}

export type MintOutcome =
  | { readonly ok: true; readonly session: PlaybackSession }
  /** `status` 0: the request never got an HTTP answer (offline, DNS, CORS). */
  | { readonly ok: false; readonly status: number };

/** Asks for a session; never throws (a network failure is `status: 0`). */
export async function mintSession(path: string, accessToken: string | undefined): Promise<MintOutcome> {
  let response: Response;
  try {
    response = await fetch(path, {
      method: "POST",
      credentials: "include",
      cache: "no-store",
      headers: accessToken === undefined ? {} : { Authorization: `Bearer ${accessToken}` },
    });
  } catch {
    return { ok: false, status: 0 };
  }
  if (!response.ok) return { ok: false, status: response.status };
  try {
    return { ok: true, session: parseSession(await response.json()) };
  } catch {
    return { ok: false, status: 502 };
  }
}

/**
 * Where the page plays from: MediaPackage's just-in-time formats (`packaged`, the default), or the CMAF
 * group straight from the output bucket (`?source=cmaf-group`), which every title has since delivery.
 */
export type PlaybackSource = "packaged" | "cmaf-group";

/** Picks the source from the page URL: `?source=cmaf-group`, anything else `packaged`. */
export function playbackSourceFrom(search: URLSearchParams): PlaybackSource {
  return search.get("source") === "cmaf-group" ? "cmaf-group" : "packaged";
}

/**
 * The manifest to play. A title without a CMAF group (published before delivery) plays MediaPackage's.
 * @example playbackUrl({ hls: "…/out/v1/a/…/index.m3u8", dash: "…", cmafGroup: { hls: "…/t-1/r/cmaf/index.m3u8", dash: "…" } }, "hls", "cmaf-group")
 * // "…/t-1/r/cmaf/index.m3u8"
 */
export function playbackUrl(
  session: Pick<PlaybackSession, "hls" | "dash" | "cmafGroup">,
  kind: "hls" | "dash",
  source: PlaybackSource,
): string {
  const from = source === "cmaf-group" && session.cmafGroup !== undefined ? session.cmafGroup : session;
  return from[kind];
}

/** Narrows the session body; throws on a shape the page cannot play. */
export function parseSession(body: unknown): PlaybackSession {
  const raw = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
  for (const field of ["assetId", "hls", "dash"]) {
    if (typeof raw[field] !== "string") throw new Error(`session answer has no ${field}`);
  }
  for (const field of ["expiresAt", "refreshAfterSeconds"]) {
    if (typeof raw[field] !== "number") throw new Error(`session answer has no ${field}`);
  }
  return raw as unknown as PlaybackSession;
}

/**
 * Milliseconds to wait before the next refresh: the API's `refreshAfterSeconds`, but never later
 * than 1 s before the cookies expire (a clock-skewed or odd answer must not let them lapse).
 * @example refreshDelayMs({ expiresAt: 1300, refreshAfterSeconds: 240 }, 1_000_000) // 240000
 */
export function refreshDelayMs(
  session: Pick<PlaybackSession, "expiresAt" | "refreshAfterSeconds">,
  now: number,
): number {
  const untilExpiry = session.expiresAt * 1000 - now - 1000;
  return Math.max(0, Math.min(session.refreshAfterSeconds * 1000, untilExpiry));
}

/** Delay before retrying a refresh that got no answer or a 5xx/429: half the time left, 1–10 s. */
export function retryDelayMs(expiresAt: number, now: number): number {
  return Math.min(10_000, Math.max(1000, (expiresAt * 1000 - now) / 2));
}

/** Statuses worth retrying: no answer, throttled, or the service failed. 401/403/404 are answers. */
export function isTransient(status: number): boolean {
  return status === 0 || status === 429 || status >= 500;
}

/**
 * Keeps a title's cookies fresh for as long as it plays: re-mints at `refreshAfterSeconds`, retries
 * transient failures until the cookies expire, and reports a refusal (the title was unpublished,
 * the sign-in lapsed) once. CloudFront checks expiry on every segment request, so without this a
 * five-minute cookie stops a two-hour film at minute five (DELIVERY.md trap 3).
 */
export class SessionKeeper {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;

  constructor(
    private readonly mint: () => Promise<MintOutcome>,
    private readonly onRefused: (status: number) => void,
    private readonly onRefreshed: (session: PlaybackSession) => void = () => undefined,
  ) {}

  /** Schedules refreshes after the session the page just started with. */
  start(session: PlaybackSession): void {
    this.schedule(refreshDelayMs(session, Date.now()), session.expiresAt);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
  }

  private schedule(delayMs: number, expiresAt: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.refresh(expiresAt), delayMs);
  }

  private async refresh(expiresAt: number): Promise<void> {
    const outcome = await this.mint();
    if (this.stopped) return;
    if (outcome.ok) {
      this.onRefreshed(outcome.session);
      this.schedule(refreshDelayMs(outcome.session, Date.now()), outcome.session.expiresAt);
    } else if (isTransient(outcome.status) && expiresAt * 1000 > Date.now()) {
      this.schedule(retryDelayMs(expiresAt, Date.now()), expiresAt);
    } else {
      this.onRefused(outcome.status);
    }
  }
}
