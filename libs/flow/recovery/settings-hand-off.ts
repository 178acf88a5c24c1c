import { type IdentityEntity } from '../../identity/index.js';
import { type SessionEntity } from '../../session/index.js';
import { type FlowType, type SettingsFlowEntity } from '../core/index.js';

export interface SettingsFlowFor {
  type: FlowType;
  requestUrl: string;
  returnTo: string | null;
  identity: IdentityEntity;
  session: SessionEntity;
  csrfToken?: string;
}

/** Where a recovered user continues: a settings flow for the recovered identity. */
export abstract class SettingsHandOff {
  abstract createFor(input: SettingsFlowFor): Promise<SettingsFlowEntity>;
}
