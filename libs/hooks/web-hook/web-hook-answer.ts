import { ApiError } from '../../errors/index.js';
import { FlowRejectedError, type NodeMessages } from '../../flow/index.js';
import { type IdentityEntity } from '../../identity/index.js';
import { type UiText } from '../../text/index.js';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Kratos' answer to a hook whose receiver refused the call (4xx without parsing). */
export function badGateway(status: number): ApiError {
  return new ApiError(502, {
    reason: 'A third-party upstream service responded improperly. Please try again later.',
    message: `webhook failed with status code ${status}`,
  });
}

/**
 * Every attempt failed on the network or with a 5xx. Kratos answers 500; the failure is the
 * receiver's, so Tessera says so with 502 (same error envelope).
 */
export function upstreamFailed(detail: string): ApiError {
  return new ApiError(502, {
    reason: 'A third-party upstream service could not be reached. Please try again later.',
    message: detail,
  });
}

export function gatewayTimeout(detail: string): ApiError {
  return new ApiError(504, {
    reason: 'A third-party upstream service could not be reached. Please try again later.',
    message: detail,
  });
}

/** A body that could not be built, an answer that could not be parsed: the configuration's fault. */
export function hookFailed(detail: string): ApiError {
  return new ApiError(500, {
    reason: detail,
    message: 'An internal server error occurred, please contact the system administrator',
  });
}

/** `#/traits/email` → `traits.email`; `#`, `#/` and `` → the whole form. */
function nodeName(pointer: unknown): string {
  const path = typeof pointer === 'string' ? pointer.replace(/^#?\/?/, '') : '';
  return path
    .split('/')
    .filter((s) => s !== '')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .join('.');
}

function uiText(raw: unknown): UiText | undefined {
  if (!isObject(raw)) return undefined;
  return {
    id: typeof raw['id'] === 'number' ? raw['id'] : 0,
    text: typeof raw['text'] === 'string' ? raw['text'] : '',
    type: raw['type'] === 'error' ? 'error' : 'info',
    ...(isObject(raw['context']) ? { context: raw['context'] } : {}),
  };
}

/** A 4xx answer of a parsing hook: Kratos' `{"messages":[{instance_ptr, messages:[…]}]}`. */
export function interruption(body: string, status: number): FlowRejectedError {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw hookFailed(`The web hook answered HTTP ${status} with a body that is not JSON.`);
  }
  const entries = isObject(parsed) && Array.isArray(parsed['messages']) ? parsed['messages'] : [];
  const nodes: NodeMessages[] = entries.filter(isObject).map((entry) => ({
    name: nodeName(entry['instance_ptr']),
    messages: (Array.isArray(entry['messages']) ? entry['messages'] : [])
      .map(uiText)
      .filter((m): m is UiText => m !== undefined),
  }));
  if (!nodes.some((n) => n.messages.length > 0))
    throw hookFailed(`The web hook answered HTTP ${status} without messages.`);
  return new FlowRejectedError(nodes);
}

/**
 * A 200 answer of a parsing hook: the optional `identity` patch. Each given, non-empty field
 * replaces the current value; `external_id` applies whenever present. Returns whether the
 * identity changed.
 */
export function applyIdentityPatch(body: string, identity: IdentityEntity): boolean {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw hookFailed('The web hook answered HTTP 200 with a body that is not JSON.');
  }
  const patch = isObject(parsed) && isObject(parsed['identity']) ? parsed['identity'] : undefined;
  if (!patch) return false;
  const filled = (key: string) => isObject(patch[key]) && Object.keys(patch[key]).length > 0;
  if (filled('traits')) identity.traits = patch['traits'] as Record<string, unknown>;
  if (filled('metadata_public'))
    identity.metadataPublic = patch['metadata_public'] as Record<string, unknown>;
  if (filled('metadata_admin')) identity.metadataAdmin = patch['metadata_admin'] as Record<string, unknown>;
  if (patch['state'] === 'active' || patch['state'] === 'inactive') identity.state = patch['state'];
  if (typeof patch['schema_id'] === 'string' && patch['schema_id'] !== '')
    identity.schemaId = patch['schema_id'];
  if ('external_id' in patch)
    identity.externalId =
      typeof patch['external_id'] === 'string' && patch['external_id'] !== '' ? patch['external_id'] : null;
  return true;
}
