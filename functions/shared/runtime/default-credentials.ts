import { fromEnv } from "@aws-sdk/credential-provider-env";

/**
 * What the handler bundles get for `@aws-sdk/credential-provider-node` (infra/lib/bundle.ts aliases it
 * here). Every SDK client's Node.js runtime config imports that package's `defaultProvider`, the full
 * credential chain (environment, SSO, INI profiles, processes, web identity, container and instance
 * metadata, with the STS and SSO clients they call), even when the client is given `credentials`, so
 * tree shaking cannot drop it. In a Lambda the chain would stop at its first link, the environment,
 * where Lambda puts the execution role's keys ("Defined runtime environment variables",
 * https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime);
 * this is that link alone. It also serves clients the project does not build itself (Powertools
 * Parameters' Secrets Manager client).
 */
export const defaultProvider = fromEnv;
