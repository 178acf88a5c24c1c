/** What went wrong, in domain terms; the edge decides the status code. */
export type DomainErrorKind =
  'invalid' | 'not_found' | 'conflict' | 'forbidden' | 'unauthorized' | 'gone' | 'unavailable';

export const STATUS_OF_KIND: Record<DomainErrorKind, number> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  gone: 410,
  unavailable: 503,
};

/**
 * Base of every expected failure raised below the controllers. It carries the contract's
 * error id and reason but no HTTP knowledge.
 */
export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    readonly reason: string,
    readonly options: { id?: string; details?: Record<string, unknown> } = {},
  ) {
    super(reason);
    this.name = new.target.name;
  }
}
