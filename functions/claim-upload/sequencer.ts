/**
 * S3's `sequencer` orders the events of one key, but "the sequencers can be of different lengths. So to
 * compare these values, you first left pad the shorter value with zeros and then do lexicographical
 * comparison" (https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html).
 * Stored padded to a fixed width, one DynamoDB string comparison (`<`) orders versions. Upper-cased
 * because DynamoDB compares strings by UTF-8 bytes, where "a" sorts after "F".
 */

/** Sequencers seen in practice are 16–18 hex digits; 32 leaves ample room. */
export const SEQUENCER_WIDTH = 32;

export function orderableSequencer(sequencer: string): string {
  if (sequencer.length > SEQUENCER_WIDTH) {
    throw new Error(`S3 sequencer '${sequencer}' is longer than ${SEQUENCER_WIDTH} hex digits`);
  }
  return sequencer.toUpperCase().padStart(SEQUENCER_WIDTH, "0");
}
