/**
 * Import first in a test file that reads log lines: test/jest-env.js makes the shared logger SILENT,
 * and Powertools Logger returns to the level it was built with at every invocation (its sampling
 * refresh), so `setLogLevel` in a test lasts only until the handler's next call.
 */
process.env.POWERTOOLS_LOG_LEVEL = "DEBUG";
