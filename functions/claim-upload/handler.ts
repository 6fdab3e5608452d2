import { ingestHandler } from "../shared/runtime/handler";
import { requireEnv } from "../shared/runtime/env";
import { claimUpload, type ClaimConfig } from "./claim";
import { ClaimPayloadSchema } from "./schema";
import { parseAcceptedExtensions } from "./validate";

/** Read once per container; a mis-deployed function fails on its first invocation (shared/runtime/env.ts). */
const config: ClaimConfig = {
  ledgerTable: requireEnv("LEDGER_TABLE"),
  catalogueTable: requireEnv("CATALOGUE_TABLE"),
  acceptedExtensions: parseAcceptedExtensions(requireEnv("ACCEPTED_EXTENSIONS")),
};

/** The "Claim Upload" task (statemachines/ingest.asl.json); its result becomes `$.claim`. */
export const handler = ingestHandler(ClaimPayloadSchema, (payload) => claimUpload(payload, config));
