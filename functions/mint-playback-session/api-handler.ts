import middy from "@middy/core";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { logger } from "../shared/runtime/powertools";
import type { MintPlaybackSessionEnv } from "./env";
import { makeMintPlaybackSession, type SessionDependencies } from "./mint-playback-session";
import { readSessionRow } from "./session-row";
import { readSigningKey } from "./signing-key";

/** The deployed dependencies: the catalogue, the signing-key secret, the clock. */
export function awsDependencies(env: MintPlaybackSessionEnv): SessionDependencies {
  return {
    readRow: (assetId) => readSessionRow(env.CATALOGUE_TABLE, assetId),
    readSigningKey: () => readSigningKey(env.SIGNING_KEY_SECRET_ARN),
    now: () => Math.floor(Date.now() / 1000),
  };
}

/**
 * The middy adapter for API Gateway HTTP API (payload format 2.0, JWT authorizer): takes the path's asset
 * id and the verified claims from the event and answers with the core's response. Built by a function so
 * tests pass their own environment instead of setting process.env before an import.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html
 */
export function sessionHandler(
  env: MintPlaybackSessionEnv,
  deps: SessionDependencies = awsDependencies(env),
) {
  const mintPlaybackSession = makeMintPlaybackSession(env, deps);
  return middy<APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler((event) =>
      mintPlaybackSession({
        assetId: event.pathParameters?.assetId,
        claims: event.requestContext?.authorizer?.jwt?.claims,
      }),
    );
}
