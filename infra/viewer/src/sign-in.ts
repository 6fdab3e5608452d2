import type { ViewerConfig } from "./config";
import {
  authorizeUrl,
  codeChallenge,
  codeRedemptionBody,
  newCodeVerifier,
  newState,
  parseTokenResponse,
  refreshBody,
  type TokenResponse,
} from "./pkce";

/** What survives the round trip to the Hosted UI (sessionStorage: this tab only, gone when it closes). */
interface PendingSignIn {
  readonly state: string;
  readonly verifier: string;
  /** The page URL (with `?asset=…&player=…`) to restore after sign-in. */
  readonly returnTo: string;
}

interface StoredToken {
  readonly accessToken: string;
  /** Epoch milliseconds. */
  readonly expiresAt: number;
}

const PENDING_KEY = "vod.viewer.signIn";
const TOKEN_KEY = "vod.viewer.token";
/** Renew this long before the access token expires, so a session refresh never carries a dying token. */
const RENEW_MARGIN_MS = 60_000;

/**
 * Signs the viewer in with the Hosted UI (authorization code + PKCE) and hands out the access token
 * the entitlement API's JWT authorizer checks (its `client_id` claim matches the authorizer's
 * audience, https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html).
 * The access token sits in sessionStorage (this tab, survives a reload); the refresh token only in
 * memory, so script on another tab or a later visit never finds it.
 */
export class SignIn {
  private refreshToken: string | undefined;

  constructor(
    private readonly config: ViewerConfig,
    private readonly storage: Storage = sessionStorage,
  ) {}

  /** True when the page has a Hosted UI to send the viewer to. */
  get configured(): boolean {
    return this.config.authDomain !== undefined;
  }

  /**
   * Completes a sign-in when the page is the redirect target (`?code=…&state=…`): redeems the code
   * and returns the URL the viewer started from; undefined when this load is not a redirect.
   * Throws when the state does not match this tab's request or the code cannot be redeemed.
   */
  async completeRedirect(here: URL): Promise<string | undefined> {
    const code = here.searchParams.get("code");
    const error = here.searchParams.get("error");
    if (code === null && error === null) return undefined;
    const pending = this.takePending();
    if (error !== null)
      throw new Error(`sign-in failed: ${here.searchParams.get("error_description") ?? error}`);
    if (pending === undefined || pending.state !== here.searchParams.get("state")) {
      throw new Error("sign-in answer does not match a request from this tab; sign in again");
    }
    const tokens = await this.tokenRequest(
      codeRedemptionBody(
        this.required("clientId"),
        this.required("redirectUri"),
        code ?? "",
        pending.verifier,
      ),
    );
    this.keep(tokens);
    return pending.returnTo;
  }

  /** Sends the viewer to the Hosted UI; `returnTo` is restored after the redirect back. */
  async begin(returnTo: string): Promise<void> {
    const verifier = newCodeVerifier();
    const state = newState();
    const pending: PendingSignIn = { state, verifier, returnTo };
    this.storage.setItem(PENDING_KEY, JSON.stringify(pending));
    window.location.assign(
      authorizeUrl({
        authDomain: this.required("authDomain"),
        clientId: this.required("clientId"),
        redirectUri: this.required("redirectUri"),
        scopes: this.config.scopes ?? ["openid"],
        state,
        challenge: await codeChallenge(verifier),
      }),
    );
  }

  /** A usable access token, renewed first when it is about to expire; undefined when signed out. */
  async accessToken(now = Date.now()): Promise<string | undefined> {
    const stored = this.stored();
    if (stored !== undefined && stored.expiresAt - RENEW_MARGIN_MS > now) return stored.accessToken;
    if (await this.renew()) return this.stored()?.accessToken;
    return stored !== undefined && stored.expiresAt > now ? stored.accessToken : undefined;
  }

  /** Renews the tokens with the in-memory refresh token; false when there is none or it was refused. */
  async renew(): Promise<boolean> {
    if (this.refreshToken === undefined || !this.configured) return false;
    try {
      this.keep(await this.tokenRequest(refreshBody(this.required("clientId"), this.refreshToken)));
      return true;
    } catch {
      this.refreshToken = undefined;
      return false;
    }
  }

  /** Drops every token this tab holds (after a 401 the renewal could not fix). */
  forget(): void {
    this.refreshToken = undefined;
    this.storage.removeItem(TOKEN_KEY);
  }

  private async tokenRequest(body: string): Promise<TokenResponse> {
    const response = await fetch(`${this.required("authDomain")}/oauth2/token`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body,
    });
    if (!response.ok) throw new Error(`token endpoint answered ${response.status}`);
    return parseTokenResponse(await response.json());
  }

  private keep(tokens: TokenResponse): void {
    if (tokens.refresh_token !== undefined) this.refreshToken = tokens.refresh_token;
    const stored: StoredToken = {
      accessToken: tokens.access_token,
      expiresAt: Date.now() + tokens.expires_in * 1000,
    };
    this.storage.setItem(TOKEN_KEY, JSON.stringify(stored));
  }

  private stored(): StoredToken | undefined {
    const text = this.storage.getItem(TOKEN_KEY);
    return text === null ? undefined : (JSON.parse(text) as StoredToken);
  }

  private takePending(): PendingSignIn | undefined {
    const text = this.storage.getItem(PENDING_KEY);
    this.storage.removeItem(PENDING_KEY);
    return text === null ? undefined : (JSON.parse(text) as PendingSignIn);
  }

  private required(field: "authDomain" | "clientId" | "redirectUri"): string {
    const value = this.config[field];
    if (value === undefined) throw new Error(`viewer config has no ${field}`);
    return value;
  }
}
