/**
 * The two players, loaded on demand (each is its own bundle chunk, so a viewer downloads only the
 * one the page uses). Both send cookies on every manifest and segment request — needed when the
 * page is on a player origin other than the CDN host; same-origin requests carry them anyway.
 */

/** How a player reports that it gave up. `status`: the failed request's HTTP status, when known. */
export type PlayerFailure = (failure: { readonly status?: number; readonly detail: string }) => void;

export interface Player {
  destroy(): void;
}

export type PlayerKind = "hls" | "dash";

export interface PlayerOptions {
  /** Forward buffer in seconds (ViewerConfig.bufferAheadSeconds); undefined keeps the player's default. */
  readonly bufferAheadSeconds?: number;
  readonly onFailure: PlayerFailure;
}

/** Picks the player from the page URL: `?player=dash` chooses dash.js, anything else hls.js. */
export function playerKindFrom(search: URLSearchParams): PlayerKind {
  return search.get("player") === "dash" ? "dash" : "hls";
}

export async function attachPlayer(
  kind: PlayerKind,
  video: HTMLVideoElement,
  url: string,
  options: PlayerOptions,
): Promise<Player> {
  return kind === "dash" ? attachDash(video, url, options) : attachHls(video, url, options);
}

/**
 * hls.js over MSE. `xhrSetup` sets `withCredentials` (hls.js's default loader is XHR; hls.d.ts
 * `xhrSetup?: (xhr, url, context) => void`). Only fatal errors end playback; hls.js retries the rest.
 */
async function attachHls(video: HTMLVideoElement, url: string, options: PlayerOptions): Promise<Player> {
  const { default: Hls } = await import("hls.js");
  if (!Hls.isSupported()) {
    options.onFailure({ detail: "this browser has no Media Source Extensions for hls.js" });
    return { destroy: () => undefined };
  }
  const buffer = options.bufferAheadSeconds;
  const hls = new Hls({
    xhrSetup: (xhr) => {
      xhr.withCredentials = true;
    },
    ...(buffer !== undefined && { maxBufferLength: buffer, maxMaxBufferLength: buffer }),
  });
  hls.on(Hls.Events.ERROR, (_event, data) => {
    if (!data.fatal) return;
    const status = data.response?.code;
    options.onFailure({ ...(typeof status === "number" && status > 0 && { status }), detail: data.details });
  });
  hls.loadSource(url);
  hls.attachMedia(video);
  return { destroy: () => hls.destroy() };
}

/** The request types dash.js loads for our CMAF DASH (index.d.ts `setXHRWithCredentialsForType`). */
const DASH_CREDENTIALED_TYPES = ["MPD", "InitializationSegment", "MediaSegment", "IndexSegment"] as const;

/**
 * dash.js. Its ERROR event carries a code and a message, not the HTTP status, so a response
 * interceptor remembers the status of the last failed request for the message.
 */
async function attachDash(video: HTMLVideoElement, url: string, options: PlayerOptions): Promise<Player> {
  const { MediaPlayer, supportsMediaSource } = await import("dashjs");
  if (!supportsMediaSource()) {
    options.onFailure({ detail: "this browser has no Media Source Extensions for dash.js" });
    return { destroy: () => undefined };
  }
  const player = MediaPlayer().create();
  for (const type of DASH_CREDENTIALED_TYPES) player.setXHRWithCredentialsForType(type, true);
  const buffer = options.bufferAheadSeconds;
  if (buffer !== undefined) {
    player.updateSettings({
      streaming: {
        buffer: {
          bufferTimeDefault: buffer,
          bufferTimeAtTopQuality: buffer,
          bufferTimeAtTopQualityLongForm: buffer,
        },
      },
    });
  }
  let lastFailedStatus: number | undefined;
  player.addResponseInterceptor(async (response) => {
    if (response.status !== undefined && response.status >= 400) lastFailedStatus = response.status;
    return response;
  });
  player.on(MediaPlayer.events.ERROR, (event) => {
    const error = (event as { error?: { code?: number; message?: string } | string }).error;
    const detail =
      typeof error === "object"
        ? `${error.message ?? "dash.js error"} [${error.code ?? "?"}]`
        : String(error);
    options.onFailure({ ...(lastFailedStatus !== undefined && { status: lastFailedStatus }), detail });
  });
  player.initialize(video, url, true);
  return { destroy: () => player.destroy() };
}
