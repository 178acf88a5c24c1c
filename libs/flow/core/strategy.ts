import { type IdentityEntity } from '../../identity/index.js';
import { type Authentication, type DeviceInfo, type SessionEntity } from '../../session/index.js';
import { type UiText } from '../../text/index.js';
import { type ClientKind } from './client-kind.js';
import { type LoginFlowEntity, type RegistrationFlowEntity, type SettingsFlowEntity } from './flow.entity.js';
import type { LoginOutcome } from '../login/login-flow.service.js';
import type { RegistrationOutcome } from '../registration/registration-flow.service.js';

/** What a strategy may know about the request, without HTTP. */
export interface FlowContext {
  client: ClientKind;
  device: DeviceInfo;
  session: SessionEntity | null;
  now: Date;
  /**
   * The return leg of a method that sent the browser elsewhere (the OIDC callback's verified
   * claims): set by the server, never taken from the submitted body.
   */
  resume?: Record<string, unknown>;
}

/**
 * The browser must go elsewhere to go on (the OIDC provider): 303 for browser forms, 422
 * `browser_location_change_required` for JSON clients. `continuity`: the paused flow and the
 * nonce the `ory_kratos_continuity` cookie gives the browser, which must come back with it.
 */
export interface BrowserRedirect {
  url: string;
  continuity?: { flowId: string; nonce: string; expiresAt: Date };
}

export type LoginResult =
  | { kind: 'not_responsible' }
  /** The flow's ui now holds the messages; it goes back to the client. */
  | { kind: 'invalid' }
  | {
      kind: 'identified';
      identity: IdentityEntity;
      method: string;
      aal: 'aal1' | 'aal2';
      /** The OIDC provider id, for the session's authentication method. */
      provider?: string;
    }
  | { kind: 'redirect'; redirect: BrowserRedirect }
  /** Kratos' OIDC conversion: the person signed up on a new registration flow instead. */
  | { kind: 'converted'; outcome: RegistrationOutcome }
  /** identifier_first step one was submitted: the flow offers the methods for `hint` next. */
  | { kind: 'identifier_first'; hint: IdentifierHint };

/** What a method answers once it took a submission. */
export type LoginAnswer = Exclude<LoginResult, { kind: 'not_responsible' } | { kind: 'identifier_first' }>;

/** What step one of an identifier_first login learned (Kratos' form hydrator options). */
export interface IdentifierHint {
  identifier: string;
  /**
   * The identity the identifier names, credentials loaded; null when there is none, and always
   * null with `security.account_enumeration.mitigate` (then nobody looks).
   */
  identity: IdentityEntity | null;
  /** `security.account_enumeration.mitigate`: offer every configured method, account or not. */
  mitigate: boolean;
}

/**
 * Who a login flow is for. On a refresh flow or a second-factor (`aal=aal2`) flow, the signed-in
 * session and its identity with credentials; otherwise both null.
 */
export interface LoginAudience {
  session: SessionEntity | null;
  identity: IdentityEntity | null;
}

export interface LoginStrategy {
  readonly id: string;
  /**
   * Adds the method's nodes. A first factor adds nothing on an aal2 flow (unless refreshing);
   * a second factor adds nodes only on an aal2 flow whose identity has that credential.
   */
  populateLogin(flow: LoginFlowEntity, audience: LoginAudience): Promise<void>;
  /**
   * identifier_first, step one (instead of `populateLogin`): what the method shows beside the
   * identifier, e.g. passkey autofill and social sign-in. A method without it shows nothing there.
   */
  populateIdentification?(flow: LoginFlowEntity): Promise<void>;
  /**
   * identifier_first, step two: the method's nodes for the identifier. True when the identity can
   * sign in with it; with `hint.mitigate` a method adds its nodes whether or not it can.
   */
  populateIdentifierFirstCredentials?(flow: LoginFlowEntity, hint: IdentifierHint): Promise<boolean>;
  /**
   * Kratos' fast login: when this is the identity's only method, step two goes straight on
   * (the code method sends its code). Null when it does not apply.
   */
  fastLogin?(flow: LoginFlowEntity, hint: IdentifierHint, ctx: FlowContext): Promise<LoginAnswer | null>;
  login(flow: LoginFlowEntity, body: Record<string, unknown>, ctx: FlowContext): Promise<LoginResult>;
}

/**
 * Which form a registration flow shows: `unified` (Kratos' one-step style: traits and every
 * method at once), or one of `profile_first`'s two screens, `profile` (the traits only) and
 * `credentials` (the traits carried hidden, every method that can sign them up).
 */
export type RegistrationScreen = 'unified' | 'profile' | 'credentials';

export type RegistrationResult =
  | { kind: 'not_responsible' }
  | { kind: 'invalid' }
  | { kind: 'created'; identity: IdentityEntity; method: string; provider?: string }
  | { kind: 'redirect'; redirect: BrowserRedirect }
  /**
   * `profile_first`: the flow moves to another screen for these traits (validated when going on
   * to the credentials): 400 with the flow for JSON clients, 303 to the UI for browsers.
   */
  | { kind: 'screen'; screen: 'profile' | 'credentials'; traits: Record<string, unknown> }
  /** Kratos' OIDC conversion: the person signed in on a new login flow instead. */
  | { kind: 'converted'; outcome: LoginOutcome };

export interface RegistrationStrategy {
  readonly id: string;
  /**
   * Adds the method's nodes for that screen (Kratos' PopulateRegistrationMethod{,Profile,Credentials});
   * `traits` are the ones already given (the `credentials` screen's, or those carried back).
   */
  populateRegistration(
    flow: RegistrationFlowEntity,
    screen: RegistrationScreen,
    traits?: Record<string, unknown>,
  ): void;
  register(
    flow: RegistrationFlowEntity,
    body: Record<string, unknown>,
    ctx: FlowContext,
  ): Promise<RegistrationResult>;
}

/** Ordered strategy lists, provided by the application's composition root. */
export const LOGIN_STRATEGIES = Symbol('LOGIN_STRATEGIES');
export const REGISTRATION_STRATEGIES = Symbol('REGISTRATION_STRATEGIES');

/** What a settings strategy may know: the signed-in identity and whether the session is fresh. */
export interface SettingsContext extends FlowContext {
  session: SessionEntity;
  identity: IdentityEntity;
  /** The session authenticated within `selfservice.flows.settings.privileged_session_max_age`. */
  privileged: boolean;
}

export type SettingsResult =
  | { kind: 'not_responsible' }
  /** The flow's ui now holds the messages; it goes back to the client. */
  | { kind: 'invalid' }
  /** A privileged change on a session that is too old: the user must sign in again first. */
  | { kind: 'privileged_session_required' }
  /**
   * Saved. `identity` is the identity as it is now; the flow service sets state `success`.
   * `authenticated`: a method just enrolled and proven in the same step, which the session now
   * counts as completed (Kratos' "since we added the method, we have authenticated it").
   */
  | { kind: 'updated'; identity: IdentityEntity; authenticated?: Authentication }
  /** The browser must go elsewhere first (linking an OIDC provider). */
  | { kind: 'redirect'; redirect: BrowserRedirect }
  /**
   * A step that needs another round on the same flow without saving yet (TOTP or lookup codes
   * shown for confirmation, a WebAuthn challenge): the flow goes back to the client with state
   * `show_form` and a 200.
   */
  | { kind: 'continue' };

export interface SettingsStrategy {
  readonly id: string;
  /** Adds the method's nodes for this identity (group = the strategy id). May read credentials. */
  populateSettings(flow: SettingsFlowEntity, identity: IdentityEntity): Promise<void>;
  settings(
    flow: SettingsFlowEntity,
    body: Record<string, unknown>,
    ctx: SettingsContext,
  ): Promise<SettingsResult>;
}

export const SETTINGS_STRATEGIES = Symbol('SETTINGS_STRATEGIES');

/**
 * Adds a credential held on a login flow to the identity that just signed in on it (Kratos'
 * account linking: an OIDC sign-up that hit an existing identifier). `null`: nothing held on this
 * flow. Refusing (`mismatch`) fails the login with that message.
 */
export interface CredentialLinker {
  /** Whether the flow holds a credential to link on sign-in. */
  holds(flow: LoginFlowEntity): boolean;
  link(
    flow: LoginFlowEntity,
    identity: IdentityEntity,
  ): Promise<null | { kind: 'linked'; auth: Authentication } | { kind: 'mismatch'; text: UiText }>;
}

export const CREDENTIAL_LINKER = Symbol('CREDENTIAL_LINKER');
