import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from "@aws-sdk/client-secrets-manager";
import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import { clearCaches } from "@aws-lambda-powertools/parameters";
import { mockClient } from "aws-sdk-client-mock";
import { sessionHandler } from "../../functions/mint-playback-session/api-handler";
import { loadEnv, type MintPlaybackSessionEnv } from "../../functions/mint-playback-session/env";
import type { SessionRow } from "../../functions/mint-playback-session/mint-playback-session";
import type { SessionFunction } from "./edge";

const CATALOGUE_TABLE = "vod-ingest-catalogue";
const SIGNING_KEY_SECRET_ARN =
  "arn:aws:secretsmanager:us-east-1:123456789012:secret:playback-signing-key-AbCdEf";

/**
 * The real mint-playback-session handler (functions/mint-playback-session/api-handler.ts, with its
 * real DynamoDB read and Powertools secret read) over a mocked catalogue and Secrets Manager:
 * `GetItem` answers the row of the asked-for key from `rows` (nothing for an unknown key, and only
 * for the catalogue table), `GetSecretValue` the signing key (only for the configured secret ARN).
 * `sessionFunction(ttl)` gives one handler per cookie lifetime.
 */
export class SessionBackend {
  private readonly dynamo = mockClient(DynamoDBDocumentClient);
  private readonly secrets = mockClient(SecretsManagerClient);
  readonly catalogueReads: string[] = [];
  secretReads = 0;

  constructor(rows: readonly SessionRow[], signingKey: { keyPairId: string; privateKey: string }) {
    const byId = new Map(rows.map((row) => [row.assetId, row]));
    this.dynamo.on(GetCommand).callsFake((input: { TableName: string; Key: { assetId: string } }) => {
      if (input.TableName !== CATALOGUE_TABLE) throw new Error(`unexpected table ${input.TableName}`);
      this.catalogueReads.push(input.Key.assetId);
      return { Item: byId.get(input.Key.assetId) };
    });
    this.secrets.on(GetSecretValueCommand).callsFake((input: { SecretId: string }) => {
      if (input.SecretId !== SIGNING_KEY_SECRET_ARN) {
        throw new ResourceNotFoundException({
          message: "Secrets Manager can't find the specified secret.",
          $metadata: {},
        });
      }
      this.secretReads += 1;
      return { SecretString: JSON.stringify(signingKey) };
    });
    clearCaches();
  }

  /**
   * The handler as deployed for a distribution at `cdnBaseUrl`. The environment goes through the
   * function's own schema (`loadEnv`), except that `ttlSeconds` below its 60 s floor is set
   * afterwards: a test cannot wait minutes for cookies to expire, and the TTL is only arithmetic in
   * the code under test (`DateLessThan = now + ttl`, `refreshAfterSeconds = ⌊0.8 · ttl⌋`).
   */
  sessionFunction(cdnBaseUrl: string, ttlSeconds: number): SessionFunction {
    const env: MintPlaybackSessionEnv = {
      ...loadEnv({
        CATALOGUE_TABLE,
        SIGNING_KEY_SECRET_ARN,
        CDN_BASE_URL: cdnBaseUrl,
        COOKIE_TTL_SECONDS: "300",
      }),
      COOKIE_TTL_SECONDS: ttlSeconds,
    };
    return sessionHandler(env);
  }

  restore(): void {
    this.dynamo.restore();
    this.secrets.restore();
  }
}
