import { Injectable } from '@nestjs/common';
import {
  addNodeMessage,
  addUiMessage,
  type FlowContext,
  type LoginFlowEntity,
  type LoginResult,
  setNodeValue,
} from '../../flow/index.js';
import { PasswordHasher } from '../../hash/index.js';
import { IdentityRepository, IdentityService } from '../../identity/index.js';
import { AppLogger } from '../../logging/index.js';
import { normalizeIdentifier } from '../../schema/index.js';
import { SessionService } from '../../session/index.js';
import { Text } from '../../text/index.js';
import { SecretCheckGuard } from './brute-force.js';

const MAX_FIELD = 4096;

/** Password sign-in: same answer and same cost whether or not the identifier exists. */
@Injectable()
export class PasswordLogin {
  constructor(
    private readonly identities: IdentityRepository,
    private readonly identityService: IdentityService,
    private readonly hasher: PasswordHasher,
    private readonly guard: SecretCheckGuard,
    private readonly logger: AppLogger,
    private readonly sessions: SessionService,
  ) {}

  async login(flow: LoginFlowEntity, body: Record<string, unknown>, ctx: FlowContext): Promise<LoginResult> {
    const identifier = body['identifier'] ?? body['password_identifier'];
    const password = body['password'];
    setNodeValue(flow.ui, 'identifier', typeof identifier === 'string' ? identifier.slice(0, MAX_FIELD) : '');
    let missing = false;
    for (const [name, value] of [
      ['identifier', identifier],
      ['password', password],
    ] as const) {
      if (typeof value !== 'string' || value === '') {
        addNodeMessage(flow.ui, name, Text.missingProperty(name));
        missing = true;
      }
    }
    if (missing) return { kind: 'invalid' };
    if ((identifier as string).length > MAX_FIELD || Buffer.byteLength(password as string) > MAX_FIELD) {
      addUiMessage(flow.ui, Text.invalidCredentials());
      return { kind: 'invalid' };
    }
    const key = normalizeIdentifier(identifier as string);
    const credential = await this.identities.findCredentialByIdentifier('password', key);
    const hashed = credential?.config['hashed_password'];
    const ip = ctx.device.ipAddress;
    const valid = await this.guard.check(
      'password',
      key,
      ip,
      () =>
        this.guard.hash(async () => {
          if (typeof hashed !== 'string') {
            await this.hasher.verifyDummy(password as string);
            return false;
          }
          return this.hasher.verify(password as string, hashed).catch(() => false);
        }),
      ip ? () => this.sessions.signedInFrom(credential?.identityId ?? null, ip) : undefined,
    );
    this.logger.debug('password checked', { flow_id: flow.id, known_identifier: credential !== null, valid });
    const identity = valid && credential ? await this.identities.findById(credential.identityId) : null;
    if (!identity) {
      addUiMessage(flow.ui, Text.invalidCredentials());
      return { kind: 'invalid' };
    }
    if (this.hasher.needsRehash(hashed as string)) {
      const fresh = await this.guard.hash(() => this.hasher.hash(password as string));
      await this.identityService.replacePasswordHash(identity.id, fresh);
    }
    return { kind: 'identified', identity, method: 'password', aal: 'aal1' };
  }
}
