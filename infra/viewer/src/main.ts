/**
 * The viewer page: sign in, open a title (`?asset=<id>&player=hls|dash[&source=cmaf-group]`), mint a playback
 * session, play it, keep the session fresh, and say clearly what went wrong when it does.
 * Served by the CloudFront distribution itself, so the session API, the cookies it sets and the
 * media are all first-party (DELIVERY.md trap 4).
 */
import { parseViewerConfig, sessionPathFor, VIEWER_CONFIG_PATH, type ViewerConfig } from "./config";
import { messageFor, type Problem } from "./messages";
import { attachPlayer, playerKindFrom, type Player, type PlayerKind } from "./players";
import {
  mintSession,
  playbackSourceFrom,
  playbackUrl,
  SessionKeeper,
  type MintOutcome,
  type PlaybackSource,
} from "./session";
import { SignIn } from "./sign-in";

const video = element<HTMLVideoElement>("video");
const form = element<HTMLFormElement>("open-title");
const assetInput = element<HTMLInputElement>("asset");
const playerSelect = element<HTMLSelectElement>("player");
const messageBox = element<HTMLElement>("message");
const signInButton = element<HTMLButtonElement>("sign-in");

let current: { player?: Player; keeper?: SessionKeeper } = {};

void boot();

async function boot(): Promise<void> {
  let config: ViewerConfig;
  try {
    const response = await fetch(VIEWER_CONFIG_PATH, { cache: "no-store" });
    if (!response.ok) throw new Error(`${VIEWER_CONFIG_PATH} answered ${response.status}`);
    config = parseViewerConfig(await response.json());
  } catch (error) {
    return show({ kind: "config", detail: String(error instanceof Error ? error.message : error) });
  }
  const signIn = new SignIn(config);
  signInButton.addEventListener("click", () => void signIn.begin(window.location.href));
  try {
    const returnTo = await signIn.completeRedirect(new URL(window.location.href));
    if (returnTo !== undefined) window.history.replaceState(null, "", returnTo);
  } catch (error) {
    return show({ kind: "sign-in", detail: error instanceof Error ? error.message : String(error) });
  }

  const search = new URLSearchParams(window.location.search);
  const kind = playerKindFrom(search);
  const source = playbackSourceFrom(search);
  playerSelect.value = kind;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const assetId = assetInput.value.trim();
    if (assetId === "") return;
    const chosen: PlayerKind = playerSelect.value === "dash" ? "dash" : "hls";
    window.history.pushState(
      null,
      "",
      `?${new URLSearchParams({ asset: assetId, player: chosen, ...(source === "cmaf-group" && { source }) }).toString()}`,
    );
    void open(config, signIn, assetId, chosen, source);
  });
  const assetId = search.get("asset");
  if (assetId !== null && assetId !== "") {
    assetInput.value = assetId;
    void open(config, signIn, assetId, kind, source);
  }
}

/** Opens one title: session first (the cookies must exist before the first media request), then the player. */
async function open(
  config: ViewerConfig,
  signIn: SignIn,
  assetId: string,
  kind: PlayerKind,
  source: PlaybackSource,
): Promise<void> {
  stopCurrent();
  setState("starting");
  clearMessage();
  if (signIn.configured && (await signIn.accessToken()) === undefined) {
    await signIn.begin(window.location.href);
    return;
  }
  const mint = async (): Promise<MintOutcome> => {
    const path = sessionPathFor(config, assetId);
    const outcome = await mintSession(path, await signIn.accessToken());
    // A 401 with a refresh token in hand is usually an access token that just expired: renew once.
    if (!outcome.ok && outcome.status === 401 && (await signIn.renew())) {
      return mintSession(path, await signIn.accessToken());
    }
    return outcome;
  };
  const first = await mint();
  if (!first.ok) {
    if (first.status === 401) signIn.forget();
    return show({ kind: "session", status: first.status });
  }
  const keeper = new SessionKeeper(
    mint,
    (status) => show({ kind: "session", status }),
    (session) => (document.body.dataset.sessionExpiresAt = String(session.expiresAt)),
  );
  document.body.dataset.sessionExpiresAt = String(first.session.expiresAt);
  current = { keeper };
  keeper.start(first.session);
  const player = await attachPlayer(kind, video, playbackUrl(first.session, kind, source), {
    ...(config.bufferAheadSeconds !== undefined && { bufferAheadSeconds: config.bufferAheadSeconds }),
    onFailure: (failure) => {
      stopCurrent();
      show({ kind: "media", ...failure });
    },
  });
  current.player = player;
  video.addEventListener("playing", () => setState("playing"), { once: true });
  video.play().catch(() => {
    // Autoplay with sound needs a user gesture; a shared link opened cold plays muted instead.
    video.muted = true;
    void video.play().catch(() => undefined);
  });
}

function stopCurrent(): void {
  current.keeper?.stop();
  current.player?.destroy();
  current = {};
}

function show(problem: Problem): void {
  const message = messageFor(problem);
  messageBox.textContent = message.text;
  messageBox.dataset.code = message.code;
  messageBox.hidden = false;
  signInButton.hidden = !message.signIn;
  setState("error");
}

function clearMessage(): void {
  messageBox.textContent = "";
  delete messageBox.dataset.code;
  messageBox.hidden = true;
  signInButton.hidden = true;
}

/** `data-state` on <body>: starting | playing | error (for people's CSS and for tests). */
function setState(state: "starting" | "playing" | "error"): void {
  document.body.dataset.state = state;
}

function element<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (found === null) throw new Error(`viewer page has no #${id}`);
  return found as T;
}
