import { readFileSync } from "node:fs";
import { INGEST_DEFINITION_PATH } from "../../infra/lib/asl";
import { TASK_STATES } from "../../statemachines/ingest-states";
import { UNMODELLED_DYNAMODB_ERROR } from "../../statemachines/dynamodb-errors";
import { jestSystemTime, WorkflowRunner } from "../runner";

/**
 * "Publish To Catalogue" is the ASL's own dynamodb:updateItem. A request DynamoDB refuses as invalid
 * (here: an expression naming a value it was not given, a ValidationException) can only fail again;
 * Step Functions reports it as DynamoDB.AmazonDynamoDBException, which must not be retried.
 */
describe("ingest workflow: the catalogue write of Publish To Catalogue", () => {
  afterAll(() => WorkflowRunner.shutdown());

  it("fails at once, without retries, on a request DynamoDB refuses as invalid", async () => {
    // Prepare: the deployed template with one undefined value in Publish's update expression.
    const template = readFileSync(INGEST_DEFINITION_PATH, "utf8").replace(
      "SET #status = :published,",
      "SET #status = :published, mistake = :undefinedValue,",
    );
    const runner = await WorkflowRunner.start({ systemTime: jestSystemTime(jest), aslTemplate: template });

    // Act
    const upload = runner.upload("courses/invalid-write.mp4");
    await runner.settle();

    // Assess
    const { execution } = await runner.title(upload);
    expect(execution).toMatchObject({ status: "FAILED", error: UNMODELLED_DYNAMODB_ERROR });
    const publishes = execution!.entriesOf(TASK_STATES.publish);
    expect(publishes).toHaveLength(1);
    expect(publishes[0]!.retries).toBe(0);
    await runner.stop();
  });
});
