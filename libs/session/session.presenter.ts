import { Injectable } from '@nestjs/common';
import { IdentityPresenter } from '../identity/index.js';
import { Clock } from '../persistence/index.js';
import { type SessionEntity } from './session.entity.js';

export interface SessionView {
  admin: boolean;
  /** Admin lists leave these out (null) unless `expand` asks for them. */
  expandIdentity?: boolean;
  expandDevices?: boolean;
}

/** The contract's `session` object. The token is never part of it. */
@Injectable()
export class SessionPresenter {
  constructor(
    private readonly identities: IdentityPresenter,
    private readonly clock: Clock,
  ) {}

  present(session: SessionEntity, view: SessionView) {
    const identity =
      view.expandIdentity !== false && session.identity
        ? this.identities.present(session.identity, { admin: view.admin })
        : null;
    const active =
      session.active &&
      session.expiresAt > this.clock.now() &&
      (!session.identity || session.identity.state === 'active');
    return {
      id: session.id,
      active,
      expires_at: session.expiresAt.toISOString(),
      authenticated_at: session.authenticatedAt.toISOString(),
      authenticator_assurance_level: session.aal,
      authentication_methods: session.authenticationMethods,
      issued_at: session.issuedAt.toISOString(),
      identity,
      devices:
        view.expandDevices === false
          ? null
          : [...(session.devices ?? [])]
              .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
              .map((d) => ({
                id: d.id,
                ip_address: d.ipAddress ?? '',
                user_agent: d.userAgent ?? '',
                location: d.location,
              })),
    };
  }
}
