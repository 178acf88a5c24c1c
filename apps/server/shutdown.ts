import { type AppLogger } from '../../libs/logging/index.js';
import { type RunningServer } from './serve.js';

/** Exit code of a shutdown that did not finish within the grace period. */
export const FORCED_EXIT_CODE = 1;

/**
 * SIGTERM or SIGINT stops `tessera serve` (or `courier watch`) gracefully: exit 0 once everything is closed, or
 * FORCED_EXIT_CODE with a log line when the grace period (`serve.shutdown.grace_period`) runs
 * out first. A second signal does not wait any longer.
 */
export function stopOnSignals(
  server: Pick<RunningServer, 'close'> & Partial<Pick<RunningServer, 'inFlight'>>,
  logger: AppLogger,
  gracePeriodMs: number,
): void {
  let stopping = false;
  const force = (reason: string) => {
    logger.error(reason, server.inFlight ? { in_flight_requests: server.inFlight() } : {});
    process.exit(FORCED_EXIT_CODE);
  };
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      force(`${signal} again: exiting without waiting for the shutdown to finish`);
      return;
    }
    stopping = true;
    logger.info('shutting down', {
      signal,
      grace_period_ms: gracePeriodMs,
      ...(server.inFlight ? { in_flight_requests: server.inFlight() } : {}),
    });
    setTimeout(() => force('shutdown grace period is over: exiting with work unfinished'), gracePeriodMs);
    server.close().then(
      () => {
        logger.info('shut down cleanly');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error('shutdown failed', { err: error });
        process.exit(FORCED_EXIT_CODE);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
