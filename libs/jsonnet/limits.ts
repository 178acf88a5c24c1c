/** Bounds on one evaluation; exceeding any of them is a `limit` failure. */
export interface JsonnetLimits {
  /** Evaluation steps (expression evaluations plus per-element work in std). */
  maxSteps: number;
  /** Wall-clock budget, checked every few thousand steps. */
  maxMillis: number;
  /** Nested function calls, thunk forcings and manifest levels. */
  maxDepth: number;
  /** Size of the manifested output; also caps any string's length and any array's length. */
  maxOutputBytes: number;
}

export const DEFAULT_JSONNET_LIMITS: Readonly<JsonnetLimits> = Object.freeze({
  maxSteps: 1_000_000,
  maxMillis: 200,
  maxDepth: 400,
  maxOutputBytes: 1024 * 1024,
});

/** How many steps pass between two looks at the clock. */
export const CLOCK_EVERY = 2048;
