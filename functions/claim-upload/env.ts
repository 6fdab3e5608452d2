import * as z from "zod/mini";
import { lazyEnv } from "../shared/runtime/env";
import type { ClaimConfig } from "./claim";
import { parseAcceptedExtensions } from "./validate";

/** What claim-upload reads from its environment; infra/functions.ts sets exactly these. */
export const ClaimUploadEnvSchema = z.object({
  /** Claims (infra/catalogue.ts, ledger table). */
  LEDGER_TABLE: z.string().check(z.minLength(1)),
  /** The catalogue table the title's first row goes to. */
  CATALOGUE_TABLE: z.string().check(z.minLength(1)),
  /** Comma-separated source extensions the stack accepts, e.g. `mp4,mov` (config `acceptedExtensions`). */
  ACCEPTED_EXTENSIONS: z.string().check(z.minLength(1)),
});

/** The parsed configuration, read on first use and kept for the container's life. */
export const claimUploadConfig = lazyEnv(
  z.pipe(
    ClaimUploadEnvSchema,
    z.transform((env): ClaimConfig => ({
      ledgerTable: env.LEDGER_TABLE,
      catalogueTable: env.CATALOGUE_TABLE,
      acceptedExtensions: parseAcceptedExtensions(env.ACCEPTED_EXTENSIONS),
    })),
  ),
);
