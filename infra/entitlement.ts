import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { awsScope } from "./lib/arns";
import { stackMarker } from "./lib/naming";

/**
 * The entitlement API, in three parts so the stack has no dependency cycle:
 *
 *   EntitlementApi (HTTP API + $default stage)      needs nothing
 *     → Delivery (distribution; its /auth/* origin is the API's host)
 *       → ViewerSignIn (Cognito app client; its callback URL is the viewer page on the CDN host)
 *       → mint-playback-session function (CDN_BASE_URL = the distribution's URL)
 *         → SessionRoute (JWT authorizer, integration, route, invoke permission)
 *
 * The API itself does not need the function or the user pool; the route does.
 */

/** The one route: a signed-in viewer asks for a playback session for one asset. */
export const SESSION_ROUTE_KEY = "POST /auth/v1/{assetId}/session";
/** The path CloudFront forwards to the API unchanged (the `$default` stage has no path prefix). */
export const AUTH_PATH_PATTERN = "/auth/*";

/** Inputs of the HTTP API. */
export interface EntitlementApiArgs {
  /**
   * Exact origins of player pages on other hosts (config `deliveryPlayerOrigins`, default []);
   * the viewer page served by the distribution is same-origin and needs none.
   */
  readonly playerOrigins: readonly string[];
  /** Stage throttling (config `sessionThrottleRate` 50 / `sessionThrottleBurst` 100). */
  readonly throttle: { readonly rateLimit: number; readonly burstLimit: number };
  /** Days the stage's access log is kept (config `logRetentionDays`). */
  readonly logRetentionDays: number;
}

/**
 * API Gateway HTTP API with its `$default` stage (auto-deployed, throttled, access-logged). With
 * `corsConfiguration` API Gateway answers preflights itself and ignores the function's CORS headers.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-cors.html
 */
export class EntitlementApi extends pulumi.ComponentResource {
  public readonly apiId: pulumi.Output<string>;
  /** `arn:…:execute-api:<region>:<account>:<apiId>`, for the invoke permission's sourceArn. */
  public readonly executionArn: pulumi.Output<string>;
  /** `<apiId>.execute-api.<region>.amazonaws.com`: the distribution's /auth/* origin. */
  public readonly originDomainName: pulumi.Output<string>;

  constructor(name: string, args: EntitlementApiArgs, opts?: pulumi.ComponentResourceOptions) {
    super("vod:entitlement:EntitlementApi", name, {}, opts);
    const child = { parent: this };

    const api = new aws.apigatewayv2.Api(
      `${name}-api`,
      {
        protocolType: "HTTP",
        description: "Playback sessions: signed cookies for one title",
        corsConfiguration: apiCors(args.playerOrigins),
      },
      child,
    );
    const accessLog = new aws.cloudwatch.LogGroup(
      `${name}-access-log`,
      { retentionInDays: args.logRetentionDays },
      child,
    );
    new aws.apigatewayv2.Stage(
      `${name}-stage`,
      {
        apiId: api.id,
        // `$default` serves /auth/v1/… at the API's root, so CloudFront forwards the path unchanged.
        name: "$default",
        autoDeploy: true,
        defaultRouteSettings: {
          throttlingRateLimit: args.throttle.rateLimit,
          throttlingBurstLimit: args.throttle.burstLimit,
          detailedMetricsEnabled: true,
        },
        accessLogSettings: {
          destinationArn: accessLog.arn,
          // Never the Authorization header or cookies: ids, status and the asset path only.
          format: JSON.stringify({
            requestId: "$context.requestId",
            ip: "$context.identity.sourceIp",
            routeKey: "$context.routeKey",
            path: "$context.path",
            status: "$context.status",
            authorizerError: "$context.authorizer.error",
            integrationError: "$context.integrationErrorMessage",
            latencyMs: "$context.responseLatency",
          }),
        },
      },
      child,
    );

    this.apiId = api.id;
    this.executionArn = api.executionArn;
    this.originDomainName = api.apiEndpoint.apply((endpoint) => new URL(endpoint).hostname);
    this.registerOutputs({
      apiId: this.apiId,
      executionArn: this.executionArn,
      originDomainName: this.originDomainName,
    });
  }
}

/**
 * The API's CORS: exact player origins with credentials (cookies), POST only; undefined when there
 * are no cross-origin players. `*` is refused: with credentials a browser rejects it.
 */
export function apiCors(
  origins: readonly string[],
): aws.types.input.apigatewayv2.ApiCorsConfiguration | undefined {
  if (origins.length === 0) return undefined;
  if (origins.some((o) => o.includes("*"))) throw new Error("credentialed CORS needs exact origins, not *");
  return {
    allowOrigins: [...origins],
    allowCredentials: true,
    allowMethods: ["POST"],
    allowHeaders: ["authorization", "content-type"],
    maxAge: 600,
  };
}

/** Inputs of viewer sign-in. */
export interface ViewerSignInArgs {
  /** An existing issuer (config `jwtIssuer`); "" = create a Cognito user pool. */
  readonly issuer: string;
  /** Its audiences (config `jwtAudiences`). */
  readonly audiences: readonly string[];
  /** Where the Hosted UI may send viewers back to: the viewer page on the CDN host (and alias). */
  readonly callbackUrls: pulumi.Input<pulumi.Input<string>[]>;
}

/**
 * Who may ask for a session: the JWT issuer and audiences the session route's authorizer checks.
 * By default a Cognito user pool (admin-created users only: the default entitlement rule is "any
 * signed-in viewer", so open sign-up would make every title public), a public app client for the
 * viewer page (authorization code + PKCE, no secret in the browser), and a Hosted UI domain.
 * Audiences = the client id: ID tokens carry it as `aud`, access tokens as `client_id`, and API
 * Gateway accepts either. https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html
 */
export class ViewerSignIn extends pulumi.ComponentResource {
  /** `https://cognito-idp.<region>.amazonaws.com/<poolId>` or the configured issuer. */
  public readonly issuer: pulumi.Output<string>;
  public readonly audiences: pulumi.Output<string[]>;
  /** The pool's id; undefined with an existing issuer. */
  public readonly userPoolId: pulumi.Output<string> | undefined;
  /** The viewer page's app client id; undefined with an existing issuer. */
  public readonly clientId: pulumi.Output<string> | undefined;
  /** `https://<prefix>.auth.<region>.amazoncognito.com`; undefined with an existing issuer. */
  public readonly hostedUiUrl: pulumi.Output<string> | undefined;

  constructor(name: string, args: ViewerSignInArgs, opts?: pulumi.ComponentResourceOptions) {
    super("vod:entitlement:ViewerSignIn", name, {}, opts);
    const child = { parent: this };

    if (args.issuer !== "") {
      this.issuer = pulumi.output(args.issuer);
      this.audiences = pulumi.output([...args.audiences]);
    } else {
      const scope = awsScope(child);
      const pool = new aws.cognito.UserPool(
        `${name}-user-pool`,
        {
          usernameAttributes: ["email"],
          autoVerifiedAttributes: ["email"],
          adminCreateUserConfig: { allowAdminCreateUserOnly: true },
          passwordPolicy: {
            minimumLength: 12,
            requireLowercase: true,
            requireUppercase: true,
            requireNumbers: true,
            requireSymbols: false,
            temporaryPasswordValidityDays: 7,
          },
          mfaConfiguration: "OPTIONAL",
          softwareTokenMfaConfiguration: { enabled: true },
          accountRecoverySetting: { recoveryMechanisms: [{ name: "verified_email", priority: 1 }] },
        },
        child,
      );
      const client = new aws.cognito.UserPoolClient(
        `${name}-viewer-client`,
        {
          userPoolId: pool.id,
          generateSecret: false,
          allowedOauthFlowsUserPoolClient: true,
          allowedOauthFlows: ["code"],
          allowedOauthScopes: ["openid", "email"],
          supportedIdentityProviders: ["COGNITO"],
          callbackUrls: args.callbackUrls,
          logoutUrls: args.callbackUrls,
          explicitAuthFlows: ["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH"],
          preventUserExistenceErrors: "ENABLED",
          enableTokenRevocation: true,
        },
        child,
      );
      // Hosted UI prefixes are global per Region: the stack marker plus a suffix made once.
      const suffix = new random.RandomId(`${name}-domain-suffix`, { byteLength: 4 }, child);
      const domain = new aws.cognito.UserPoolDomain(
        `${name}-domain`,
        { userPoolId: pool.id, domain: pulumi.interpolate`${hostedUiPrefix(stackMarker())}-${suffix.hex}` },
        child,
      );
      this.issuer = pulumi.interpolate`https://cognito-idp.${scope.region}.amazonaws.com/${pool.id}`;
      this.audiences = client.id.apply((id) => [id]);
      this.userPoolId = pool.id;
      this.clientId = client.id;
      this.hostedUiUrl = pulumi.interpolate`https://${domain.domain}.auth.${scope.region}.amazoncognito.com`;
    }
    this.registerOutputs({
      issuer: this.issuer,
      audiences: this.audiences,
      userPoolId: this.userPoolId,
      clientId: this.clientId,
      hostedUiUrl: this.hostedUiUrl,
    });
  }
}

/**
 * A Cognito domain prefix from the stack marker: lower-case letters, digits and hyphens, without
 * the reserved words "aws", "amazon" or "cognito", short enough for an 8-hex suffix (63 max).
 * https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-assign-domain-prefix.html
 * @example hostedUiPrefix("vod-ingest-dev") === "vod-ingest-dev"
 */
export function hostedUiPrefix(marker: string): string {
  const prefix = marker
    .toLowerCase()
    .replace(/aws|amazon|cognito/g, "x")
    .replace(/[^a-z0-9-]/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 54);
  return prefix === "" ? "vod" : prefix;
}

/** The function behind the session route (functions/mint-playback-session). */
export interface SessionFunctionRef {
  readonly arn: pulumi.Input<string>;
  readonly name: pulumi.Input<string>;
}

/** Inputs of the session route. */
export interface SessionRouteArgs {
  readonly apiId: pulumi.Input<string>;
  readonly executionArn: pulumi.Input<string>;
  readonly issuer: pulumi.Input<string>;
  readonly audiences: pulumi.Input<pulumi.Input<string>[]>;
  readonly sessionFunction: SessionFunctionRef;
}

/**
 * `POST /auth/v1/{assetId}/session` behind a JWT authorizer, integrated with the session
 * function (Lambda proxy, payload 2.0, whose `cookies[]` become one Set-Cookie each), and the
 * permission for API Gateway to invoke it from this API's route only.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
 */
export class SessionRoute extends pulumi.ComponentResource {
  public readonly routeId: pulumi.Output<string>;

  constructor(name: string, args: SessionRouteArgs, opts?: pulumi.ComponentResourceOptions) {
    super("vod:entitlement:SessionRoute", name, {}, opts);
    const child = { parent: this };

    const authorizer = new aws.apigatewayv2.Authorizer(
      `${name}-authorizer`,
      {
        apiId: args.apiId,
        authorizerType: "JWT",
        identitySources: ["$request.header.Authorization"],
        jwtConfiguration: { issuer: args.issuer, audiences: args.audiences },
      },
      child,
    );
    const integration = new aws.apigatewayv2.Integration(
      `${name}-integration`,
      {
        apiId: args.apiId,
        integrationType: "AWS_PROXY",
        integrationMethod: "POST",
        integrationUri: args.sessionFunction.arn,
        payloadFormatVersion: "2.0",
      },
      child,
    );
    const route = new aws.apigatewayv2.Route(
      `${name}-route`,
      {
        apiId: args.apiId,
        routeKey: SESSION_ROUTE_KEY,
        authorizationType: "JWT",
        authorizerId: authorizer.id,
        target: pulumi.interpolate`integrations/${integration.id}`,
      },
      child,
    );
    new aws.lambda.Permission(
      `${name}-invoke`,
      {
        action: "lambda:InvokeFunction",
        function: args.sessionFunction.name,
        principal: "apigateway.amazonaws.com",
        sourceArn: sessionSourceArn(args.executionArn),
      },
      child,
    );

    this.routeId = route.id;
    this.registerOutputs({ routeId: this.routeId });
  }
}

/**
 * The invoke permission's source: any stage, POST, the session path with any asset id
 * (`<executionArn>/<stage>/<method>/<path>`).
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/arn-format-reference.html
 */
export function sessionSourceArn(executionArn: pulumi.Input<string>): pulumi.Output<string> {
  return pulumi.interpolate`${executionArn}/*/POST/auth/v1/*/session`;
}
