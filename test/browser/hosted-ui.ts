import { createHash, randomBytes } from "node:crypto";
import { createServer, type Server } from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { JwtIssuer } from "./jwt";

/**
 * A loopback stand-in for the Cognito Hosted UI's two OAuth endpoints, so the page's real sign-in
 * code runs (redirect, state, PKCE, code redemption) instead of a token being injected:
 * - `GET /oauth2/authorize` checks the client, the registered callback URL and `S256`, "signs in"
 *   the configured viewer without a form, and redirects back with a one-time `code` and the `state`.
 * - `POST /oauth2/token` redeems the code only with the matching `code_verifier`
 *   (base64url(SHA-256(verifier)) = challenge), and renews with a refresh token.
 * https://docs.aws.amazon.com/cognito/latest/developerguide/authorization-endpoint.html
 * https://docs.aws.amazon.com/cognito/latest/developerguide/token-endpoint.html
 */
export class HostedUiStandIn {
  /** Who signs in at the next authorize request. */
  viewer: { sub: string; groups: readonly string[] } = { sub: "viewer-1", groups: [] };
  readonly redemptions: { grant: string; ok: boolean }[] = [];
  private readonly codes = new Map<
    string,
    { challenge: string; redirectUri: string; sub: string; groups: readonly string[] }
  >();
  private readonly refreshTokens = new Map<string, { sub: string; groups: readonly string[] }>();

  private constructor(
    private readonly server: Server,
    readonly baseUrl: string,
  ) {}

  static async start(options: {
    tls: { key: string; cert: string };
    issuer: JwtIssuer;
    clientId: string;
    callbackUrls: () => readonly string[];
    allowedOrigin: () => string;
  }): Promise<HostedUiStandIn> {
    const server = createServer(options.tls);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const self = new HostedUiStandIn(server, `https://127.0.0.1:${(server.address() as AddressInfo).port}`);
    server.on("request", (request: IncomingMessage, response: ServerResponse) => {
      const url = new URL(request.url ?? "/", self.baseUrl);
      if (request.method === "GET" && url.pathname === "/oauth2/authorize") {
        const q = url.searchParams;
        const redirectUri = q.get("redirect_uri") ?? "";
        if (
          q.get("response_type") !== "code" ||
          q.get("client_id") !== options.clientId ||
          !options.callbackUrls().includes(redirectUri) ||
          q.get("code_challenge_method") !== "S256" ||
          (q.get("code_challenge") ?? "").length < 43
        ) {
          response.writeHead(400, { "content-type": "text/plain" }).end("invalid_request");
          return;
        }
        const code = randomBytes(16).toString("hex");
        self.codes.set(code, { challenge: q.get("code_challenge")!, redirectUri, ...self.viewer });
        const back = new URL(redirectUri);
        back.searchParams.set("code", code);
        back.searchParams.set("state", q.get("state") ?? "");
        response.writeHead(302, { location: back.toString() }).end();
        return;
      }
      if (request.method === "POST" && url.pathname === "/oauth2/token") {
        let body = "";
        request.setEncoding("utf8");
        request.on("data", (chunk: string) => (body += chunk));
        request.on("end", () => {
          const form = new URLSearchParams(body);
          const cors = {
            "access-control-allow-origin": options.allowedOrigin(),
            "cache-control": "no-store",
          };
          const grant = form.get("grant_type") ?? "";
          let user: { sub: string; groups: readonly string[] } | undefined;
          if (grant === "authorization_code") {
            const pending = self.codes.get(form.get("code") ?? "");
            self.codes.delete(form.get("code") ?? "");
            const verifier = form.get("code_verifier") ?? "";
            const challenge = createHash("sha256").update(verifier).digest("base64url");
            if (
              pending !== undefined &&
              form.get("client_id") === options.clientId &&
              form.get("redirect_uri") === pending.redirectUri &&
              challenge === pending.challenge
            ) {
              user = pending;
            }
          } else if (grant === "refresh_token" && form.get("client_id") === options.clientId) {
            user = self.refreshTokens.get(form.get("refresh_token") ?? "");
          }
          self.redemptions.push({ grant, ok: user !== undefined });
          if (user === undefined) {
            response
              .writeHead(400, { ...cors, "content-type": "application/json" })
              .end('{"error":"invalid_grant"}');
            return;
          }
          const refreshToken = randomBytes(24).toString("hex");
          self.refreshTokens.set(refreshToken, user);
          response.writeHead(200, { ...cors, "content-type": "application/json" }).end(
            JSON.stringify({
              access_token: options.issuer.accessToken({ sub: user.sub, groups: user.groups }),
              ...(grant === "authorization_code" && { refresh_token: refreshToken }),
              expires_in: 3600,
              token_type: "Bearer",
            }),
          );
        });
        return;
      }
      response.writeHead(404).end();
    });
    return self;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
