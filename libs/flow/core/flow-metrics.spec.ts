import { describe, expect, it } from 'vitest';
import { ApiError } from '../../errors/index.js';
import { countingRefusals, FlowMetrics, type FlowOutcome } from './flow-metrics.js';
import { type FlowKind } from './flow-factory.js';

class Recorded extends FlowMetrics {
  readonly seen: [FlowKind, string, FlowOutcome][] = [];
  finished(kind: FlowKind, method: string, outcome: FlowOutcome): void {
    this.seen.push([kind, method, outcome]);
  }
}

describe('countingRefusals', () => {
  it('counts a throttle refusal (429 over budget, 503 hash gate full) and lets it through', async () => {
    const metrics = new Recorded();
    const tooMany = new ApiError(429);
    await expect(countingRefusals(metrics, 'login', 'password', () => Promise.reject(tooMany))).rejects.toBe(
      tooMany,
    );
    await expect(
      countingRefusals(metrics, 'recovery', 'code', () => Promise.reject(new ApiError(503))),
    ).rejects.toBeInstanceOf(ApiError);
    expect(metrics.seen).toEqual([
      ['login', 'password', 'refused'],
      ['recovery', 'code', 'refused'],
    ]);
  });

  it('counts nothing for an answer or for any other error', async () => {
    const metrics = new Recorded();
    await expect(countingRefusals(metrics, 'login', 'password', async () => 'ok')).resolves.toBe('ok');
    await expect(
      countingRefusals(metrics, 'login', 'password', () => Promise.reject(new ApiError(400))),
    ).rejects.toBeInstanceOf(ApiError);
    await expect(
      countingRefusals(metrics, 'login', 'password', () => Promise.reject(new Error('boom'))),
    ).rejects.toThrow('boom');
    expect(metrics.seen).toEqual([]);
  });
});
