import { ProbeCommand, type ProbeResult } from "@aws-sdk/client-mediaconvert";
import { mediaConvert } from "../shared/runtime/clients";

/**
 * What MediaConvert Probe says about a source
 * (https://docs.aws.amazon.com/mediaconvert/latest/apireference/probe.html): the file's result, or
 * why MediaConvert could not read it. Probe answers BadRequestException for a request it cannot
 * process and UnprocessableEntityException for "a file recognized but malformed or corrupt"
 * (@aws-sdk/client-mediaconvert ProbeCommand docs): both mean this upload is not usable, so they
 * become a rejection, not a failed execution. Everything else propagates: throttling and 5xx become
 * Vod.ServiceBusy (retried), ForbiddenException / NotFoundException point at our permissions or
 * FileUrl and must fail the execution at "Claim Upload" so an operator can fix and redrive.
 */
export type ProbeOutcome = { readonly result: ProbeResult | undefined } | { readonly unreadable: string };

const UNREADABLE = new Set(["BadRequestException", "UnprocessableEntityException"]);

export async function probeSource(fileUrl: string): Promise<ProbeOutcome> {
  try {
    const response = await mediaConvert.send(new ProbeCommand({ InputFiles: [{ FileUrl: fileUrl }] }));
    return { result: response.ProbeResults?.[0] };
  } catch (error) {
    if (error instanceof Error && UNREADABLE.has(error.name)) {
      return { unreadable: error.message || error.name };
    }
    throw error;
  }
}
