/** A refused attempt, for callers that would rather throw than branch. */
export class TooManyAttemptsError extends Error {
  override readonly name = 'TooManyAttemptsError';

  constructor(
    readonly retryAfterSeconds: number,
    /** The rule or budget that refused it (for a guess: `identifier_address`, `identifier`, `address`). */
    readonly rule: string,
  ) {
    super(`Too many attempts (${rule}); retry in ${retryAfterSeconds} s.`);
  }
}

/** Every hash slot is busy and the queue is full: the caller should shed the request. */
export class HashGateSaturatedError extends Error {
  override readonly name = 'HashGateSaturatedError';

  constructor(readonly retryAfterSeconds = 1) {
    super('Too many password hashes are in progress.');
  }
}
