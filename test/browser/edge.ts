import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize } from "node:path";
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyResultV2, Context } from "aws-lambda";
import { lambdaContextFor } from "../../functions/shared/testing/lambda-context";
import type { ViewerFile } from "../../infra/lib/viewer-bundle";
import type { ViewerConfig } from "../../infra/viewer/src/config";
import { verifySignedCookies, type KeyGroup, type RefusalReason } from "../edge/signed-cookies";
import { authorizerClaims, type JwtAuthorizer } from "./jwt";

/** The session function as API Gateway invokes it (payload format 2.0, JWT authorizer). */
export type SessionFunction = (
  event: APIGatewayProxyEventV2WithJWTAuthorizer,
  context: Context,
) => Promise<APIGatewayProxyResultV2>;

/** One request to a signed (media) behavior, as the edge decided it. */
export interface MediaRequest {
  /** Edge time of the request, epoch seconds. */
  readonly at: number;
  readonly path: string;
  readonly status: number;
  readonly reason?: RefusalReason;
  /** `DateLessThan` of the policy that let it through. */
  readonly dateLessThan?: number;
  readonly bytes: number;
}

export interface SessionCall {
  readonly at: number;
  readonly path: string;
  readonly status: number;
  readonly ms: number;
}

/** The route of issue 11's entitlement API (API Gateway route key `POST /auth/v1/{assetId}/session`). */
const SESSION_ROUTE = /^\/auth\/v1\/([^/]+)\/session$/;

const CONTENT_TYPES: Record<string, string> = {
  ".m3u8": "application/vnd.apple.mpegurl",
  ".mpd": "application/dash+xml",
  ".m4s": "video/iso.segment",
  ".mp4": "video/mp4",
};

/**
 * A loopback "CloudFront distribution" with the behaviors infra/delivery.ts configures (DELIVERY.md
 * section 7), in the same order:
 * - `/auth/*` → the entitlement API: API Gateway's JWT authorizer (401 without a valid token), then
 *   the session function with a payload 2.0 event; its `cookies` become `Set-Cookie` headers. Not signed.
 * - `/viewer/*` → the viewer page (built by infra/lib/viewer-bundle.ts) and its config.json. Not signed.
 * - everything else → media, behind `trustedKeyGroups`: CloudFront's signed-cookie rules
 *   (test/edge/signed-cookies.ts) — no cookies, unknown key, bad signature, resource mismatch or
 *   expiry → 403 — then the file from the ladder directory. GET/HEAD only.
 * HTTPS on 127.0.0.1 with a random port.
 */
export class LoopbackEdge {
  /** Served at /viewer/config.json; tests change it per scenario. */
  config: ViewerConfig = { sessionPath: "/auth/v1/{assetId}/session" };
  /** The function behind `/auth/*` (set before the first session request); tests may wrap it to model a fault. */
  session: SessionFunction = async () => {
    throw new Error("LoopbackEdge.session is not set");
  };
  /** Drop `Set-Cookie` from `/auth/*` answers, as CloudFront does on a behavior that does not forward cookies (DELIVERY.md trap 6). */
  stripSetCookie = false;
  readonly media: MediaRequest[] = [];
  readonly sessions: SessionCall[] = [];
  private readonly files = new Map<string, ViewerFile>();

  private constructor(
    private readonly server: Server,
    readonly baseUrl: string,
    private readonly options: EdgeOptions,
  ) {
    for (const file of options.viewerFiles) this.files.set(`/${file.key}`, file);
  }

  static async start(options: EdgeOptions): Promise<LoopbackEdge> {
    const server = createServer(options.tls);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    // Nobody knows the port before `listen` resolves, so no request arrives before the handler is on.
    const edge = new LoopbackEdge(
      server,
      `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
      options,
    );
    server.on("request", (request: IncomingMessage, response: ServerResponse) => {
      edge.handle(request, response).catch((error: unknown) => {
        response
          .writeHead(502, { "content-type": "text/plain" })
          .end(`edge stand-in failed: ${String(error)}`);
      });
    });
    return edge;
  }

  /** The viewer page's URL for a title and player. */
  viewerUrl(query: Record<string, string> = {}): string {
    const search = new URLSearchParams(query).toString();
    return `${this.baseUrl}/viewer/index.html${search === "" ? "" : `?${search}`}`;
  }

  /** Forgets the request logs (between scenarios). */
  resetLogs(): void {
    this.media.length = 0;
    this.sessions.length = 0;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private now(): number {
    return Math.floor(Date.now() / 1000);
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", this.baseUrl);
    if (url.pathname.startsWith("/auth/")) return this.entitlement(request, response, url);
    if (url.pathname.startsWith("/viewer/")) return this.viewer(response, url);
    return this.signedMedia(request, response, url);
  }

  private viewer(response: ServerResponse, url: URL): void {
    if (url.pathname === "/viewer/config.json") {
      response
        .writeHead(200, { "content-type": "application/json", "cache-control": "no-cache" })
        .end(JSON.stringify(this.config));
      return;
    }
    const file = this.files.get(url.pathname);
    if (file === undefined) {
      response.writeHead(404).end();
      return;
    }
    response
      .writeHead(200, { "content-type": file.contentType, "cache-control": file.cacheControl })
      .end(file.body);
  }

  private async entitlement(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
    const started = performance.now();
    const finish = (status: number): void => {
      this.sessions.push({ at: this.now(), path: url.pathname, status, ms: performance.now() - started });
    };
    const route = SESSION_ROUTE.exec(url.pathname);
    if (route === null || request.method !== "POST") {
      response.writeHead(404, { "content-type": "application/json" }).end('{"message":"Not Found"}');
      return finish(404);
    }
    const body = await readBody(request);
    const verdict = this.options.authorizer.verify(request.headers.authorization);
    if (!verdict.ok) {
      // API Gateway answers for the authorizer and never invokes the function.
      response
        .writeHead(401, {
          "content-type": "application/json",
          "www-authenticate": `Bearer error="invalid_token" error_description="${verdict.reason}"`,
        })
        .end('{"message":"Unauthorized"}');
      return finish(401);
    }
    const result = await this.session(
      this.sessionEvent(request, url, decodeURIComponent(route[1]!), verdict.claims, body),
      lambdaContextFor("mint-playback-session"),
    );
    const answer = normaliseResult(result);
    const headers: Record<string, string | string[]> = { ...answer.headers };
    if (answer.cookies.length > 0 && !this.stripSetCookie) headers["set-cookie"] = answer.cookies;
    response.writeHead(answer.statusCode, headers).end(answer.body);
    finish(answer.statusCode);
  }

  /** The event API Gateway sends for `POST /auth/v1/{assetId}/session` (payload format 2.0). */
  private sessionEvent(
    request: IncomingMessage,
    url: URL,
    assetId: string,
    claims: Readonly<Record<string, unknown>>,
    body: string,
  ): APIGatewayProxyEventV2WithJWTAuthorizer {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) {
      if (value !== undefined && name !== "cookie")
        headers[name] = Array.isArray(value) ? value.join(",") : value;
    }
    const now = Date.now();
    return {
      version: "2.0",
      routeKey: "POST /auth/v1/{assetId}/session",
      rawPath: url.pathname,
      rawQueryString: url.search.replace(/^\?/, ""),
      ...(request.headers.cookie !== undefined && { cookies: request.headers.cookie.split(/;\s*/) }),
      headers,
      pathParameters: { assetId },
      requestContext: {
        accountId: "123456789012",
        apiId: "a1b2c3d4e5",
        authorizer: {
          principalId: "",
          integrationLatency: 0,
          jwt: {
            claims: authorizerClaims(claims),
            scopes: String(claims["scope"] ?? "")
              .split(" ")
              .filter(Boolean),
          },
        },
        domainName: "a1b2c3d4e5.execute-api.us-east-1.amazonaws.com",
        domainPrefix: "a1b2c3d4e5",
        http: {
          method: "POST",
          path: url.pathname,
          protocol: "HTTP/1.1",
          sourceIp: request.socket.remoteAddress ?? "127.0.0.1",
          userAgent: request.headers["user-agent"] ?? "",
        },
        requestId: `req-${now}`,
        routeKey: "POST /auth/v1/{assetId}/session",
        stage: "$default",
        time: new Date(now).toUTCString(),
        timeEpoch: now,
      },
      body,
      isBase64Encoded: false,
    };
  }

  private async signedMedia(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
    const at = this.now();
    const path = url.pathname;
    if (request.method !== "GET" && request.method !== "HEAD") {
      response.writeHead(403).end();
      this.media.push({ at, path, status: 403, bytes: 0 });
      return;
    }
    const verdict = verifySignedCookies(
      {
        url: `${this.baseUrl}${url.pathname}${url.search}`,
        cookie: request.headers.cookie,
        nowEpochSeconds: at,
      },
      this.options.keyGroup,
    );
    if (!verdict.allowed) {
      // CloudFront's refusal of a request to a signed behavior: 403 with an XML error body.
      response
        .writeHead(403, { "content-type": "text/xml" })
        .end(
          "<?xml version='1.0' encoding='UTF-8'?><Error><Code>AccessDenied</Code><Message>Access denied</Message></Error>",
        );
      this.media.push({ at, path, status: 403, reason: verdict.reason, bytes: 0 });
      return;
    }
    const file = normalize(join(this.options.mediaRoot, decodeURIComponent(path)));
    let body: Buffer;
    try {
      if (!file.startsWith(this.options.mediaRoot)) throw new Error("outside the media root");
      body = await readFile(file);
    } catch {
      response.writeHead(404).end();
      this.media.push({ at, path, status: 404, bytes: 0 });
      return;
    }
    response.writeHead(200, {
      "content-type": CONTENT_TYPES[extname(file)] ?? "application/octet-stream",
      "content-length": body.length,
    });
    response.end(request.method === "HEAD" ? undefined : body);
    this.media.push({ at, path, status: 200, dateLessThan: verdict.policy.dateLessThan, bytes: body.length });
  }
}

export interface EdgeOptions {
  readonly tls: { key: string; cert: string };
  /** Directory whose `out/v1/…` tree holds the ladders. */
  readonly mediaRoot: string;
  readonly viewerFiles: readonly ViewerFile[];
  /** The distribution's trusted key group (public key id → PEM). */
  readonly keyGroup: KeyGroup;
  readonly authorizer: JwtAuthorizer;
}

/** API Gateway's reading of a 2.0 function result: a bare object or string is a 200 JSON body. */
function normaliseResult(result: APIGatewayProxyResultV2): {
  statusCode: number;
  headers: Record<string, string>;
  cookies: string[];
  body: string;
} {
  if (typeof result === "string" || !("statusCode" in result) || result.statusCode === undefined) {
    return {
      statusCode: 200,
      headers: { "content-type": "application/json" },
      cookies: [],
      body: typeof result === "string" ? result : JSON.stringify(result),
    };
  }
  const headers = Object.fromEntries(Object.entries(result.headers ?? {}).map(([k, v]) => [k, String(v)]));
  const body =
    result.body === undefined
      ? ""
      : result.isBase64Encoded
        ? Buffer.from(result.body, "base64").toString()
        : result.body;
  return { statusCode: result.statusCode, headers, cookies: result.cookies ?? [], body };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = "";
    request.setEncoding("utf8");
    request.on("data", (chunk: string) => (body += chunk));
    request.on("end", () => resolve(body));
    request.on("error", reject);
  });
}
