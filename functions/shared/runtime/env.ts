/**
 * Reads a required environment variable set by infra/functions.ts. Failing at module load makes a
 * mis-deployed function fail loudly on its first invocation instead of writing to the wrong place.
 */
export function requireEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === "") throw new Error(`Environment variable ${name} is not set`);
  return value;
}
