/**
 * The standard OpenTelemetry variables (`OTEL_*`), which the SDK reads itself; Tessera looks at
 * them only to know whether tracing was asked for without Kratos' `tracing` keys.
 */
export function otelEnvironment(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter(
      (entry): entry is [string, string] => entry[0].startsWith('OTEL_') && !!entry[1],
    ),
  );
}
