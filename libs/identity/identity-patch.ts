import fastJsonPatch, { type Operation } from 'fast-json-patch';
import { ApiError, parseBody } from '../errors/index.js';
import { PatchedIdentityBody } from './identity.dto.js';
import { updateInput } from './identity-input.mapper.js';
import { type IdentityInput } from './identity.input.js';
import { type IdentityJson } from './identity.wire.js';

const FORBIDDEN = [
  /^\/id$/,
  /^\/stateChangedAt$/,
  /^\/state_changed_at$/,
  /^\/credentials(\/|$)/,
  /^\/created_at$/,
  /^\/updated_at$/,
];
/** Read-only fields of the identity JSON: a patch cannot change them (or they are ignored). */
const SERVER_OWNED = ['id', 'credentials', 'schema_url', 'state_changed_at', 'created_at', 'updated_at'];
const OPS = new Set(['add', 'remove', 'replace', 'move', 'copy', 'test']);

function failed(reason: string): ApiError {
  return new ApiError(400, { reason: `failed to apply JSON patch: ${reason}` });
}

/** Applies an RFC 6902 patch to the admin JSON of an identity and reads the result back as input. */
export function patchToInput(current: IdentityJson, patch: unknown): IdentityInput {
  if (!Array.isArray(patch)) throw failed('the body must be a JSON array of operations');
  for (const op of patch as Operation[]) {
    if (typeof op !== 'object' || op === null || !OPS.has(op.op) || typeof op.path !== 'string') {
      throw failed('every operation needs a valid "op" and a "path"');
    }
    const touched = [op.path, 'from' in op && typeof op.from === 'string' ? op.from : undefined].filter(
      Boolean,
    ) as string[];
    if (touched.some((path) => FORBIDDEN.some((rule) => rule.test(path))))
      throw failed(`the path ${op.path} cannot be patched`);
  }
  let doc: Record<string, unknown>;
  try {
    doc = fastJsonPatch.applyPatch(structuredClone(current), patch as Operation[], true, false)
      .newDocument as Record<string, unknown>;
  } catch (error) {
    throw failed((error as Error).message.split('\n')[0]!);
  }
  if (doc && typeof doc === 'object' && !Array.isArray(doc)) {
    for (const field of SERVER_OWNED) delete doc[field];
  }
  const body = parseBody(PatchedIdentityBody, doc);
  return {
    ...updateInput(body),
    organizationId: body.organization_id ?? null,
    verifiableAddresses: body.verifiable_addresses,
  };
}
