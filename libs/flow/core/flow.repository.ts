import { type EntityTarget } from 'typeorm';
import { Database } from '../../persistence/index.js';
import { type SelfServiceFlow } from './flow.entity.js';

/** Storage of one flow kind. Flows are small JSON-bearing rows written whole. */
export class FlowRepository<T extends SelfServiceFlow> {
  constructor(
    private readonly db: Database,
    private readonly entity: EntityTarget<T>,
  ) {}

  async insert(flow: T): Promise<void> {
    await this.db.transaction(() => this.db.manager.insert(this.entity, flow as never));
  }

  findById(id: string): Promise<T | null> {
    return this.db.repository(this.entity).findOne({ where: { id } as never });
  }

  async update(flow: T): Promise<void> {
    await this.db.transaction(() =>
      this.db.repository(this.entity).update({ id: flow.id } as never, flow as never),
    );
  }
}
