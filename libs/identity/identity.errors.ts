import { DomainError } from '../errors/index.js';

export class IdentityNotFoundError extends DomainError {
  constructor() {
    super('not_found', 'Unable to locate the resource');
  }
}

export class IdentityConflictError extends DomainError {
  constructor() {
    super('conflict', 'This identity conflicts with another identity that already exists.');
  }
}

export class InvalidIdentityError extends DomainError {
  constructor(reason: string, details?: Record<string, unknown>) {
    super('invalid', reason, { details });
  }
}
