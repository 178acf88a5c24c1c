import fastJsonPatch, { type Operation } from 'fast-json-patch';
import { ApiError } from '../errors/index.js';
import { type IdentityJson } from './identity.wire.js';
import { type IdentityInput, type VerifiableAddressImport } from './identity.input.js';

const FORBIDDEN = [
  /^\/id$/,
  /^\/stateChangedAt$/,
  /^\/state_changed_at$/,
  /^\/credentials(\/|$)/,
  /^\/created_at$/,
  /^\/updated_at$/,
];
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
  if (doc['state'] !== 'active' && doc['state'] !== 'inactive') {
    throw new ApiError(400, { reason: 'The identity state must be "active" or "inactive".' });
  }
  return {
    schemaId: String(doc['schema_id'] ?? ''),
    traits: doc['traits'],
    state: doc['state'],
    metadataPublic: doc['metadata_public'],
    metadataAdmin: doc['metadata_admin'],
    externalId: typeof doc['external_id'] === 'string' ? doc['external_id'] : null,
    organizationId: typeof doc['organization_id'] === 'string' ? doc['organization_id'] : null,
    verifiableAddresses: Array.isArray(doc['verifiable_addresses'])
      ? (doc['verifiable_addresses'] as VerifiableAddressImport[])
      : undefined,
  };
}
