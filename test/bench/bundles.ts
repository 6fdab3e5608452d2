import { measureWeights, printWeights } from "./weight";

/**
 * `npm run bench:bundles [-- --runs 10]`: handler weight alone (test/bench/weight.ts), without the burst.
 * `npm run bench` prints the same table after its burst.
 */
const index = process.argv.indexOf("--runs");
const runs = Number(index >= 0 ? process.argv[index + 1] : 10);
// A CommonJS module under tsc, so no top-level await; a rejection ends the process with its stack.
void measureWeights(runs).then(printWeights);
