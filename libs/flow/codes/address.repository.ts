import { Injectable } from '@nestjs/common';
import { RecoveryAddressEntity, VerifiableAddressEntity } from '../../identity/index.js';
import { Database } from '../../persistence/index.js';

/** The address lookups recovery and verification need; writes join the caller's transaction. */
@Injectable()
export class AddressRepository {
  constructor(private readonly db: Database) {}

  findRecoveryAddress(via: 'email' | 'sms', value: string): Promise<RecoveryAddressEntity | null> {
    return this.db.repository(RecoveryAddressEntity).findOne({ where: { via, value } });
  }

  findVerifiableAddress(via: 'email' | 'sms', value: string): Promise<VerifiableAddressEntity | null> {
    return this.db.repository(VerifiableAddressEntity).findOne({ where: { via, value } });
  }

  async markSent(id: string, now: Date): Promise<void> {
    await this.db
      .repository(VerifiableAddressEntity)
      .update({ id, verified: false }, { status: 'sent', updatedAt: now });
  }

  /** Marks the address verified; returns how many rows changed (0 when the address is gone). */
  async markVerified(via: 'email' | 'sms', value: string, identityId: string, now: Date): Promise<number> {
    const result = await this.db
      .repository(VerifiableAddressEntity)
      .update(
        { via, value, identityId },
        { verified: true, verifiedAt: now, status: 'completed', updatedAt: now },
      );
    return result.affected ?? 0;
  }
}
