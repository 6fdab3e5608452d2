// Imported first by the browser test: the shared Powertools logger reads these when it is created.
process.env.POWERTOOLS_LOG_LEVEL = "SILENT";
process.env.AWS_REGION ??= "us-east-1";
