import { SecretsManagerClient, GetSecretValueCommand } from "@aws-sdk/client-secrets-manager";
import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { lambdaContextFor } from "../shared/testing/lambda-context";
import publishedRow from "./events/catalogue-row-published.json";
import { handler } from "./handler";
import { captureLogs, rsaKeyPair, sessionEvent, testEnv } from "./test-support";

const context = lambdaContextFor("mint-playback-session");

describe("mint-playback-session entry point", () => {
  it("fails the invocation naming the missing variable until the environment is valid, then serves", async () => {
    // Prepare
    const logs = captureLogs();
    const dynamo = mockClient(DynamoDBDocumentClient).on(GetCommand).resolves({ Item: publishedRow });
    const secrets = mockClient(SecretsManagerClient)
      .on(GetSecretValueCommand)
      .resolves({
        SecretString: JSON.stringify({ keyPairId: "K2ACTIVEKEY000", privateKey: rsaKeyPair().privateKey }),
      });
    const { SIGNING_KEY_SECRET_ARN, ...incomplete } = testEnv;
    Object.assign(process.env, { ...incomplete, COOKIE_TTL_SECONDS: "300" });

    try {
      // Act
      const misDeployed = handler(sessionEvent(), context);
      await expect(misDeployed).rejects.toThrow(/SIGNING_KEY_SECRET_ARN/);
      process.env.SIGNING_KEY_SECRET_ARN = SIGNING_KEY_SECRET_ARN;
      const response = await handler(sessionEvent(), context);

      // Assess
      expect(response.statusCode).toBe(200);
      expect(logs.lines()[0]).toMatchObject({
        level: "ERROR",
        message: "mint-playback-session is mis-deployed",
      });
    } finally {
      logs.stop();
      dynamo.restore();
      secrets.restore();
    }
  });
});
