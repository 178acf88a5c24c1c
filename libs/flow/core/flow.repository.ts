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

  /**
   * Replaces `internal_context` only if the row still holds what this request read, so two
   * requests racing to spend the same one-time value (a WebAuthn challenge) cannot both win.
   */
  async swapInternalContext(
    id: string,
    expected: Record<string, unknown> | null,
    next: Record<string, unknown> | null,
  ): Promise<boolean> {
    if (expected === null) return false;
    const result = await this.db.transaction(() =>
      this.db.manager
        .createQueryBuilder()
        .update(this.entity)
        .set({ internalContext: next } as never)
        .where('id = :id AND internal_context = :expected', { id, expected: JSON.stringify(expected) })
        .execute(),
    );
    return (result.affected ?? 0) === 1;
  }
}
