import { Injectable } from '@nestjs/common';
import { Cipher } from '../../hash/index.js';
import { Database } from '../../persistence/index.js';
import { FlowRepository, SettingsFlowEntity, type UiNode } from '../core/index.js';

/** Nodes that show a secret: the seed of an app being linked, backup codes being shown. */
const SECRET_NODES = new Set(['totp_qr', 'totp_secret_key', 'lookup_secret_codes']);

const attributesOf = (node: UiNode) => node.attributes as Record<string, unknown>;
const showsSecret = (node: UiNode) =>
  SECRET_NODES.has(String(attributesOf(node)['id'])) && !('sealed' in attributesOf(node));
const isSealed = (node: UiNode) => typeof attributesOf(node)['sealed'] === 'string';

/**
 * Settings flows as stored. The nodes that show a secret are sealed with `secrets.cipher` and bound
 * to their flow, so the flow table never holds a TOTP seed or a backup code in the clear (Kratos
 * keeps them readable there): a database dump does not hand out second factors. Reading opens them
 * again; a node sealed under a key no longer configured is dropped.
 */
@Injectable()
export class SettingsFlowRepository extends FlowRepository<SettingsFlowEntity> {
  constructor(
    db: Database,
    private readonly cipher: Cipher,
  ) {
    super(db, SettingsFlowEntity);
  }

  override insert(flow: SettingsFlowEntity): Promise<void> {
    return super.insert(this.sealed(flow));
  }

  override update(flow: SettingsFlowEntity): Promise<void> {
    return super.update(this.sealed(flow));
  }

  override async findById(id: string): Promise<SettingsFlowEntity | null> {
    const flow = await super.findById(id);
    if (flow?.ui.nodes.some(isSealed)) flow.ui.nodes = flow.ui.nodes.flatMap((n) => this.opened(flow, n));
    return flow;
  }

  /** A copy for storage; the flow in hand keeps its readable nodes for the answer. */
  private sealed(flow: SettingsFlowEntity): SettingsFlowEntity {
    if (!flow.ui.nodes.some(showsSecret)) return flow;
    const nodes = flow.ui.nodes.map((node) => {
      if (!showsSecret(node)) return node;
      const { id, node_type } = attributesOf(node);
      const sealed = this.cipher.encrypt(JSON.stringify(node.attributes), context(flow));
      return { ...node, attributes: { id, node_type, sealed } };
    });
    return Object.assign(new SettingsFlowEntity(), flow, { ui: { ...flow.ui, nodes } });
  }

  private opened(flow: SettingsFlowEntity, node: UiNode): UiNode[] {
    if (!isSealed(node)) return [node];
    try {
      const attributes = JSON.parse(this.cipher.decrypt(String(attributesOf(node)['sealed']), context(flow)));
      return [{ ...node, attributes }];
    } catch {
      return [];
    }
  }
}

const context = (flow: SettingsFlowEntity) => `settings-ui:${flow.id}`;
