import { ingestHandler } from "../shared/runtime/handler";
import { claimUpload } from "./claim";
import { claimUploadConfig } from "./env";
import { ClaimPayloadSchema } from "./schema";

/** The "Claim Upload" task (statemachines/ingest.asl.json); its result becomes `$.claim`. */
export const handler = ingestHandler(ClaimPayloadSchema, (payload) =>
  claimUpload(payload, claimUploadConfig()),
);
