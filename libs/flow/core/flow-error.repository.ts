import { Injectable } from '@nestjs/common';
import { Clock, Database, newId } from '../../persistence/index.js';
import { FlowErrorEntity } from './flow.entity.js';

/** Errors stored for the error UI, which fetches them once by id. */
@Injectable()
export class FlowErrorRepository {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  async store(error: Record<string, unknown>): Promise<string> {
    const now = this.clock.now();
    const id = newId(now.getTime());
    await this.db.transaction(() =>
      this.db.manager.insert(FlowErrorEntity, {
        id,
        error,
        seenAt: null,
        createdAt: now,
        updatedAt: now,
      } as never),
    );
    return id;
  }

  async read(id: string): Promise<FlowErrorEntity | null> {
    const found = await this.db.repository(FlowErrorEntity).findOne({ where: { id } });
    if (found && !found.seenAt) {
      const now = this.clock.now();
      await this.db.transaction(() =>
        this.db.repository(FlowErrorEntity).update({ id }, { seenAt: now, updatedAt: now }),
      );
    }
    return found;
  }
}
