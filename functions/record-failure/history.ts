import { paginateGetExecutionHistory, type HistoryEvent } from "@aws-sdk/client-sfn";
import { stepFunctions } from "../shared/runtime/clients";

/**
 * The whole history of an execution, oldest first, with inputs and outputs (the claim is the output of
 * "Claim Upload"). Pages of 1,000, the API's maximum; an ingest execution rarely needs more than one.
 */
export async function readExecutionHistory(executionArn: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  const pages = paginateGetExecutionHistory(
    { client: stepFunctions, pageSize: 1_000 },
    { executionArn, includeExecutionData: true, reverseOrder: false },
  );
  for await (const page of pages) events.push(...(page.events ?? []));
  return events;
}
