// Jest `setupFiles`: runs before each test file's imports. The shared Powertools logger reads its level
// when its module loads, so tests get a silent logger unless a file (or the runner) says otherwise.
process.env.POWERTOOLS_LOG_LEVEL ??= "SILENT";
