import type { APIGatewayProxyEventV2WithJWTAuthorizer, Context } from "aws-lambda";
import { logger } from "../shared/runtime/powertools";
import { sessionHandler } from "./api-handler";
import { loadEnv } from "./env";

let built: ReturnType<typeof sessionHandler> | undefined;

/**
 * `POST /auth/v1/{assetId}/session` (API Gateway HTTP API, JWT authorizer, payload format 2.0).
 * Env: CATALOGUE_TABLE, SIGNING_KEY_SECRET_ARN, CDN_BASE_URL, COOKIE_TTL_SECONDS (300), ENTITLEMENT_CLAIM
 * (cognito:groups) — see env.ts.
 *
 * The environment is validated on the first invocation, once per container, rather than at import: a
 * mis-deployed function still fails every request loudly (API Gateway answers 500, the log names each bad
 * variable), and the module loads without the variables so the bundle check can import it.
 */
export async function handler(event: APIGatewayProxyEventV2WithJWTAuthorizer, context: Context) {
  if (built === undefined) {
    try {
      built = sessionHandler(loadEnv());
    } catch (error) {
      logger.error("mint-playback-session is mis-deployed", {
        assetId: event.pathParameters?.assetId,
        error,
      });
      throw error;
    }
  }
  return built(event, context);
}
