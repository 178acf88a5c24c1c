import { Injectable } from '@nestjs/common';
import { type EntityTarget } from 'typeorm';
import { FlowRepository, type SelfServiceFlow } from '../../flow/index.js';
import { Database } from '../../persistence/index.js';
import { type PendingCeremony, takeCeremony } from './webauthn-ceremony.js';

/**
 * Spends a flow's challenge in the database, not just in memory: of two requests answering the
 * same challenge at once (a replayed assertion), only the first gets it.
 */
@Injectable()
export class CeremonyStore {
  constructor(private readonly db: Database) {}

  async take(flow: SelfServiceFlow, key: string): Promise<PendingCeremony | null> {
    const before = flow.internalContext;
    const ceremony = takeCeremony(flow, key);
    if (!ceremony) return null;
    const flows = new FlowRepository(this.db, flow.constructor as EntityTarget<SelfServiceFlow>);
    return (await flows.swapInternalContext(flow.id, before, flow.internalContext)) ? ceremony : null;
  }
}
