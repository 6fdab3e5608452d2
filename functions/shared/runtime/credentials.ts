import { fromEnv } from "@aws-sdk/credential-provider-env";

/**
 * The credentials every SDK client uses. Lambda puts the execution role's keys in AWS_ACCESS_KEY_ID,
 * AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN ("Defined runtime environment variables",
 * https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime),
 * so the clients read exactly those instead of walking the SDK's default chain (profiles, SSO, web
 * identity, container and instance metadata), which a Lambda never needs. The local workflow runner
 * and the tests set the same variables.
 */
export const credentials = /* @__PURE__ */ fromEnv();
