/**
 * Which settings strategy a submission is for, decided as Kratos decides it. Kratos asks its
 * settings strategies in this order and the first that takes the body handles it; a strategy
 * takes a body whose `method` names it, and the ones with buttons of their own also take a body
 * carrying such a button whatever its `method` says: those buttons (`totp_unlink`,
 * `lookup_secret_regenerate`, `webauthn_remove`, …) send no `method` at all.
 */
const KRATOS_ORDER = ['profile', 'password', 'oidc', 'totp', 'passkey', 'webauthn', 'lookup_secret'];

const LOOKUP_ACTIONS = ['confirm', 'disable', 'regenerate', 'reveal'];

const filled = (value: unknown) => typeof value === 'string' && value !== '';
const pressed = (value: unknown) => value === true || value === 'true';

const BUTTONS: Record<string, (body: Record<string, unknown>) => boolean> = {
  oidc: (body) => filled(body['link']) || filled(body['unlink']),
  totp: (body) => pressed(body['totp_unlink']),
  passkey: (body) => filled(body['passkey_settings_register']) || filled(body['passkey_remove']),
  webauthn: (body) => filled(body['webauthn_register']) || filled(body['webauthn_remove']),
  lookup_secret: (body) => LOOKUP_ACTIONS.some((action) => pressed(body[`lookup_secret_${action}`])),
};

/** The method of the strategy, among `available` (ids), that takes this body; undefined: none. */
export function settingsMethodOf(
  body: Record<string, unknown>,
  available: readonly string[],
): string | undefined {
  const ordered = [
    ...KRATOS_ORDER.filter((id) => available.includes(id)),
    ...available.filter((id) => !KRATOS_ORDER.includes(id)),
  ];
  return ordered.find((id) => body['method'] === id || BUTTONS[id]?.(body) === true);
}

/** The body with `method` naming the strategy that takes it, so each strategy need only check `method`. */
export function withSettingsMethod(
  body: Record<string, unknown>,
  available: readonly string[],
): Record<string, unknown> {
  const method = settingsMethodOf(body, available);
  return method === undefined || method === body['method'] ? body : { ...body, method };
}
