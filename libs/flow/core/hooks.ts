import { type IdentityEntity } from '../../identity/index.js';
import { type DeviceInfo, type SessionEntity } from '../../session/index.js';
import { type UiText } from '../../text/index.js';
import { type FlowKind } from './flow-factory.js';
import { addUiMessage, inputNode, nodeNamed, type UiContainer } from './ui.js';
import { type VerificationStarted } from './verification-sender.js';
import {
  type LoginFlowEntity,
  type RecoveryFlowEntity,
  type RegistrationFlowEntity,
  type SelfServiceFlow,
  type SettingsFlowEntity,
  type VerificationFlowEntity,
} from './flow.entity.js';

export interface AfterLogin {
  flow: LoginFlowEntity;
  session: SessionEntity;
  method: string;
  /** The identity signing in (web hooks show it in `ctx.identity`). */
  identity?: IdentityEntity;
}

export interface AfterRegistration {
  flow: RegistrationFlowEntity;
  identity: IdentityEntity;
  method: string;
  /** The OIDC provider the identity signed up with, for the session's authentication method. */
  provider?: string;
  device: DeviceInfo;
  /** Set by a hook that signs the new identity in (the `session` hook). */
  issued?: { session: SessionEntity; token: string };
  /** The verification flows started for the new identity's addresses. */
  verifications: VerificationStarted[];
  /** Set by `show_verification_ui`: browsers go to the verification UI instead of the return URL. */
  showVerificationUi?: boolean;
}

/** Messages for one node of the flow (`name`), or for the whole form (`name` empty). */
export interface NodeMessages {
  name: string;
  messages: UiText[];
}

/**
 * A hook refusing the flow with messages on it (`require_verified_address`, a web hook's 4xx
 * answer with `response.parse`); nothing the flow did in the same transaction is kept.
 */
export class FlowRejectedError extends Error {
  readonly nodes: NodeMessages[];

  constructor(text: UiText | NodeMessages[]) {
    const nodes = Array.isArray(text) ? text : [{ name: '', messages: [text] }];
    super(nodes.flatMap((n) => n.messages.map((m) => m.text)).join('; ') || 'rejected by a hook');
    this.name = 'FlowRejectedError';
    this.nodes = nodes;
  }

  /**
   * Puts the messages on the flow as Kratos does for a web hook's validation errors: each named
   * node loses its earlier messages and gets these; a name with no node gets a new text input.
   */
  applyTo(ui: UiContainer): void {
    for (const { name, messages } of this.nodes) {
      if (name === '') {
        for (const message of messages) addUiMessage(ui, message);
        continue;
      }
      let node = nodeNamed(ui, name);
      if (!node) {
        node = inputNode('default', { name, type: 'text' });
        ui.nodes.push(node);
      }
      node.messages = [...messages];
    }
  }
}

export interface AfterRecovery {
  flow: RecoveryFlowEntity;
  identity: IdentityEntity;
  /** The session the recovery issued. */
  session: SessionEntity;
}

export interface AfterSettings {
  flow: SettingsFlowEntity;
  /** The identity as saved. */
  identity: IdentityEntity;
  /** The session the change was made with; it stays. */
  session: SessionEntity;
  method: string;
  /** The verification flows started for addresses the change added. */
  verifications: VerificationStarted[];
  /** Set by `show_verification_ui`: browsers go to the verification UI instead of the return URL. */
  showVerificationUi?: boolean;
}

export interface AfterVerification {
  flow: VerificationFlowEntity;
  /** The identity whose address was just verified (stored). */
  identity: IdentityEntity;
}

/** An after-hook, named as in `selfservice.flows.<flow>.after[.<method>].hooks[].hook`. */
export interface FlowHook {
  readonly name: string;
  afterLogin?(context: AfterLogin): Promise<void>;
  afterRegistration?(context: AfterRegistration): Promise<void>;
  afterRecovery?(context: AfterRecovery): Promise<void>;
  afterSettings?(context: AfterSettings): Promise<void>;
}

/** The hooks the application offers, provided by its composition root. */
export const FLOW_HOOKS = Symbol('FLOW_HOOKS');

/** One entry of a `hooks` list in the configuration. */
export interface HookConfig {
  hook: string;
  config?: Record<string, unknown>;
}

/**
 * What a web hook is told about the flow (Kratos' `ctx`): the flow, and the identity and session
 * where Kratos gives them. `prePersist`: the identity is not stored yet (registration shows the
 * nil id).
 */
export interface WebHookData {
  kind: FlowKind;
  flow: SelfServiceFlow;
  identity?: IdentityEntity;
  session?: SessionEntity;
  prePersist?: boolean;
}

/**
 * Calls one `web_hook` (its `config`). Answers when done (or handed to the background, for
 * `response.ignore`); throws an ApiError (502, 504, 500) when the call failed, FlowRejectedError
 * for a 4xx answer with messages, and with `response.parse` patches `data.identity` in place.
 */
export interface WebHookCaller {
  call(config: Record<string, unknown>, data: WebHookData): Promise<void>;
}

export const WEB_HOOK_CALLER = Symbol('WEB_HOOK_CALLER');
