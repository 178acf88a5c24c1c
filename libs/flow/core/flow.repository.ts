import { type EntityTarget } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata.js';
import {
  columnsOf,
  columnValues,
  Database,
  hydrate,
  PreparedSelect,
  PreparedWrite,
  type Statement,
} from '../../persistence/index.js';
import { type SelfServiceFlow } from './flow.entity.js';
import { type UiNode } from './ui.js';

const isCsrfNode = (node: UiNode) => node.attributes['name'] === 'csrf_token';

/**
 * The flow as stored: its `csrf_token` node without a value, and no transient payload. A masked
 * token unmasks to the browser's cookie, so a row holding one would hand a database reader every
 * browser's CSRF secret; the hash in `csrf_token_hash` is all the binding needs, and answers mask
 * anew. `transient_payload` lives for one submission (hooks, mail templates), as in Kratos.
 */
function asStored<T extends SelfServiceFlow>(flow: T): T {
  const csrfValue = flow.ui.nodes.some((node) => isCsrfNode(node) && node.attributes['value']);
  if (!csrfValue && flow.transientPayload == null) return flow;
  const nodes = flow.ui.nodes.map((node) =>
    isCsrfNode(node) ? { ...node, attributes: { ...node.attributes, value: '' } } : node,
  );
  return Object.assign(Object.create(Object.getPrototypeOf(flow) as object) as T, flow, {
    ui: { ...flow.ui, nodes },
    transientPayload: null,
  });
}

/** Storage of one flow kind. Flows are small JSON-bearing rows written whole. */
export class FlowRepository<T extends SelfServiceFlow> {
  private byId?: { select: PreparedSelect; columns: ColumnMetadata[] };
  private inserts?: PreparedWrite<T>;
  private updates?: PreparedWrite<T>;

  constructor(
    private readonly db: Database,
    private readonly entity: EntityTarget<T>,
  ) {}

  /**
   * One INSERT, prepared, without TypeORM's read-back of the columns that have defaults: those
   * left unset get their (constant) default on the object here, as that read-back gave them.
   */
  async insert(flow: T): Promise<void> {
    for (const column of this.db.dataSource.getMetadata(this.entity).columns) {
      if (column.default !== undefined && column.getEntityValue(flow) === undefined) {
        column.setEntityValue(flow, column.default);
      }
    }
    this.inserts ??= PreparedWrite.insert(this.db, this.entity);
    await this.inserts.run(asStored(flow));
  }

  /** One prepared statement, hydrated by the driver's column rules: read on every submission. */
  async findById(id: string): Promise<T | null> {
    if (!this.byId) {
      const metadata = this.db.dataSource.getMetadata(this.entity);
      const columns = columnsOf(metadata);
      const parameter = this.db.dialect === 'postgres' ? '$1' : '?';
      this.byId = {
        select: new PreparedSelect(
          this.db,
          `tessera_${metadata.tableName}_by_id`,
          columnValues('f', columns),
          `FROM "${metadata.tableName}" f WHERE f.id = ${parameter}`,
        ),
        columns,
      };
    }
    const values = await this.byId.select.first([id]);
    if (!values) return null;
    const metadata = this.db.dataSource.getMetadata(this.entity);
    const flow = metadata.create(undefined, { fromDeserializer: true }) as T;
    return hydrate(this.db.dataSource, flow, this.byId.columns, (n) => values[n]);
  }

  /** The whole row, prepared; a single statement needs no BEGIN/COMMIT of its own. */
  async update(flow: T): Promise<void> {
    const { name, sql, values } = this.updateStatement(flow);
    await this.db.prepared(name, sql, values);
  }

  /** The update of the whole row, to run with other writes (`Database.preparedAll`). */
  updateStatement(flow: T): Statement {
    this.updates ??= PreparedWrite.updateById(this.db, this.entity);
    return this.updates.statement(asStored(flow));
  }

  /**
   * Binds a flow made for no browser yet (an admin's) to the first browser that opens it. False
   * when another browser got there first.
   */
  async bindToBrowser(id: string, csrfTokenHash: string): Promise<boolean> {
    const result = await this.db.transaction(() =>
      this.db.manager
        .createQueryBuilder()
        .update(this.entity)
        .set({ csrfTokenHash } as never)
        .where("id = :id AND csrf_token_hash = ''", { id })
        .execute(),
    );
    return (result.affected ?? 0) === 1;
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
