import { Injectable } from '@nestjs/common';
import {
  addUiMessage,
  type SettingsContext,
  type SettingsFlowEntity,
  type SettingsResult,
  type UiNode,
} from '../../flow/index.js';
import { Cipher } from '../../hash/index.js';
import { type IdentityEntity, IdentityService } from '../../identity/index.js';
import { MfaText, Text } from '../../text/index.js';
import { PendingSecret, truthy } from '../second-factor.js';
import { newLookupCodes, type StoredLookupCode } from './lookup-codes.js';
import { codesNode, confirmNode, disableNode, regenerateNode, revealNode } from './lookup-nodes.js';

export const lookupCredentialContext = (identityId: string) => `lookup_secret:${identityId}`;
const ACTIONS = ['regenerate', 'reveal', 'confirm', 'disable'] as const;

/**
 * Backup codes in settings: generate (shown, kept encrypted in the flow), confirm (saved as the
 * credential, each code sealed with the cipher so that they can be revealed later), reveal,
 * disable. Every action needs a privileged session.
 */
@Injectable()
export class LookupSecretSettings {
  private readonly pending: PendingSecret;

  constructor(
    private readonly identities: IdentityService,
    private readonly cipher: Cipher,
  ) {
    this.pending = new PendingSecret(cipher, 'lookup_secret_codes', 'lookup-pending');
  }

  populate(flow: SettingsFlowEntity, identity: IdentityEntity): Promise<void> {
    const has = this.storedCodes(identity).length > 0;
    flow.ui.nodes.push(...(has ? [revealNode(), disableNode()] : [regenerateNode()]));
    return Promise.resolve();
  }

  async settings(
    flow: SettingsFlowEntity,
    body: Record<string, unknown>,
    ctx: SettingsContext,
  ): Promise<SettingsResult> {
    if (body['method'] !== 'lookup_secret') return { kind: 'not_responsible' };
    const action = ACTIONS.find((a) => truthy(body[`lookup_secret_${a}`]));
    if (!action) {
      addUiMessage(flow.ui, Text.reason('Choose what to do with your backup recovery codes.'));
      return { kind: 'invalid' };
    }
    if (!ctx.privileged) return { kind: 'privileged_session_required' };
    switch (action) {
      case 'regenerate': {
        const codes = newLookupCodes();
        this.pending.keep(flow, JSON.stringify(codes));
        this.showNodes(flow, [codesNode(codes.map((code) => ({ code }))), confirmNode()]);
        return { kind: 'continue' };
      }
      case 'reveal': {
        const stored = this.storedCodes(ctx.identity);
        if (stored.length === 0) {
          addUiMessage(flow.ui, Text.reason('Can not reveal lookup codes because you have none.'));
          return { kind: 'invalid' };
        }
        const context = lookupCredentialContext(ctx.identity.id);
        const codes = stored.map((c) => ({
          code: this.cipher.decrypt(c.code, context),
          usedAt: c.used_at ? new Date(c.used_at) : undefined,
        }));
        this.showNodes(flow, [codesNode(codes), disableNode(), regenerateNode()]);
        return { kind: 'continue' };
      }
      case 'confirm': {
        const pending = this.pending.read(flow);
        const codes = pending === null ? null : (JSON.parse(pending) as string[]);
        if (!codes) {
          addUiMessage(
            flow.ui,
            Text.reason('You must (re-)generate recovery backup codes before you can save them.'),
          );
          return { kind: 'invalid' };
        }
        const context = lookupCredentialContext(ctx.identity.id);
        const identity = await this.identities.putCredential(ctx.identity.id, 'lookup_secret', {
          recovery_codes: codes.map((code) => ({ code: this.cipher.encrypt(code, context) })),
        });
        this.pending.forget(flow);
        return { kind: 'updated', identity, authenticated: { method: 'lookup_secret', aal: 'aal2' } };
      }
      case 'disable': {
        if (this.storedCodes(ctx.identity).length === 0) return this.none(flow);
        const identity = await this.identities.removeCredential(ctx.identity.id, 'lookup_secret');
        this.pending.forget(flow);
        return { kind: 'updated', identity };
      }
    }
  }

  private none(flow: SettingsFlowEntity): SettingsResult {
    addUiMessage(flow.ui, MfaText.noLookup());
    return { kind: 'invalid' };
  }

  /** Replaces this method's nodes (the other groups stay as they are). */
  private showNodes(flow: SettingsFlowEntity, nodes: UiNode[]): void {
    const at = flow.ui.nodes.findIndex((n) => n.group === 'lookup_secret');
    const rest = flow.ui.nodes.filter((n) => n.group !== 'lookup_secret');
    rest.splice(at < 0 ? rest.length : at, 0, ...nodes);
    flow.ui.nodes = rest;
  }

  private storedCodes(identity: IdentityEntity): StoredLookupCode[] {
    const codes = identity.credentials?.find((c) => c.type === 'lookup_secret')?.config['recovery_codes'];
    return Array.isArray(codes) ? (codes as StoredLookupCode[]) : [];
  }
}
