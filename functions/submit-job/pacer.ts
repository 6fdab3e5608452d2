/**
 * Spaces one submitter's CreateJob calls at least `intervalMs` apart, across the invocations a container
 * serves (module scope), and holds the invocation until its last call's interval has passed
 * (`settle`), so the next batch in this concurrency slot — in this container or another — cannot call
 * sooner. With at most `concurrency` submitters at once, CreateJob stays at `concurrency / intervalMs`.
 */
export class Pacer {
  private lastCallAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly intervalMs: number,
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) =>
      new Promise((resolve) => setTimeout(resolve, ms)),
  ) {}

  /** Milliseconds until the next call may go (0: now). */
  wait(): number {
    return Math.max(0, this.lastCallAt + this.intervalMs - this.now());
  }

  /** Waits for this submitter's next turn and takes it. */
  async turn(): Promise<void> {
    const wait = this.wait();
    if (wait > 0) await this.sleep(wait);
    this.lastCallAt = this.now();
  }

  /** Waits out the interval of the last call (end of an invocation). */
  async settle(): Promise<void> {
    const wait = this.wait();
    if (wait > 0) await this.sleep(wait);
  }
}
