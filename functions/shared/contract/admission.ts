/**
 * Admission of titles to MediaConvert (issue 12): "Transcode To CMAF" sends each title's request, with
 * its task token, to the admission queue (`sqs:sendMessage.waitForTaskToken`) and submit-job drains the
 * queue through a Lambda event source mapping at a bounded concurrency, pacing CreateJob calls. The
 * facts both infra and the handler need live here, once.
 */

/**
 * Messages per invocation at most. 10 is the largest batch a standard queue hands an event source
 * mapping without a batching window (CreateEventSourceMapping `BatchSize`: "Amazon SQS – Default 10.
 * For standard queues the maximum is 10,000. For FIFO queues the maximum is 10."; above 10 needs
 * `MaximumBatchingWindowInSeconds` ≥ 1, which would delay every title).
 * https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html
 */
export const ADMISSION_MAX_BATCH = 10;

/**
 * Receives of one message before SQS moves it to the admission dead-letter queue (`maxReceiveCount`).
 * submit-job fails the title's task itself on this receive when the attempt fails again, so the
 * execution reports why (and its retrier sends a fresh message) instead of waiting for the heartbeat;
 * only messages a crashing submitter never finished reach the DLQ.
 */
export const ADMISSION_MAX_RECEIVES = 20;

/**
 * The queue's visibility timeout for a submitter with this Lambda timeout: AWS recommends at least six
 * times the function timeout, so a batch Lambda retries after a throttle is not redelivered meanwhile.
 * https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html
 * @example admissionVisibilityTimeoutSeconds(30) === 180
 */
export function admissionVisibilityTimeoutSeconds(functionTimeoutSeconds: number): number {
  return 6 * functionTimeoutSeconds;
}

/**
 * Milliseconds one submitter waits between its CreateJob calls so that `concurrency` submitters together
 * stay at or under `createJobsPerSecond`.
 * @example createJobIntervalMs(20, 2) === 100
 */
export function createJobIntervalMs(createJobsPerSecond: number, concurrency: number): number {
  if (!(createJobsPerSecond > 0))
    throw new RangeError(`CreateJob rate must be > 0, got ${createJobsPerSecond}`);
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new RangeError(`admission concurrency must be a whole number >= 1, got ${concurrency}`);
  return Math.ceil((1000 * concurrency) / createJobsPerSecond);
}

/** Seconds kept free at the end of an invocation: DynamoDB and MediaConvert calls of the last title. */
export const ADMISSION_TIME_RESERVE_SECONDS = 10;

/**
 * The batch size that lets one invocation pace every title of its batch within the function timeout.
 * @example admissionBatchSize(100, 30) === 10
 * @example admissionBatchSize(4000, 30) === 5
 */
export function admissionBatchSize(intervalMs: number, functionTimeoutSeconds: number): number {
  const budgetMs = (functionTimeoutSeconds - ADMISSION_TIME_RESERVE_SECONDS) * 1000;
  return Math.max(1, Math.min(ADMISSION_MAX_BATCH, Math.floor(budgetMs / intervalMs)));
}

/**
 * Default CreateJob calls per second for all submitters together (config `createJobRate`). MediaConvert's
 * quotas page (https://docs.aws.amazon.com/general/latest/gr/mediaconvert.html) lists concurrent-job
 * quotas but, in what we could find, no number for CreateJob's request rate; MediaConvert answers
 * TooManyRequestsException (429) past it. 10 per second stays under what the account's other callers
 * and the bench's stand-in (20 per second) allow; raise it with a quota you know.
 */
export const DEFAULT_CREATE_JOB_RATE = 10;

/**
 * Default submitters at once (config `admissionConcurrency`): the event source mapping's
 * MaximumConcurrency, whose lowest allowed value is 2. Pacing, not concurrency, sets the rate; MediaConvert
 * holds admitted jobs SUBMITTED in its own queue until one of its concurrent-job slots frees up.
 * https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html
 */
export const DEFAULT_ADMISSION_CONCURRENCY = 2;
