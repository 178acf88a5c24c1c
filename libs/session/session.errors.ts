import { DomainError } from '../errors/index.js';

export class IdentityDisabledError extends DomainError {
  constructor() {
    super('invalid', 'The identity is disabled.', { id: 'identity_disabled' });
  }
}

export class SessionNotFoundError extends DomainError {
  constructor() {
    super('not_found', 'Unable to locate the resource');
  }
}
