import { ApiError } from '../../errors/index.js';
import { type FlowKind } from './flow-factory.js';

export type FlowOutcome = 'success' | 'failure' | 'refused';

/** The method label of a submission no strategy (or code method) took. */
export const NO_METHOD = 'none';

/**
 * Where the flows report how a submission ended, for operators' counters. The flows declare it;
 * the application binds an implementation (libs/metrics). Unbound, nothing is counted. `method`
 * is always a strategy's or code method's id, never anything the client sent.
 */
export abstract class FlowMetrics {
  abstract finished(kind: FlowKind, method: string, outcome: FlowOutcome): void;
}

export class NoFlowMetrics extends FlowMetrics {
  finished(): void {}
}

export const NO_FLOW_METRICS: FlowMetrics = new NoFlowMetrics();

/**
 * True for the answers of the throttles: 429 when a guess is over its brute-force budget, 503 when
 * the hash gate sheds the request. Both are refusals before the secret was judged.
 */
function isRefusal(error: unknown): boolean {
  return error instanceof ApiError && (error.code === 429 || error.code === 503);
}

/** Runs one method's turn at a submission; a refusal is counted before it propagates. */
export async function countingRefusals<T>(
  metrics: FlowMetrics,
  kind: FlowKind,
  method: string,
  turn: () => Promise<T>,
): Promise<T> {
  try {
    return await turn();
  } catch (error) {
    if (isRefusal(error)) metrics.finished(kind, method, 'refused');
    throw error;
  }
}
