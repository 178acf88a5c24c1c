import { type IdentityEntity } from '../../identity/index.js';
import { type DeviceInfo, type SessionEntity } from '../../session/index.js';
import { type ClientKind } from './client-kind.js';
import { type LoginFlowEntity, type RegistrationFlowEntity } from './flow.entity.js';

/** What a strategy may know about the request, without HTTP. */
export interface FlowContext {
  client: ClientKind;
  device: DeviceInfo;
  session: SessionEntity | null;
  now: Date;
}

export type LoginResult =
  | { kind: 'not_responsible' }
  /** The flow's ui now holds the messages; it goes back to the client. */
  | { kind: 'invalid' }
  | { kind: 'identified'; identity: IdentityEntity; method: string; aal: 'aal1' | 'aal2' };

export interface LoginStrategy {
  readonly id: string;
  /** Adds the method's nodes; on a refresh flow, `session` is whose sign-in is being confirmed. */
  populateLogin(flow: LoginFlowEntity, session: SessionEntity | null): void;
  login(flow: LoginFlowEntity, body: Record<string, unknown>, ctx: FlowContext): Promise<LoginResult>;
}

export type RegistrationResult =
  | { kind: 'not_responsible' }
  | { kind: 'invalid' }
  | { kind: 'created'; identity: IdentityEntity; method: string };

export interface RegistrationStrategy {
  readonly id: string;
  populateRegistration(flow: RegistrationFlowEntity): void;
  register(
    flow: RegistrationFlowEntity,
    body: Record<string, unknown>,
    ctx: FlowContext,
  ): Promise<RegistrationResult>;
}

/** Ordered strategy lists, provided by the application's composition root. */
export const LOGIN_STRATEGIES = Symbol('LOGIN_STRATEGIES');
export const REGISTRATION_STRATEGIES = Symbol('REGISTRATION_STRATEGIES');
