/**
 * Prints one closing line, "jest: N passed, N failed[, N skipped]", after jest's own summary, so CI
 * logs carry a plain count whatever reporter jest's default output changes to.
 */
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    const line = `jest: ${results.numPassedTests} passed, ${results.numFailedTests} failed`;
    process.stdout.write(`\n${skipped ? `${line}, ${skipped} skipped` : line}\n`);
  }
}
module.exports = SummaryReporter;
